/**
 * The k-th largest of some scores, by a bounded min-heap in a typed array:
 * once the heap is full, a score no higher than its minimum costs one
 * comparison, so a pass over 100,000 scores for a top 40 is mostly skips.
 * Shared by the BM25 accumulator's top k and the pruned search's leaders.
 */

/**
 * The k-th largest of `scores[at[j]]` for j < count, or of `scores[0 .. count)`
 * when `at` is undefined (1 ≤ k; with fewer than k values, the smallest of them).
 */
export function kthLargest(scores: Float64Array, at: Uint32Array | undefined, count: number, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  let min = -Infinity;
  for (let j = 0; j < count; j++) {
    const s = scores[at === undefined ? j : at[j]!]!;
    if (size === k && s <= min) continue;
    size = offer(heap, size, k, s);
    if (size === k) min = heap[0]!;
  }
  return heap[0]!;
}

/**
 * `kthLargest` over `scores[at[j]]`, and in the same pass the slots whose
 * score is at least the k-th largest seen so far less `slack` (a superset of
 * those at least the final k-th less `slack`, as the running k-th only
 * rises). Saves the pruned search a second scattered pass over every touched
 * document; past `cap` candidates the list is dropped (undefined), for the
 * caller to make that pass after all.
 */
export function kthLargestWithin(scores: Float64Array, at: Uint32Array, count: number, k: number, slack: number, cap: number): { readonly kth: number; readonly candidates: number[] | undefined } {
  const heap = new Float64Array(k);
  let size = 0;
  let min = -Infinity;
  let floor = -Infinity;
  let candidates: number[] | undefined = [];
  for (let j = 0; j < count; j++) {
    const d = at[j]!;
    const s = scores[d]!;
    if (candidates !== undefined && s >= floor) {
      candidates.push(d);
      if (candidates.length > cap) candidates = undefined;
    }
    if (size === k && s <= min) continue;
    size = offer(heap, size, k, s);
    if (size === k) {
      min = heap[0]!;
      floor = min - slack;
    }
  }
  return { kth: heap[0]!, candidates };
}

/** Adds `s` to a min-heap of the k largest holding `size` values (replacing its minimum when full); returns the new size. */
function offer(heap: Float64Array, size: number, k: number, s: number): number {
  if (size < k) {
    let i = size;
    heap[i] = s;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]! <= heap[i]!) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
    return size + 1;
  }
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
  return size;
}
