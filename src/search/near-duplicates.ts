/**
 * Near-duplicate passages (a reprint, a CMS copy of a page), found once when
 * the index is built rather than by comparing every pair of candidates for
 * every question. Each passage gets a MinHash signature over its character
 * bigrams; locality-sensitive hashing (bands of the signature) proposes
 * candidate pairs, and a pair joins one group only when the exact Jaccard
 * similarity of their bigram sets reaches the threshold, the same test the
 * per-question filter used. Groups are the connected components.
 */

export const NEAR_DUPLICATE_FORMAT_VERSION = 1;
/** Jaccard similarity of character bigrams at which two passages count as one. */
export const NEAR_DUPLICATE_THRESHOLD = 0.85;
const HASHES = 32;
const BANDS = 8;
const ROWS = HASHES / BANDS;
/** Each member of a bucket is verified against at most this many before it: bounds a bucket of thousands of copies. */
const MAX_CHECKS = 8;
const MAGIC = "UNB-NDUP";

/** The file is not a near-duplicate table this program can read; the message says how to get one. */
export class NearDuplicateFormatError extends Error {
  constructor(reason: string) {
    super(`near-duplicate groups: ${reason}; rebuild the index with npm run build-index`);
    this.name = "NearDuplicateFormatError";
  }
}

export interface NearDuplicates {
  /** Group of each passage: the lowest passage index in it (a passage alone is its own group). */
  readonly groups: Int32Array;
  /** MinHash signatures, HASHES per passage, kept so a rebuild reuses unchanged passages' signatures. */
  readonly signatures: Uint32Array;
}

/** The bigrams the similarity is measured on: whitespace is layout, not content. */
export function bigramSet(text: string): Set<string> {
  const t = text.replace(/\s+/g, "");
  const grams = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) grams.add(t.slice(i, i + 2));
  return grams;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return common / (a.size + b.size - common);
}

/** Seeded odd multipliers and offsets: h_i(x) = a_i·x + b_i mod 2^32 is a permutation of 32-bit values. */
const COEFFICIENTS = (() => {
  let s = 0x9e3779b9;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return Array.from({ length: HASHES }, () => [next() | 1, next()] as const);
})();

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** MinHash signature of a text's bigrams, written into `out` at `at`. */
export function minhash(text: string, out: Uint32Array, at: number): void {
  const t = text.replace(/\s+/g, "");
  out.fill(0xffffffff, at, at + HASHES);
  for (let i = 0; i + 1 < t.length; i++) {
    const x = mix((t.charCodeAt(i) << 16) ^ t.charCodeAt(i + 1));
    for (let h = 0; h < HASHES; h++) {
      const [a, b] = COEFFICIENTS[h]!;
      const v = (Math.imul(a, x) + b) >>> 0;
      if (v < out[at + h]!) out[at + h] = v;
    }
  }
}

/**
 * Groups near-duplicate texts. `reuse(i)` may return a stored signature for
 * text i (an unchanged passage), so a rebuild hashes only new passages.
 */
export function findNearDuplicates(texts: readonly string[], reuse?: (i: number) => Uint32Array | undefined): NearDuplicates {
  const n = texts.length;
  const signatures = new Uint32Array(n * HASHES);
  for (let i = 0; i < n; i++) {
    const old = reuse?.(i);
    if (old !== undefined && old.length === HASHES) signatures.set(old, i * HASHES);
    else minhash(texts[i]!, signatures, i * HASHES);
  }
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const grams = new Map<number, Set<string>>();
  const gramsOf = (i: number) => {
    let g = grams.get(i);
    if (g === undefined) grams.set(i, (g = bigramSet(texts[i]!)));
    return g;
  };
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      let h = band;
      for (let r = 0; r < ROWS; r++) h = mix(h ^ signatures[i * HASHES + band * ROWS + r]!);
      const bucket = buckets.get(h);
      if (bucket === undefined) buckets.set(h, [i]);
      else bucket.push(i);
    }
    for (const bucket of buckets.values()) {
      for (let j = 1; j < bucket.length; j++) {
        for (let i = Math.max(0, j - MAX_CHECKS); i < j; i++) {
          const a = find(bucket[i]!);
          const b = find(bucket[j]!);
          if (a === b) break;
          if (jaccard(gramsOf(bucket[i]!), gramsOf(bucket[j]!)) >= NEAR_DUPLICATE_THRESHOLD) {
            parent[Math.max(a, b)] = Math.min(a, b);
            break;
          }
        }
      }
    }
  }
  const groups = new Int32Array(n);
  for (let i = 0; i < n; i++) groups[i] = find(i);
  return { groups, signatures };
}

/** The signature of passage i, for reuse by the next build. */
export function signatureOf(nd: NearDuplicates, i: number): Uint32Array {
  return nd.signatures.subarray(i * HASHES, (i + 1) * HASHES);
}

/** `UNB-NDUP`, u32 version, u32 passages, u32 hashes per passage, then i32 groups and u32 signatures. Little-endian. */
export function encodeNearDuplicates(nd: NearDuplicates): Uint8Array {
  const n = nd.groups.length;
  const out = new Uint8Array(20 + 4 * n + 4 * n * HASHES);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, NEAR_DUPLICATE_FORMAT_VERSION, true);
  view.setUint32(12, n, true);
  view.setUint32(16, HASHES, true);
  out.set(new Uint8Array(nd.groups.buffer, nd.groups.byteOffset, nd.groups.byteLength), 20);
  out.set(new Uint8Array(nd.signatures.buffer, nd.signatures.byteOffset, nd.signatures.byteLength), 20 + 4 * n);
  return out;
}

export function decodeNearDuplicates(bytes: Uint8Array, passages: number): NearDuplicates {
  if (bytes.length < 20 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new NearDuplicateFormatError("the file is not a near-duplicate table (bad header)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, 20);
  const version = view.getUint32(8, true);
  if (version !== NEAR_DUPLICATE_FORMAT_VERSION) {
    throw new NearDuplicateFormatError(`the file is format version ${version}, this program reads version ${NEAR_DUPLICATE_FORMAT_VERSION}`);
  }
  const n = view.getUint32(12, true);
  const hashes = view.getUint32(16, true);
  if (n !== passages || hashes !== HASHES || bytes.length !== 20 + 4 * n + 4 * n * hashes) {
    throw new NearDuplicateFormatError(`the file holds ${n} passages × ${hashes} hashes in ${bytes.length} bytes, expected ${passages} × ${HASHES}`);
  }
  const copy = new Uint8Array(bytes.subarray(20));
  return { groups: new Int32Array(copy.buffer, 0, n), signatures: new Uint32Array(copy.buffer, 4 * n, n * HASHES) };
}

/** Keeps the best-ranked passage of each near-duplicate group, in rank order. */
export function collapseByGroup<T extends { i: number }>(ranked: readonly T[], groupOf: (i: number) => number): T[] {
  const seen = new Set<number>();
  return ranked.filter((item) => {
    const g = groupOf(item.i);
    if (seen.has(g)) return false;
    seen.add(g);
    return true;
  });
}
