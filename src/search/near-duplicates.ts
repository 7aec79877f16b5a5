/**
 * Near-duplicate passages (a reprint, a CMS copy of a page), found once when
 * the index is built rather than by comparing every pair of candidates for
 * every question. Each passage gets a MinHash signature over its character
 * bigrams; locality-sensitive hashing (bands of the signature) proposes
 * candidate pairs, and a pair joins one group only when the exact Jaccard
 * similarity of their bigram sets reaches the threshold, the same test the
 * per-question filter used. Groups are the connected components.
 */

import { wasmMinhash } from "./minhash-wasm.js";

export const NEAR_DUPLICATE_FORMAT_VERSION = 1;
/** Jaccard similarity of character bigrams at which two passages count as one. */
export const NEAR_DUPLICATE_THRESHOLD = 0.85;
const HASHES = 32;
const BANDS = 8;
const ROWS = HASHES / BANDS;
/** Earlier members of a bucket a member is checked against: bounds a bucket of thousands of near-misses. */
const MAX_EARLIER = 32;
const MAGIC = "UNB-NDUP";
/**
 * Signature positions two passages must share before their bigrams are
 * compared exactly: an estimate of their Jaccard similarity. At the
 * threshold (0.85) the expected agreement is 27 of 32; requiring 19 misses
 * a true pair with probability about 1e-5 and skips most of the exact
 * comparisons, which dominated build time on corpora that reuse sentences.
 */
const MIN_AGREEMENT = 19;
/** Up to this many new texts, a rebuild finds their band hashes by scanning a short array rather than a map. */
const FEW_UNSETTLED = 16;
/** Texts below this count are banded by sorting (a 32-bit hash and the text's number packed exactly in one float: 2^32 · 2^21 ≤ 2^53). */
const SORTED_BANDING_LIMIT = 2 ** 21;

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

/**
 * The same bigram set as sorted numbers: two UTF-16 code units make one
 * exact 32-bit code (no hashing, so no collisions), and two sorted arrays
 * intersect in one merge.
 */
export function bigramCodes(text: string): Uint32Array {
  const t = text.replace(/\s+/g, "");
  const codes = new Uint32Array(Math.max(0, t.length - 1));
  for (let i = 0; i + 1 < t.length; i++) codes[i] = ((t.charCodeAt(i) << 16) | t.charCodeAt(i + 1)) >>> 0;
  codes.sort();
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (i === 0 || codes[i] !== codes[i - 1]) codes[n++] = codes[i]!;
  return codes.subarray(0, n);
}

/** Jaccard similarity of two `bigramCodes` sets; equal to `jaccard` of the `bigramSet`s. */
export function jaccardOfCodes(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) common++;
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return common / (a.length + b.length - common);
}

/** Seeded odd multipliers and masks: h_i(x) = (a_i·x mod 2^32) XOR b_i is a permutation of 32-bit values. */
const [MULTIPLIERS, OFFSETS] = (() => {
  let s = 0x9e3779b9;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const a = new Int32Array(HASHES);
  const b = new Int32Array(HASHES);
  for (let h = 0; h < HASHES; h++) {
    a[h] = next() | 1;
    b[h] = next() | 0;
  }
  return [a, b];
})();

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

let mixed = new Int32Array(256);

/**
 * Whether a UTF-16 code unit is whitespace as `/\s/` has it (tested over
 * all 65,536): the similarity ignores layout, and skipping it while reading
 * the bigrams spares a regular expression and a copy of every text.
 */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The text's bigrams (whitespace left out, as `bigramSet` does), each mixed to a 32-bit value, written into `into`; returns how many. */
function mixedBigrams(text: string, into: Int32Array): number {
  let n = 0;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (previous >= 0) into[n++] = mix(((previous << 16) | c) >>> 0) | 0;
    previous = c;
  }
  return n;
}

/**
 * MinHash signature of a text's bigrams, written into `out` at `at`. A
 * repeated bigram cannot change a minimum, so no set is built. All in 32-bit
 * integers (signed order is as good a total order as any; a·x XOR b never
 * overflows). By WebAssembly SIMD where there is some (`minhash-wasm.ts`),
 * else `minhashPlain`: the same bits either way.
 */
export function minhash(text: string, out: Uint32Array, at: number): void {
  const simd = wasmMinhash(MULTIPLIERS, OFFSETS);
  if (simd === undefined) return minhashPlain(text, out, at);
  if (simd.capacity() < text.length) simd.grow(text.length);
  simd.run(mixedBigrams(text, simd.bigrams()));
  out.set(simd.signature(), at);
}

/** Whether `minhash` runs by WebAssembly SIMD on this runtime (else by `minhashPlain`). */
export function minhashBySimd(): boolean {
  return wasmMinhash(MULTIPLIERS, OFFSETS) !== undefined;
}

/** `minhash` in plain JavaScript: one tight loop per four hash functions. */
export function minhashPlain(text: string, out: Uint32Array, at: number): void {
  if (mixed.length < text.length) mixed = new Int32Array(text.length * 2);
  const xs = mixed;
  const n = mixedBigrams(text, xs);
  // Four hash functions per pass over the bigrams: each bigram is read once for four minima kept side by side
  // (independent, so the processor overlaps them), a quarter of the passes of one function at a time.
  for (let h = 0; h < HASHES; h += 4) {
    const a0 = MULTIPLIERS[h]!;
    const a1 = MULTIPLIERS[h + 1]!;
    const a2 = MULTIPLIERS[h + 2]!;
    const a3 = MULTIPLIERS[h + 3]!;
    const b0 = OFFSETS[h]!;
    const b1 = OFFSETS[h + 1]!;
    const b2 = OFFSETS[h + 2]!;
    const b3 = OFFSETS[h + 3]!;
    let m0 = 0x7fffffff;
    let m1 = 0x7fffffff;
    let m2 = 0x7fffffff;
    let m3 = 0x7fffffff;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const v0 = Math.imul(a0, x) ^ b0;
      const v1 = Math.imul(a1, x) ^ b1;
      const v2 = Math.imul(a2, x) ^ b2;
      const v3 = Math.imul(a3, x) ^ b3;
      if (v0 < m0) m0 = v0;
      if (v1 < m1) m1 = v1;
      if (v2 < m2) m2 = v2;
      if (v3 < m3) m3 = v3;
    }
    out[at + h] = m0 >>> 0;
    out[at + h + 1] = m1 >>> 0;
    out[at + h + 2] = m2 >>> 0;
    out[at + h + 3] = m3 >>> 0;
  }
}

/** What a rebuild knows of a text from the previous build. */
export interface PreviousNearDuplicate {
  readonly signature: Uint32Array;
  /**
   * Its previous group, when the previous build's groups still hold (no
   * passage was removed or changed since, so no group lost a member that
   * linked it): old texts keep their groups and only pairs with a new
   * text are compared.
   */
  readonly group?: number;
}

/** The texts to group: an array, or anything that hands out text i on demand (a rebuild reads old passages' texts only for the pairs it compares). */
export interface Texts {
  readonly length: number;
  at(i: number): string | undefined;
}

/**
 * Groups near-duplicate texts. `previous(i)` may describe text i as the
 * previous build saw it, so a rebuild hashes only new passages (and, when
 * groups are given, compares only pairs involving a new one).
 */
export function findNearDuplicates(texts: Texts, previous?: (i: number) => PreviousNearDuplicate | undefined): NearDuplicates {
  const n = texts.length;
  const signatures = new Uint32Array(n * HASHES);
  const codes = new Map<number, Uint32Array>();
  const codesOf = (i: number) => {
    let c = codes.get(i);
    if (c === undefined) codes.set(i, (c = bigramCodes(texts.at(i)!)));
    return c;
  };
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  /** Texts whose group is settled from the previous build: pairs of two of them are not compared again. */
  const settled = new Uint8Array(n);
  const firstOfGroup = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const old = previous?.(i);
    if (old !== undefined && old.signature.length === HASHES) signatures.set(old.signature, i * HASHES);
    else minhash(texts.at(i)!, signatures, i * HASHES);
    if (old?.group === undefined) continue;
    settled[i] = 1;
    const first = firstOfGroup.get(old.group);
    if (first === undefined) firstOfGroup.set(old.group, i);
    else parent[i] = first;
  }
  // When most texts are settled (a rebuild that only added passages), only buckets holding an unsettled text matter: pairs of settled texts are skipped anyway.
  let unsettled = 0;
  for (let i = 0; i < n; i++) unsettled += 1 - settled[i]!;
  const targeted = unsettled * 4 < n;
  const bandHash = (i: number, band: number) => {
    let h = band;
    for (let r = 0; r < ROWS; r++) h = mix(h ^ signatures[i * HASHES + band * ROWS + r]!);
    return h;
  };
  const unsettledAt = targeted ? Int32Array.from(settled.keys()).filter((i) => settled[i] === 0) : new Int32Array(0);
  /** Each member is checked against the bucket's earlier members (up to a bound), skipping its own group. */
  const compareWithin = (bucket: ArrayLike<number>) => {
    if (bucket.length < 2) return;
    const earlier: number[] = [bucket[0]!];
    for (let j = 1; j < bucket.length; j++) {
      const m = bucket[j]!;
      for (const r of earlier) {
        if (settled[r] === 1 && settled[m] === 1) continue;
        const a = find(r);
        const b = find(m);
        if (a === b) continue;
        if (agreement(signatures, r, m) >= MIN_AGREEMENT && jaccardOfCodes(codesOf(r), codesOf(m)) >= NEAR_DUPLICATE_THRESHOLD) {
          parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
      if (earlier.length < MAX_EARLIER) earlier.push(m);
    }
  };
  // Sorting (hash, text) pairs packed in one float gives every bucket as a run, members in text order, with no map of 100,000 arrays per band.
  const sorted = !targeted && n < SORTED_BANDING_LIMIT ? new Float64Array(n) : undefined;
  for (let band = 0; band < BANDS; band++) {
    if (sorted !== undefined) {
      for (let i = 0; i < n; i++) sorted[i] = bandHash(i, band) * SORTED_BANDING_LIMIT + i;
      sorted.sort();
      const bucket: number[] = [];
      for (let j = 0; j < n; ) {
        const h = Math.floor(sorted[j]! / SORTED_BANDING_LIMIT);
        bucket.length = 0;
        for (; j < n && Math.floor(sorted[j]! / SORTED_BANDING_LIMIT) === h; j++) bucket.push(sorted[j]! % SORTED_BANDING_LIMIT);
        compareWithin(bucket);
      }
      continue;
    }
    const buckets = new Map<number, number[]>();
    if (targeted) {
      // One hash per text, looked up only among the new texts' few hashes (a scan while they are few, a map beyond).
      const wanted = Int32Array.from(unsettledAt, (i) => bandHash(i, band) | 0);
      for (const h of wanted) buckets.set(h >>> 0, []);
      const few = wanted.length <= FEW_UNSETTLED;
      for (let i = 0; i < n; i++) {
        const h = bandHash(i, band);
        if (few && !wanted.includes(h | 0)) continue;
        buckets.get(h)?.push(i);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const h = bandHash(i, band);
        const bucket = buckets.get(h);
        if (bucket === undefined) buckets.set(h, [i]);
        else bucket.push(i);
      }
    }
    for (const bucket of buckets.values()) compareWithin(bucket);
  }
  const groups = new Int32Array(n);
  for (let i = 0; i < n; i++) groups[i] = find(i);
  return { groups, signatures };
}

function agreement(signatures: Uint32Array, a: number, b: number): number {
  let same = 0;
  for (let h = 0; h < HASHES; h++) if (signatures[a * HASHES + h] === signatures[b * HASHES + h]) same++;
  return same;
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
