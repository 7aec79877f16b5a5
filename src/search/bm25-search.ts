import { type Accumulator, BM25_K1, type Bm25, type Bm25Hit, type PostingList } from "./bm25.js";
import { kthLargest, kthLargestKeeping } from "./kth-largest.js";

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
 * can reach the top k, however the rest of the question's words fall. Then
 * only the leaders that can still make it are scored on: while they are
 * many, a remaining list is walked adding to them alone; once few, each is
 * looked up by galloping search: a word such as 年 or 月, in most passages,
 * then costs a few thousand look-ups instead of 100,000 additions.
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
  if (opts.exhaustive === true || k <= 0) {
    for (const f of fields) f.accumulate(termIds, acc);
    return acc.top(k);
  }
  acc.reserve(Math.max(...fields.map((f) => f.slots)));
  if (total < MIN_POSTINGS_TO_PRUNE) {
    // Every posting, in the exhaustive search's order (field by field, words in the query's order), by the same loop as below.
    for (const list of lists) add(list, acc);
    return acc.top(k);
  }
  const byLength = [...lists].sort((a, b) => a.end - a.start - (b.end - b.start));
  let remainingBound = 0;
  let remainingPostings = total;
  for (const l of byLength) remainingBound += l.bound;
  let checkedAt = Infinity;
  // The most the k-th score can be now: the k-th at the last check plus what the lists added since can add to
  // any score (each its bound). While the bound left is not below it, a check cannot succeed: it is not made.
  let kthAtMost = Infinity;
  for (let j = 0; j < byLength.length; j++) {
    const list = byLength[j]!;
    const length = list.end - list.start;
    // A check reads every touched document: worth it only while much more than that is left to add,
    // and again only once the bound has fallen well below where the last check failed.
    if (length >= MIN_LIST_TO_SKIP && acc.count >= k && remainingPostings > 2 * acc.count && remainingBound < checkedAt * 0.75 && remainingBound < kthAtMost - EPSILON) {
      checkedAt = remainingBound;
      const { kth, leaders } = contenders(acc, k, remainingBound, false);
      kthAtMost = kth;
      if (leaders !== undefined) {
        if (opts.stats) opts.stats.pruned++;
        return finish(leaders, acc, byLength.slice(j), lists, k);
      }
    }
    add(list, acc);
    kthAtMost += list.bound;
    remainingBound -= list.bound;
    remainingPostings -= length;
  }
  // Every list was added, in another order than the exhaustive search's: score the top k (and any tied with it) again in its order.
  const leaders = contenders(acc, k, 0, true).leaders ?? acc.touched.slice(0, acc.count).sort();
  acc.top(0);
  return scoreInFull(leaders, lists, k);
}

/**
 * Completes the leaders' scores (in the accumulator, where their partial
 * scores are) from the lists not yet added, then scores the top k of them,
 * and any within rounding of the k-th, again in the exhaustive search's
 * order. A list is walked, adding to leaders only (a mark per slot says who
 * they are), while the leaders are many beside it; once they are few, they
 * are sorted and looked up in it by galloping. After each list, leaders
 * that can no longer reach the k-th best score so far (their score with
 * everything the lists left could add still falls short) are dropped, so
 * the longest lists, looked up last, are searched for fewer.
 */
function finish(leaders: Uint32Array, acc: Accumulator, rest: readonly PostingList[], lists: readonly PostingList[], k: number): Bm25Hit[] {
  const { scores } = acc;
  if (member.length < scores.length) {
    member = new Uint8Array(scores.length);
    mark = 0;
  }
  nextMark();
  for (const d of leaders) member[d] = mark;
  let n = leaders.length;
  let sorted = false;
  let left = 0;
  for (const list of rest) left += list.bound;
  for (const list of rest) {
    const length = list.end - list.start;
    const lookups = lookupCost(n, length) * LOOKUP_TO_ADDITION;
    if (!sorted && n * Math.log2(n + 1) * SORT_TO_ADDITION + lookups < length) {
      leaders.subarray(0, n).sort();
      sorted = true;
    }
    if (sorted && lookups < length) addLookedUp(list, leaders.subarray(0, n), scores, true);
    else addToMembers(list, scores);
    left -= list.bound;
    if (n <= k) continue;
    // A leader's score only grows, so the k-th best now is at most the final k-th: a leader below it by more than `left` is out.
    // The pass that finds the k-th keeps (in place, in order) a superset of those that stay; they are then filtered and marked anew.
    const slack = Math.max(left, 0) + EPSILON;
    const { kth, kept } = kthLargestKeeping(scores, leaders, n, k, slack, leaders);
    const floor = kth - slack;
    nextMark();
    n = 0;
    for (let c = 0; c < kept; c++) {
      const d = leaders[c]!;
      if (scores[d]! < floor) continue;
      leaders[n++] = d;
      member[d] = mark;
    }
  }
  const kth = kthLargest(scores, leaders, n, Math.min(k, n));
  const final: number[] = [];
  for (let c = 0; c < n; c++) {
    const d = leaders[c]!;
    if (scores[d]! >= kth - EPSILON) final.push(d);
  }
  acc.top(0);
  return scoreInFull(Uint32Array.from(final).sort(), lists, k);
}

/**
 * Marks the leaders of `finish` by slot: a slot is a leader when it holds
 * the current `mark`. Dropping leaders starts a new mark rather than
 * clearing the dropped ones (whose slots the in-place pass has overwritten);
 * after 255 marks the array is cleared once.
 */
let member = new Uint8Array(0);
let mark = 0;

function nextMark(): void {
  if (mark === 255) {
    member.fill(0);
    mark = 0;
  }
  mark++;
}

/** Adds one list's weight to the marked leaders' scores, walking the whole list. */
function addToMembers(list: PostingList, scores: Float64Array): void {
  const { docs, tfs, idf, norms, end } = list;
  const marks = member;
  const leader = mark;
  for (let i = list.start; i < end; i++) {
    const d = docs[i]!;
    if (marks[d] !== leader) continue;
    const tf = tfs[i]!;
    scores[d]! += (idf * tf * K1_PLUS_1) / (tf + norms[d]!);
  }
}

/** Below this many postings in all, scoring every posting is already fast. */
const MIN_POSTINGS_TO_PRUNE = 20_000;
/** Lists shorter than this are scored whole: skipping them saves little. */
const MIN_LIST_TO_SKIP = 4_096;
/** A galloping look-up step costs a few sequential additions (a dependent, scattered read). */
const LOOKUP_TO_ADDITION = 2;
/** A step of sorting the leaders (a typed array's native sort) against one posting walked. */
const SORT_TO_ADDITION = 1;
/** Slack for summing in another order: scores differ from the exhaustive ones only in the last bits. */
const EPSILON = 1e-9;
const K1_PLUS_1 = BM25_K1 + 1;

function add(list: PostingList, acc: Accumulator): void {
  const { docs, tfs, idf, norms, end } = list;
  const { scores, touched } = acc;
  let count = acc.count;
  for (let i = list.start; i < end; i++) {
    const d = docs[i]!;
    const tf = tfs[i]!;
    const before = scores[d]!;
    if (before === 0) touched[count++] = d;
    scores[d] = before + (idf * tf * K1_PLUS_1) / (tf + norms[d]!);
  }
  acc.count = count;
}

/**
 * The documents that can still reach the top k when the lists left can add
 * at most `bound` (in the order they were touched, or sorted by slot when
 * `sort`); undefined while an unseen document could.
 */
function contenders(acc: Accumulator, k: number, bound: number, sort: boolean): { readonly kth: number; readonly leaders?: Uint32Array } {
  const { scores, touched, count } = acc;
  // The leaders are gathered in the pass that finds the k-th score (a superset, then filtered).
  if (gathered.length < count) gathered = new Uint32Array(Math.max(count, 2 * gathered.length));
  const { kth, kept } = kthLargestKeeping(scores, touched, count, k, bound + EPSILON, gathered);
  if (bound >= kth - EPSILON) return { kth };
  const floor = kth - bound - EPSILON;
  let out = 0;
  for (let j = 0; j < kept; j++) {
    const d = gathered[j]!;
    if (scores[d]! >= floor) gathered[out++] = d;
  }
  const leaders = gathered.slice(0, out);
  return { kth, leaders: sort ? leaders.sort() : leaders };
}

/** Scratch for `contenders`, reused from search to search (one thread, and the leaders are copied out of it). */
let gathered = new Uint32Array(1024);

/** Rough steps to find `n` leaders in a list of `length` postings: a galloping look-up each. */
function lookupCost(n: number, length: number): number {
  return n * (1 + Math.log2(1 + length / n));
}

/**
 * Each leader's score over every list, summed in the exhaustive search's
 * order (`lists` is field by field, words in query order), then the top k,
 * ties to the lower slot.
 */
function scoreInFull(leaders: Uint32Array, lists: readonly PostingList[], k: number): Bm25Hit[] {
  const scores = new Float64Array(leaders.length);
  for (const list of lists) addLookedUp(list, leaders, scores, false);
  const order = Array.from(leaders.keys()).sort((a, b) => scores[b]! - scores[a]! || leaders[a]! - leaders[b]!);
  return order.slice(0, k).filter((c) => scores[c]! > 0).map((c) => ({ doc: leaders[c]!, score: scores[c]! }));
}

/**
 * Adds one list's weight to each leader's score, finding the (sorted)
 * leaders in it by galloping: `scores[d]` for leader d when `bySlot`, else
 * `scores[c]` for `leaders[c]`.
 */
function addLookedUp(list: PostingList, leaders: Uint32Array, scores: Float64Array, bySlot: boolean): void {
  const { docs, tfs, idf, norms, end } = list;
  let at = list.start;
  for (let c = 0; c < leaders.length && at < end; c++) {
    const d = leaders[c]!;
    at = gallop(docs, at, end, d);
    if (at < end && docs[at] === d) {
      const tf = tfs[at]!;
      scores[bySlot ? d : c]! += (idf * tf * K1_PLUS_1) / (tf + norms[d]!);
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
