import { describe, expect, it } from "vitest";
import { Accumulator, Bm25 } from "../src/search/bm25.js";
import { searchFields } from "../src/search/bm25-search.js";

/** Mulberry32: the same corpus on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two fields (title, text) over term ids with a Zipf-like spread, as news
 * has it: a few words in nearly every passage (年, 月), many in a few. Large
 * enough (20,000 documents) that questions with common words are pruned.
 */
function corpus(docs: number, seed: number) {
  const rand = random(seed);
  const vocabulary = 6000;
  const zipf = () => Math.min(vocabulary - 1, Math.floor(Math.exp(rand() * Math.log(vocabulary)) - 1));
  const common = [0, 1, 2];
  const title = new Bm25();
  const text = new Bm25();
  for (let d = 0; d < docs; d++) {
    const words: number[] = [];
    const length = 20 + Math.floor(rand() * 180);
    for (let i = 0; i < length; i++) words.push(zipf());
    // Term 0 in 95% of documents, 1 in 70%, 2 in 45%, often several times.
    common.forEach((t, i) => {
      if (rand() < 0.95 - 0.25 * i) for (let r = 1 + Math.floor(rand() * 4); r > 0; r--) words.push(t);
    });
    title.add(Array.from({ length: 2 + Math.floor(rand() * 8) }, zipf));
    text.add(words);
  }
  const questions = Array.from({ length: 200 }, () => {
    const terms = new Set<number>();
    const n = 2 + Math.floor(rand() * 12);
    while (terms.size < n) terms.add(rand() < 0.3 ? common[Math.floor(rand() * 3)]! : zipf());
    return terms;
  });
  return { fields: [title, text], questions };
}

describe("BM25 search that skips postings", () => {
  it("returns exactly the exhaustive top k (same documents, scores to the last bit, ties in the same order) at k 1, 10, 60 and 200", () => {
    const { fields, questions } = corpus(20_000, 7);
    const acc = new Accumulator();
    const stats = { pruned: 0 };
    let searches = 0;
    for (const k of [1, 10, 60, 200]) {
      for (const q of questions) {
        const exhaustive = searchFields(fields, q, k, acc, { exhaustive: true });
        const pruned = searchFields(fields, q, k, acc, { stats });
        expect(pruned, `k=${k} terms=${[...q].join(",")}`).toEqual(exhaustive);
        expect(exhaustive.length).toBeLessThanOrEqual(k);
        searches++;
      }
    }
    // The comparison means something only if most searches were pruned.
    expect(stats.pruned).toBeGreaterThan(searches / 2);
  });

  it("scores every posting to the top k a full sort gives (best first, ties to the lower slot)", () => {
    const { fields, questions } = corpus(20_000, 11);
    const acc = new Accumulator();
    for (const k of [1, 10, 60, 200]) {
      for (const q of questions.slice(0, 50)) {
        for (const f of fields) f.accumulate(q, acc);
        const scores = Array.from(acc.scores.subarray(0, 20_000));
        const touched = Array.from(acc.touched.subarray(0, acc.count));
        const sorted = touched.sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
        const top = acc.top(k);
        expect(top.map((h) => h.doc)).toEqual(sorted);
        expect(top.map((h) => h.score)).toEqual(sorted.map((d) => scores[d]));
        // Cleared for the next query, whichever way it was cleared (in order or by the touched list).
        expect(acc.count).toBe(0);
        expect(acc.scores.every((x) => x === 0)).toBe(true);
      }
    }
  });

  it("gives every touched slot, best first, when fewer than k were touched, and clears them", () => {
    const acc = new Accumulator();
    acc.reserve(10);
    for (const [d, s] of [[7, 1.5], [2, 3], [5, 1.5], [9, 0.25]] as const) {
      acc.scores[d] = s;
      acc.touched[acc.count++] = d;
    }
    expect(acc.top(10)).toEqual([{ doc: 2, score: 3 }, { doc: 5, score: 1.5 }, { doc: 7, score: 1.5 }, { doc: 9, score: 0.25 }]);
    expect(acc.count).toBe(0);
    expect(acc.scores.every((x) => x === 0)).toBe(true);
  });

  it("ranks ties (documents with the same words, same length) by slot, as the exhaustive search does", () => {
    const title = new Bm25();
    const text = new Bm25();
    for (let d = 0; d < 30_000; d++) {
      title.add([]);
      // 30 documents alike with the rare word 5, 4,286 alike with 6, the rest alike with 2 or 3; 0 and 1 everywhere.
      text.add(d % 1000 === 0 ? [0, 1, 5] : d % 7 === 0 ? [0, 1, 6] : [0, 1, 2 + (d % 2)]);
    }
    const acc = new Accumulator();
    const stats = { pruned: 0 };
    for (const q of [new Set([0, 1, 5]), new Set([0, 5]), new Set([1, 2, 5]), new Set([5, 6, 0, 1]), new Set([0, 1, 2, 3])]) {
      for (const k of [5, 60]) {
        const pruned = searchFields([title, text], q, k, acc, { stats });
        expect(pruned).toEqual(searchFields([title, text], q, k, acc, { exhaustive: true }));
        expect(pruned.map((h) => h.doc)).toEqual([...pruned.map((h) => h.doc)].sort((a, b) => pruned.find((h) => h.doc === b)!.score - pruned.find((h) => h.doc === a)!.score || a - b));
      }
    }
    expect(stats.pruned).toBeGreaterThan(0);
  });
});
