import { describe, expect, it } from "vitest";
import { Bm25 } from "../src/search/bm25.js";

/** Deterministic documents: term ids skewed towards small ones, repeats included. */
function documents(count: number, seed: number, terms: number): number[][] {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 30) }, () => Math.floor(next() ** 2 * terms)));
}

/** The postings every seal must give: sorted by term, then slot, with each term's frequency in the document. */
function expected(docs: readonly number[][], terms: number) {
  const postings: [number, number, number][] = [];
  docs.forEach((d, slot) => {
    const tf = new Map<number, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, f] of tf) postings.push([t, slot, f]);
  });
  postings.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const offsets = new Uint32Array(terms + 1);
  for (const [t] of postings) offsets[t + 1]!++;
  for (let t = 0; t < terms; t++) offsets[t + 1]! += offsets[t]!;
  return { offsets: [...offsets], docs: postings.map((p) => p[1]), tfs: postings.map((p) => p[2]) };
}

function arraysOf(index: Bm25) {
  const a = index.arrays();
  return { offsets: [...a.offsets], docs: [...a.docs], tfs: [...a.tfs] };
}

describe("sealing added postings", () => {
  it("gives the postings sorted by term then slot, however the documents were batched (block merge of a few added to many, and all at once)", () => {
    const docs = documents(3000, 7, 500);
    // New terms (ids past every earlier one) arrive with the later batches.
    const later = documents(40, 11, 520).map((d, i) => (i % 3 === 0 ? [...d, 510 + (i % 7)] : d));
    const all = [...docs, ...later];
    const terms = 1 + Math.max(...all.flat());
    const want = expected(all, terms);

    const once = new Bm25();
    for (const d of all) once.add(d);
    expect(arraysOf(once)).toEqual(want);

    const batched = new Bm25();
    for (const d of docs) batched.add(d);
    batched.arrays();
    for (let i = 0; i < later.length; i += 9) {
      for (const d of later.slice(i, i + 9)) batched.add(d);
      batched.arrays();
    }
    expect(arraysOf(batched)).toEqual(want);

    // Loaded from saved arrays, then added to: the same again.
    const loaded = new Bm25(new Bm25(undefined).arrays());
    for (const d of docs) loaded.add(d);
    const reloaded = new Bm25(loaded.arrays());
    for (const d of later) reloaded.add(d);
    expect(arraysOf(reloaded)).toEqual(want);
  });

  it("renumbers after a removal as before, and block-merges the adds that follow", () => {
    const docs = documents(500, 3, 200);
    const index = new Bm25();
    for (const d of docs) index.add(d);
    index.arrays();
    index.remove(10);
    index.remove(250);
    expect(index.seal()).toBeDefined();
    const extra = documents(5, 9, 210);
    for (const d of extra) index.add(d);
    const kept = [...docs.filter((_, s) => s !== 10 && s !== 250), ...extra];
    expect(arraysOf(index)).toEqual(expected(kept, index.arrays().offsets.length - 1));
  });
});
