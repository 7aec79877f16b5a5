import { type Accumulator, BM25_K1, type Bm25, type Bm25Hit, type PostingList } from "./bm25.js";

export interface SearchOptions {
  /** Score every posting: the reference the pruned search is tested against. */
  readonly exhaustive?: boolean;
  /** Counts searches that skipped postings (for tests and benchmarks). */
  readonly stats?: { pruned: number };
}

/**
 * Top k over several BM25 fields summed (title and text), exactly as scoring
 * every posting would give it, without scoring every posting.
 *
 * Term at a time, shortest postings first. Before a long list, the best any
 * document could still gain from the lists left is bounded (a term adds at
 * most its largest posting weight, see `Bm25.postings`); once that bound is
 * below the k-th best score so far, no document outside the current leaders
 * can reach the top k, however the rest of the question's words fall. Then the leaders that can still make it
 * are scored in full, each looked up in the remaining lists by galloping
 * search, instead of walking those lists: a word such as 年 or 月, in most
 * passages, then costs a few thousand look-ups instead of 100,000 additions.
 *
 * The leaders' scores are recomputed in the order the exhaustive search
 * adds them (field by field, words in the query's order), so the scores and
 * the ties between them are bit for bit the same: pruning changes which
 * postings are read, never the answer (tested against scoring every posting).
 */
export function searchFields(fields: readonly Bm25[], termIds: ReadonlySet<number>, k: number, acc: Accumulator, opts: SearchOptions = {}): Bm25Hit[] {
  const lists: PostingList[] = [];
  for (const f of fields) {
    for (const t of termIds) {
      const list = f.postings(t);
      if (list !== undefined) lists.push(list);
    }
  }
  let total = 0;
  for (const l of lists) total += l.end - l.start;
  if (opts.exhaustive === true || k <= 0 || total < MIN_POSTINGS_TO_PRUNE) {
    for (const f of fields) f.accumulate(termIds, acc);
    return acc.top(k);
  }
  acc.reserve(Math.max(...fields.map((f) => f.slots)));
  const byLength = [...lists].sort((a, b) => a.end - a.start - (b.end - b.start));
  let remainingBound = 0;
  let remainingPostings = total;
  for (const l of byLength) remainingBound += l.bound;
  let checkedAt = Infinity;
  for (let j = 0; j < byLength.length; j++) {
    const list = byLength[j]!;
    const length = list.end - list.start;
    // A check reads every touched document: worth it only while much more than that is left to add,
    // and again only once the bound has fallen well below where the last check failed.
    if (length >= MIN_LIST_TO_SKIP && acc.count >= k && remainingPostings > 2 * acc.count && remainingBound < checkedAt * 0.75) {
      checkedAt = remainingBound;
      const leaders = contenders(acc, k, remainingBound);
      const rest = byLength.slice(j);
      if (leaders !== undefined && lookupCost(leaders.length, rest) * LOOKUP_TO_ADDITION < remainingPostings) {
        if (opts.stats) opts.stats.pruned++;
        return finish(leaders, acc, rest, lists, k);
      }
    }
    add(list, acc);
    remainingBound -= list.bound;
    remainingPostings -= length;
  }
  // Every list was added, in another order than the exhaustive search's: score the top k (and any tied with it) again in its order.
  const leaders = contenders(acc, k, 0) ?? acc.touched.slice(0, acc.count).sort();
  acc.top(0);
  return scoreInFull(leaders, lists, k);
}

/**
 * Completes the leaders' scores from the lists not yet added (a galloping
 * look-up of each leader), then scores the top k of them, and any within
 * rounding of the k-th, again in the exhaustive search's order.
 */
function finish(leaders: Uint32Array, acc: Accumulator, rest: readonly PostingList[], lists: readonly PostingList[], k: number): Bm25Hit[] {
  const partial = new Float64Array(leaders.length);
  for (let c = 0; c < leaders.length; c++) partial[c] = acc.scores[leaders[c]!]!;
  acc.top(0);
  for (const list of rest) addLookedUp(list, leaders, partial);
  const kth = kthLargest(partial, undefined, leaders.length, Math.min(k, leaders.length));
  const final: number[] = [];
  for (let c = 0; c < leaders.length; c++) if (partial[c]! >= kth - EPSILON) final.push(leaders[c]!);
  return scoreInFull(Uint32Array.from(final), lists, k);
}

/** Below this many postings in all, scoring every posting is already fast. */
const MIN_POSTINGS_TO_PRUNE = 20_000;
/** Lists shorter than this are scored whole: skipping them saves little. */
const MIN_LIST_TO_SKIP = 4_096;
/** A galloping look-up step costs a few sequential additions (a dependent, scattered read). */
const LOOKUP_TO_ADDITION = 2;
/** Slack for summing in another order: scores differ from the exhaustive ones only in the last bits. */
const EPSILON = 1e-9;
const K1_PLUS_1 = BM25_K1 + 1;

function add(list: PostingList, acc: Accumulator): void {
  const { docs, tfs, idf, norms } = list;
  const { scores, touched } = acc;
  for (let i = list.start; i < list.end; i++) {
    const d = docs[i]!;
    const tf = tfs[i]!;
    if (scores[d] === 0) touched[acc.count++] = d;
    scores[d]! += (idf * tf * K1_PLUS_1) / (tf + norms[d]!);
  }
}

/**
 * The documents that can still reach the top k when the lists left can add
 * at most `bound`, sorted by slot; undefined while an unseen document could.
 */
function contenders(acc: Accumulator, k: number, bound: number): Uint32Array | undefined {
  const { scores, touched, count } = acc;
  const kth = kthLargest(scores, touched, count, k);
  if (bound >= kth - EPSILON) return undefined;
  const floor = kth - bound - EPSILON;
  const out: number[] = [];
  for (let j = 0; j < count; j++) {
    const d = touched[j]!;
    if (scores[d]! >= floor) out.push(d);
  }
  return Uint32Array.from(out).sort();
}

/** The k-th largest of scores[at[0 .. count)] (k ≤ count; a bounded min-heap); all of `scores` when `at` is undefined. */
function kthLargest(scores: Float64Array, at: Uint32Array | undefined, count: number, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  let min = -Infinity;
  for (let j = 0; j < count; j++) {
    const s = scores[at === undefined ? j : at[j]!]!;
    if (size === k && s <= min) continue;
    if (size < k) {
      let i = size++;
      heap[i] = s;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]! <= heap[i]!) break;
        [heap[p], heap[i]] = [heap[i]!, heap[p]!];
        i = p;
      }
    } else {
      heap[0] = s;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && heap[l]! < heap[m]!) m = l;
        if (r < k && heap[r]! < heap[m]!) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    if (size === k) min = heap[0]!;
  }
  return heap[0]!;
}

/** Rough steps to score `n` leaders in full: a galloping look-up per leader in every list. */
function lookupCost(n: number, lists: readonly PostingList[]): number {
  let steps = 0;
  for (const l of lists) steps += n * (1 + Math.log2(1 + (l.end - l.start) / n));
  return steps;
}

/**
 * Each leader's score over every list, summed in the exhaustive search's
 * order (`lists` is field by field, words in query order), then the top k,
 * ties to the lower slot.
 */
function scoreInFull(leaders: Uint32Array, lists: readonly PostingList[], k: number): Bm25Hit[] {
  const scores = new Float64Array(leaders.length);
  for (const list of lists) addLookedUp(list, leaders, scores);
  const order = Array.from(leaders.keys()).sort((a, b) => scores[b]! - scores[a]! || leaders[a]! - leaders[b]!);
  return order.slice(0, k).filter((c) => scores[c]! > 0).map((c) => ({ doc: leaders[c]!, score: scores[c]! }));
}

/** Adds one list's weight to each leader's score (`scores[c]` for `leaders[c]`), finding the leaders in it by galloping. */
function addLookedUp(list: PostingList, leaders: Uint32Array, scores: Float64Array): void {
  const { docs, tfs, idf, norms, end } = list;
  let at = list.start;
  for (let c = 0; c < leaders.length && at < end; c++) {
    const d = leaders[c]!;
    at = gallop(docs, at, end, d);
    if (at < end && docs[at] === d) {
      const tf = tfs[at]!;
      scores[c]! += (idf * tf * K1_PLUS_1) / (tf + norms[d]!);
    }
  }
}

/** The first position in docs[from, end) holding a slot ≥ d: doubling steps, then a binary search. */
function gallop(docs: Uint32Array, from: number, end: number, d: number): number {
  if (from >= end || docs[from]! >= d) return from;
  let lo = from;
  let step = 1;
  while (lo + step < end && docs[lo + step]! < d) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, end);
  // docs[lo] < d, and docs[hi] ≥ d or hi = end.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < d) lo = mid;
    else hi = mid;
  }
  return hi;
}
