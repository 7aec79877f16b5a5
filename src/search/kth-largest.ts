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
    size = offerMin(heap, size, k, s);
    if (size === k) min = heap[0]!;
  }
  return heap[0]!;
}

/**
 * `kthLargest` over `scores[at[j]]` for j < count, and in the same pass the
 * slots within `slack` of the k-th largest seen so far written to `out`
 * from its start (`out` may be `at` itself: a slot is written no later than
 * it is read). Those are a superset of the slots within `slack` of the final
 * k-th, as the running k-th only rises; the caller filters them. Returns the
 * k-th and how many were written. One scattered read per slot instead of the
 * two of finding the k-th and then filtering: the pruned search's passes over
 * ten thousand or more leaders are bound by those reads.
 */
export function kthLargestKeeping(scores: Float64Array, at: Uint32Array, count: number, k: number, slack: number, out: Uint32Array): { readonly kth: number; readonly kept: number } {
  const heap = new Float64Array(k);
  let size = 0;
  let min = -Infinity;
  let floor = -Infinity;
  let kept = 0;
  for (let j = 0; j < count; j++) {
    const d = at[j]!;
    const s = scores[d]!;
    if (s >= floor) out[kept++] = d;
    if (size === k && s <= min) continue;
    size = offerMin(heap, size, k, s);
    if (size === k) {
      min = heap[0]!;
      floor = min - slack;
    }
  }
  return { kth: heap[0]!, kept };
}

/** Adds `s` to a min-heap of the k largest holding `size` values (replacing its minimum when full); returns the new size. */
export function offerMin(heap: Float64Array, size: number, k: number, s: number): number {
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
