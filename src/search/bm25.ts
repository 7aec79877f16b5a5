/**
 * Okapi BM25 over term ids, with postings and document lengths in typed
 * arrays. Knows nothing of words or files: `lexical.ts` turns text into term
 * ids, `lexical-format.ts` saves and loads the arrays.
 *
 * Postings live in one compressed-sparse-row block (`offsets`, `docs`,
 * `tfs`), sorted by term then document. Added documents wait in a small
 * flat buffer and removed ones are only marked, until `seal()` merges both
 * into a new block in one pass (a counting sort, O(postings)); searching or
 * saving seals first, so a batch of adds or removes costs one merge.
 */

import { offerMin } from "./kth-largest.js";

/** Lucene's defaults; the idf is Lucene's too, log(1 + (N - df + 0.5) / (df + 0.5)), never negative. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export function bm25Idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}

/** The sealed arrays, as saved and loaded. Document slots are 0..lengths.length-1. */
export interface Bm25Arrays {
  /** Number of terms in each document (its BM25 length). */
  readonly lengths: Uint32Array;
  /** Postings of term t are docs/tfs[offsets[t] .. offsets[t+1]). */
  readonly offsets: Uint32Array;
  readonly docs: Uint32Array;
  readonly tfs: Uint16Array;
}

/** A term's postings in one field: docs/tfs[start .. end), with the term's idf and the field's length norms. */
export interface PostingList {
  readonly docs: Uint32Array;
  readonly tfs: Uint16Array;
  readonly start: number;
  readonly end: number;
  readonly idf: number;
  /** k1·(1 − b + b·len/avgdl) per slot. */
  readonly norms: Float64Array;
  /** The most the term adds to any document's score. */
  readonly bound: number;
}

export interface Bm25Hit {
  readonly doc: number;
  readonly score: number;
}

/** Grows a typed array by doubling; `length` is how much of it is used. */
class Growable<T extends Uint32Array | Uint16Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(16, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const u32 = (n: number) => new Uint32Array(n);

function growZeroed(a: Uint32Array, index: number): Uint32Array {
  const next = new Uint32Array(Math.max(1024, (index + 1) * 2));
  next.set(a);
  return next;
}
const u16 = (n: number) => new Uint16Array(n);
const MAX_TF = 0xffff;
/** Pending postings up to this many are merged in blocks (`mergeAdded`); more (a full build) go through the counting sort. */
const MAX_BLOCK_MERGE = 1 << 20;
const BLOCK_MERGE_SPAN = 2 ** 21;

export class Bm25 {
  private offsets: Uint32Array;
  private docs: Uint32Array;
  private tfs: Uint16Array;
  private readonly lengths: Growable<Uint32Array>;
  /** Live documents holding each term in this field, kept current on add, recounted on seal after removals; its length is the term count. */
  private df: Growable<Uint32Array>;
  private totalLength = 0;
  private live = 0;
  /** Added documents' postings, not yet merged: term, slot, tf. */
  private pendingTerms = new Growable(u32(0), u32);
  private pendingDocs = new Growable(u32(0), u32);
  private pendingTfs = new Growable(u16(0), u16);
  private removed: Uint8Array | undefined;
  /** Zero between calls; `add` counts term frequencies in it. */
  private scratch: Uint32Array = new Uint32Array(0);
  /** Per-slot length normalisation k1·(1 − b + b·len/avgdl), recomputed after a change. */
  private norms: Float64Array | undefined;
  /** Per term, the largest weight tf·(k1 + 1)/(tf + norm) of its postings (−1: not computed); dropped with the norms. */
  private weights: Float64Array | undefined;

  constructor(arrays?: Bm25Arrays) {
    const a = arrays ?? { lengths: u32(0), offsets: u32(1), docs: u32(0), tfs: u16(0) };
    this.offsets = a.offsets;
    this.docs = a.docs;
    this.tfs = a.tfs;
    this.lengths = new Growable(a.lengths, u32);
    this.lengths.length = a.lengths.length;
    const terms = a.offsets.length - 1;
    this.df = new Growable(u32(Math.max(16, terms)), u32);
    this.df.length = terms;
    for (let t = 0; t < terms; t++) this.df.data[t] = a.offsets[t + 1]! - a.offsets[t]!;
    for (const l of a.lengths) this.totalLength += l;
    this.live = a.lengths.length;
  }

  /** Live documents. */
  get size(): number {
    return this.live;
  }

  /**
   * Adds a document given its term ids (any order, repeats counted as term
   * frequency); returns its slot. Ids are small non-negative integers
   * (positions in the caller's term table); a new id extends the arrays.
   */
  add(termIds: ArrayLike<number>): number {
    const slot = this.lengths.length;
    const length = termIds.length;
    for (let i = 0; i < length; i++) {
      const t = termIds[i]!;
      while (this.df.length <= t) this.df.push(0);
      if (this.scratch.length <= t) this.scratch = growZeroed(this.scratch, t);
    }
    const counts = this.scratch;
    // Term frequencies in a scratch array indexed by term id (cleared as it is read): no map per document.
    for (let i = 0; i < length; i++) counts[termIds[i]!]!++;
    for (let i = 0; i < length; i++) {
      const t = termIds[i]!;
      const n = counts[t]!;
      if (n === 0) continue;
      counts[t] = 0;
      this.df.data[t]!++;
      this.pendingTerms.push(t);
      this.pendingDocs.push(slot);
      this.pendingTfs.push(Math.min(n, MAX_TF));
    }
    this.lengths.push(length);
    this.totalLength += length;
    this.live++;
    this.norms = undefined;
    this.weights = undefined;
    return slot;
  }

  /** Marks a slot removed; slots are renumbered at the next seal (see `seal`'s return). */
  remove(slot: number): void {
    if (slot >= this.lengths.length) return;
    this.removed ??= new Uint8Array(this.lengths.length);
    if (this.removed.length < this.lengths.length) {
      const grown = new Uint8Array(this.lengths.length);
      grown.set(this.removed);
      this.removed = grown;
    }
    if (this.removed[slot] === 1) return;
    this.removed[slot] = 1;
    this.totalLength -= this.lengths.data[slot]!;
    this.live--;
    this.norms = undefined;
    this.weights = undefined;
  }

  get dirty(): boolean {
    return this.pendingDocs.length > 0 || this.removed !== undefined;
  }

  /** Removals renumber slots, which only the owner of the slot → key map may trigger (by calling `seal`). */
  private sealIfRemoved(): void {
    if (this.removed !== undefined) throw new Error("Bm25: call seal() after remove() and renumber the slots before reading");
  }

  /**
   * Merges pending adds and drops removed slots in one counting-sort pass.
   * Returns the old-slot → new-slot map when slots were renumbered (−1 for
   * removed ones), so the caller can renumber its keys; undefined otherwise.
   */
  seal(): Int32Array | undefined {
    if (!this.dirty) return undefined;
    const slots = this.lengths.length;
    const removed = this.removed;
    let remap: Int32Array | undefined;
    if (removed !== undefined) {
      remap = new Int32Array(slots);
      let next = 0;
      for (let s = 0; s < slots; s++) remap[s] = removed[s] === 1 ? -1 : next++;
    }
    if (remap === undefined && this.pendingTerms.length <= MAX_BLOCK_MERGE) {
      this.mergeAdded();
      return undefined;
    }
    const terms = this.df.length;
    const counts = new Uint32Array(terms + 1);
    const baseTerms = this.offsets.length - 1;
    // Pass 1: postings per term that survive.
    for (let t = 0; t < baseTerms; t++) {
      for (let i = this.offsets[t]!; i < this.offsets[t + 1]!; i++) if (remap === undefined || remap[this.docs[i]!]! >= 0) counts[t + 1]!++;
    }
    const pt = this.pendingTerms.view();
    const pd = this.pendingDocs.view();
    const pf = this.pendingTfs.view();
    for (let i = 0; i < pt.length; i++) if (remap === undefined || remap[pd[i]!]! >= 0) counts[pt[i]! + 1]!++;
    for (let t = 0; t < terms; t++) counts[t + 1]! += counts[t]!;
    const offsets = counts;
    const total = offsets[terms]!;
    const docs = new Uint32Array(total);
    const tfs = new Uint16Array(total);
    const cursor = offsets.slice(0, terms);
    // Pass 2: base postings (already in slot order), then pending ones (slots after every base slot).
    for (let t = 0; t < baseTerms; t++) {
      for (let i = this.offsets[t]!; i < this.offsets[t + 1]!; i++) {
        const d = remap === undefined ? this.docs[i]! : remap[this.docs[i]!]!;
        if (d < 0) continue;
        const at = cursor[t]!++;
        docs[at] = d;
        tfs[at] = this.tfs[i]!;
      }
    }
    for (let i = 0; i < pt.length; i++) {
      const d = remap === undefined ? pd[i]! : remap[pd[i]!]!;
      if (d < 0) continue;
      const at = cursor[pt[i]!]!++;
      docs[at] = d;
      tfs[at] = pf[i]!;
    }
    this.install(offsets, docs, tfs);
    if (remap !== undefined) {
      const lengths = new Growable(u32(this.live), u32);
      for (let s = 0; s < slots; s++) if (remap[s]! >= 0) lengths.push(this.lengths.data[s]!);
      this.lengths.data = lengths.data;
      this.lengths.length = lengths.length;
      for (let t = 0; t < terms; t++) this.df.data[t] = offsets[t + 1]! - offsets[t]!;
      this.removed = undefined;
    }
    this.norms = undefined;
    this.weights = undefined;
    return remap;
  }

  /** Serves new postings arrays and empties the pending ones. */
  private install(offsets: Uint32Array, docs: Uint32Array, tfs: Uint16Array): void {
    this.offsets = offsets;
    this.docs = docs;
    this.tfs = tfs;
    this.pendingTerms = new Growable(u32(0), u32);
    this.pendingDocs = new Growable(u32(0), u32);
    this.pendingTfs = new Growable(u16(0), u16);
  }

  /**
   * `seal()` when documents were only added, and few: the base postings are
   * copied in blocks (a typed-array copy of each run of terms between two
   * that gain a posting) and the added postings slotted in after their
   * term's. The same arrays as the counting sort, which touched every
   * posting one at a time: adding one story to 100k passages took ~0.2–0.5 s
   * there, nearly all of it copying postings that did not move relative to
   * each other.
   */
  private mergeAdded(): void {
    const terms = this.df.length;
    const baseTerms = this.offsets.length - 1;
    const base = this.offsets[baseTerms]!;
    const pt = this.pendingTerms.view();
    const pd = this.pendingDocs.view();
    const pf = this.pendingTfs.view();
    const n = pt.length;
    const offsets = new Uint32Array(terms + 1);
    for (let t = 0; t < baseTerms; t++) offsets[t + 1] = this.offsets[t + 1]! - this.offsets[t]!;
    for (let i = 0; i < n; i++) offsets[pt[i]! + 1]!++;
    for (let t = 0; t < terms; t++) offsets[t + 1]! += offsets[t]!;
    // Pending postings by term, in the order they were added within a term (the key is exact: term < 2^32, i < 2^21).
    const order = new Float64Array(n);
    for (let i = 0; i < n; i++) order[i] = pt[i]! * BLOCK_MERGE_SPAN + i;
    order.sort();
    const docs = new Uint32Array(base + n);
    const tfs = new Uint16Array(base + n);
    let from = 0;
    let to = 0;
    const copyBaseUpTo = (end: number) => {
      if (end <= from) return;
      docs.set(this.docs.subarray(from, end), to);
      tfs.set(this.tfs.subarray(from, end), to);
      to += end - from;
      from = end;
    };
    for (let k = 0; k < n; k++) {
      const i = order[k]! % BLOCK_MERGE_SPAN;
      const t = pt[i]!;
      copyBaseUpTo(this.offsets[Math.min(t + 1, baseTerms)]!);
      docs[to] = pd[i]!;
      tfs[to] = pf[i]!;
      to++;
    }
    copyBaseUpTo(base);
    this.install(offsets, docs, tfs);
    this.norms = undefined;
    this.weights = undefined;
  }

  /** The sealed arrays, for saving. */
  arrays(): Bm25Arrays {
    this.sealIfRemoved();
    this.seal();
    return { lengths: this.lengths.view(), offsets: this.offsets, docs: this.docs, tfs: this.tfs };
  }

  /**
   * Adds each slot's BM25 score for the distinct query terms to `acc`
   * (unknown terms add nothing). Fields of one document share a slot, so
   * several indexes can add into one accumulator (BM25 summed over fields).
   */
  accumulate(termIds: ReadonlySet<number>, acc: Accumulator): void {
    this.sealIfRemoved();
    this.seal();
    const n = this.lengths.length;
    if (n === 0) return;
    acc.reserve(n);
    const norms = this.lengthNorms();
    const { scores, touched } = acc;
    const k1 = BM25_K1 + 1;
    for (const t of termIds) {
      if (t < 0 || t >= this.offsets.length - 1) continue;
      const start = this.offsets[t]!;
      const end = this.offsets[t + 1]!;
      const idf = bm25Idf(n, end - start);
      for (let i = start; i < end; i++) {
        const d = this.docs[i]!;
        const tf = this.tfs[i]!;
        if (scores[d] === 0) touched[acc.count++] = d;
        scores[d]! += (idf * tf * k1) / (tf + norms[d]!);
      }
    }
  }

  /**
   * One term's postings with what scoring them needs, for searches that do
   * not score every posting (see `bm25-search.ts`); undefined for a term no
   * document holds. Views into the sealed arrays: valid until the next change.
   */
  postings(termId: number): PostingList | undefined {
    this.sealIfRemoved();
    this.seal();
    const n = this.lengths.length;
    if (termId < 0 || termId >= this.offsets.length - 1 || n === 0) return undefined;
    const start = this.offsets[termId]!;
    const end = this.offsets[termId + 1]!;
    if (start === end) return undefined;
    const idf = bm25Idf(n, end - start);
    return { docs: this.docs, tfs: this.tfs, start, end, idf, norms: this.lengthNorms(), bound: idf * this.maxWeight(termId) };
  }

  /**
   * The largest tf·(k1 + 1)/(tf + norm) among a term's postings, computed on
   * first use and kept until the lengths change: what bounds the score the
   * term can add to any document.
   */
  private maxWeight(termId: number): number {
    const norms = this.lengthNorms();
    if (this.weights === undefined || this.weights.length < this.offsets.length - 1) this.weights = new Float64Array(this.offsets.length - 1).fill(-1);
    let w = this.weights[termId]!;
    if (w < 0) {
      w = 0;
      for (let i = this.offsets[termId]!; i < this.offsets[termId + 1]!; i++) {
        const tf = this.tfs[i]!;
        const x = (tf * (BM25_K1 + 1)) / (tf + norms[this.docs[i]!]!);
        if (x > w) w = x;
      }
      // Rounded up a little: the bound must hold for the scores as the search sums them.
      this.weights[termId] = w = w * (1 + 1e-12);
    }
    return w;
  }

  /** Documents (slots), live and removed-but-unsealed alike: the size an accumulator needs. */
  get slots(): number {
    return this.lengths.length;
  }

  /** Whether the document at `slot` holds the term: a binary search of the term's postings. */
  has(termId: number, slot: number): boolean {
    this.sealIfRemoved();
    this.seal();
    if (termId < 0 || termId >= this.offsets.length - 1) return false;
    let lo = this.offsets[termId]!;
    let hi = this.offsets[termId + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.docs[mid]!;
      if (d === slot) return true;
      if (d < slot) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }

  private lengthNorms(): Float64Array {
    if (this.norms !== undefined) return this.norms;
    const n = this.lengths.length;
    const avg = n === 0 ? 1 : this.totalLength / n || 1;
    const norms = new Float64Array(n);
    const lengths = this.lengths.data;
    for (let d = 0; d < n; d++) norms[d] = BM25_K1 * (1 - BM25_B + (BM25_B * lengths[d]!) / avg);
    this.norms = norms;
    return norms;
  }
}

/** Scores per slot for one query, and which slots were touched; reusable across queries. */
export class Accumulator {
  scores = new Float64Array(0);
  touched = new Uint32Array(0);
  count = 0;
  /** Scratch for `top`: the slots that may be in the top k, and their scores. */
  private near = new Uint32Array(0);
  private nearScores = new Float64Array(0);

  reserve(slots: number): void {
    if (this.scores.length >= slots) return;
    const scores = new Float64Array(slots);
    const touched = new Uint32Array(slots);
    scores.set(this.scores);
    touched.set(this.touched.subarray(0, this.count));
    this.scores = scores;
    this.touched = touched;
  }

  /**
   * The k best slots, best first, ties to the lower slot, and clears the
   * accumulator for the next query. One pass over the touched slots finds
   * the k-th best score (a typed min-heap that skips most slots with one
   * comparison), keeps aside the few that reach the k-th seen so far, and
   * zeroes each score as it reads it: finding the k-th, gathering those that
   * reach it and clearing had been three scattered passes.
   */
  top(k: number): Bm25Hit[] {
    const { scores, touched, count } = this;
    this.count = 0;
    if (k <= 0 || count === 0) {
      // Many touched slots (a common word): zeroing the whole array in order beats scattered writes.
      if (count * 8 >= scores.length) scores.fill(0);
      else for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
      return [];
    }
    if (this.near.length < count) {
      this.near = new Uint32Array(Math.max(count, 2 * this.near.length));
      this.nearScores = new Float64Array(this.near.length);
    }
    const { near, nearScores } = this;
    const size = Math.min(k, count);
    const heap = new Float64Array(size);
    let filled = 0;
    let min = -Infinity;
    let kept = 0;
    for (let j = 0; j < count; j++) {
      const d = touched[j]!;
      const s = scores[d]!;
      scores[d] = 0;
      // The running k-th only rises: a slot below it now is below the final k-th.
      if (s < min) continue;
      near[kept] = d;
      nearScores[kept++] = s;
      if (filled === size && s === min) continue;
      filled = offerMin(heap, filled, size, s);
      if (filled === size) min = heap[0]!;
    }
    const kth = heap[0]!;
    const best: number[] = [];
    for (let j = 0; j < kept; j++) if (nearScores[j]! >= kth) best.push(j);
    best.sort((a, b) => nearScores[b]! - nearScores[a]! || near[a]! - near[b]!);
    if (best.length > k) best.length = k;
    return best.map((j) => ({ doc: near[j]!, score: nearScores[j]! }));
  }
}
