import { describe, expect, it } from "vitest";
import { kthLargest, kthLargestKeeping } from "../src/search/kth-largest.js";

/** A fixed pseudo-random sequence of scores with many ties (a few distinct values) and some spread. */
function scores(n: number, seed: number): Float64Array {
  let a = seed;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    out[i] = a % 3 === 0 ? (a % 7) / 2 : (a % 100_000) / 997;
  }
  return out;
}

const sortedDesc = (xs: Iterable<number>) => [...xs].sort((x, y) => y - x);

describe("the k-th largest score", () => {
  it("equals the k-th of a full sort, over all scores or over the slots named", () => {
    const s = scores(5_000, 3);
    const at = Uint32Array.from({ length: 2_000 }, (_, j) => (j * 7919) % 5_000);
    for (const k of [1, 2, 40, 60, 1_999, 2_000]) {
      expect(kthLargest(s, undefined, s.length, k)).toBe(sortedDesc(s)[k - 1]);
      expect(kthLargest(s, at, at.length, k)).toBe(sortedDesc(Array.from(at, (d) => s[d]!))[k - 1]);
    }
  });

  it("with fewer values than k, is the smallest of them", () => {
    expect(kthLargest(Float64Array.of(3, 1, 2), undefined, 3, 10)).toBe(1);
  });

  it("keeps in the same pass every slot within the slack of the k-th (and perhaps more), in order, in place or elsewhere", () => {
    const s = scores(5_000, 5);
    const at = Uint32Array.from({ length: 5_000 }, (_, j) => (j * 104_729) % 5_000);
    for (const [k, slack] of [[40, 0], [40, 5], [60, 30], [1, 0], [6_000, 0]] as const) {
      const wanted = Array.from(at).filter((d) => s[d]! >= kthLargest(s, at, at.length, k) - slack);
      const out = new Uint32Array(at.length);
      const { kth, kept } = kthLargestKeeping(s, at, at.length, k, slack, out);
      expect(kth).toBe(kthLargest(s, at, at.length, k));
      const keptSlots = Array.from(out.subarray(0, kept));
      // A superset (the caller filters out the rest), in the order of `at`, and far fewer than all when the slack is small.
      expect(keptSlots.filter((d) => s[d]! >= kth - slack)).toEqual(wanted);
      expect(keptSlots).toEqual(Array.from(at).filter((d) => keptSlots.includes(d)));
      if (k <= 60 && slack <= 5) expect(kept).toBeLessThan(at.length / 4);
      // In place: the same slots as into another array.
      const inPlace = Uint32Array.from(at);
      expect(kthLargestKeeping(s, inPlace, inPlace.length, k, slack, inPlace)).toEqual({ kth, kept });
      expect(Array.from(inPlace.subarray(0, kept))).toEqual(keptSlots);
    }
  });
});
