import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { distractorCorpus } from "../src/bench/distractors.js";
import { loadCorpus } from "../src/corpus/load.js";
import type { Story } from "../src/corpus/story.js";
import { readQuestionFile } from "../src/eval/questions.js";
import { createFieldScorer } from "../src/search/bm25-rescore.js";
import { createLexicalIndex } from "../src/search/lexical.js";
import { createSegmenter } from "../src/search/segment.js";
import { repoRoot, seedCorpusDir } from "./support/paths.js";

const segmenter = createSegmenter();
let seedStories: Story[];
let questions: string[];

beforeAll(async () => {
  seedStories = (await loadCorpus(seedCorpusDir)).stories;
  questions = (await readQuestionFile(path.join(repoRoot, "eval", "questions.jsonl"))).map((q) => q.question);
});

/**
 * The Postgres store ranks its database's candidates with `createFieldScorer`
 * over the words stored per passage: it must give every passage the score
 * the in-memory index gives it, and every word its idf.
 */
describe("two-field BM25 over stored words", () => {
  it("scores every passage of a generated 2,000-passage corpus as the in-memory index does, for 25 seed questions", () => {
    const records = distractorCorpus(seedStories, 2000, 5);
    const docs = records.flatMap((r) => r.text.split("\n").map((text, j) => ({ key: `${r.id}:${j + 1}`, title: r.title, text })));
    const index = createLexicalIndex(segmenter);
    index.add(docs);
    const scorer = createFieldScorer(
      docs.map((d) => segmenter.words(d.title).join(" ")),
      docs.map((d) => segmenter.words(d.text).join(" ")),
    );
    const position = new Map(docs.map((d, i) => [d.key, i]));
    let compared = 0;
    for (const q of questions.slice(0, 25)) {
      const words = new Set(segmenter.words(q));
      const hits = index.search(q, docs.length);
      for (const h of hits) {
        expect(scorer.score(words, position.get(h.key)!), `${q} ${h.key}`).toBeCloseTo(h.score, 9);
        compared++;
      }
      // Passages the index does not return score nothing.
      const returned = new Set(hits.map((h) => h.key));
      const missed = docs.findIndex((d) => !returned.has(d.key));
      if (missed >= 0) expect(scorer.score(words, missed)).toBe(0);
    }
    expect(compared).toBeGreaterThan(5_000);
    for (const w of ["工会", "职工", "送清凉", "从未出现的词"]) expect(scorer.idf(w)).toBeCloseTo(index.idf(w), 12);
  });
});
