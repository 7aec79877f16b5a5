import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { distractorCorpus, toJsonl } from "../src/bench/distractors.js";
import { loadCorpus } from "../src/corpus/load.js";
import { buildIndex } from "../src/index/build.js";
import { buildDir } from "../src/index/store.js";
import { MIN_PARALLEL_TEXTS, segmentInWorkers } from "../src/search/segment-pool.js";
import { createSegmenter } from "../src/search/segment.js";
import { seedCorpusDir, tempDir } from "./support/paths.js";

const segmenter = createSegmenter();

describe("segmenting on worker threads", () => {
  it("gives every text the words the segmenter gives it, across batches and threads (pieces whose word differs in case, and dropped ones, met again)", async () => {
    const stories = (await loadCorpus(seedCorpusDir)).stories;
    const texts = [...stories.flatMap((s) => [s.title, ...s.paragraphs]), "", "ABC abc 123 的了吗", "职工\u0001书屋", "Word WORD word Ａｂｃ abc <b>b</b> x 工会的"];
    const many = Array.from({ length: 2_300 }, (_, i) => `${texts[i % texts.length]}（第${i}号）`);
    const words = await segmentInWorkers([...texts, ...many], 2);
    for (const t of [...texts, ...many]) {
      if (t.includes("\u0001")) expect(words.words(t)).toBeUndefined();
      else expect(Array.from(words.words(t)!, (v) => words.vocabulary[v]), t).toEqual(segmenter.words(t));
    }
    // One number per distinct word, however many threads met it.
    expect(new Set(words.vocabulary).size).toBe(words.vocabulary.length);
  });

  it("a build that segments on threads writes the very index a single-threaded one does", async () => {
    const records = distractorCorpus((await loadCorpus(seedCorpusDir)).stories, MIN_PARALLEL_TEXTS + 500, 3);
    const corpusDir = await tempDir("unb-pool-corpus-");
    await writeFile(path.join(corpusDir, "all.jsonl"), toJsonl(records));
    const lexicalOf = async (segmentThreads: number) => {
      const indexDir = await tempDir("unb-pool-index-");
      const report = await buildIndex({ corpusDir, indexDir, segmenter, segmentThreads });
      expect(report.warnings).toEqual([]);
      return readFile(path.join(buildDir(indexDir, report.buildId), "lexical.bin"));
    };
    const threaded = await lexicalOf(2);
    expect(threaded.equals(await lexicalOf(0))).toBe(true);
  }, 60_000);
});
