import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Jieba } from "@node-rs/jieba";
import { describe, expect, it } from "vitest";
import { distractorCorpus } from "../src/bench/distractors.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createSegmenter, isStopword } from "../src/search/segment.js";
import { seedCorpusDir } from "./support/paths.js";

/** The word filter as first written, every word trimmed, lowercased and tested: the reference for the fast path that skips words of ideographs alone. */
function referenceWords(jieba: Jieba, text: string): string[] {
  return jieba
    .cutForSearch(text.normalize("NFKC"), true)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== "" && /[\p{L}\p{N}]/u.test(w) && !(w.length === 1 && w >= "a" && w <= "z") && !isStopword(w));
}

describe("the segmenter", () => {
  it("gives the words of the plain filter (trim, lowercase, letters or digits, no stopwords) on news, mixed scripts and stopwords", async () => {
    const jieba = Jieba.withDict(readFileSync(createRequire(import.meta.url).resolve("@node-rs/jieba/dict.txt")));
    const segmenter = createSegmenter();
    const stories = (await loadCorpus(seedCorpusDir)).stories;
    const texts = [
      ...stories.flatMap((s) => [s.title, ...s.paragraphs]),
      ...distractorCorpus(stories, 600, 5).flatMap((r) => [r.title, ...r.text.split("\n")]),
      "ABC Union 工会 2024年 ＡＢＣ（全角） <b>加粗</b> x 的 了 什么时候 有没有 我们的 α Ω Straße İstanbul",
      "  空格 开头\t和\u3000全角空格  ",
      "的",
      "",
    ];
    let words = 0;
    for (const t of texts) {
      const got = segmenter.words(t);
      expect(got, t).toEqual(referenceWords(jieba, t));
      words += got.length;
    }
    expect(words).toBeGreaterThan(10_000);
  });
});
