import { describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../src/answer/engine.js";
import type { Story } from "../src/corpus/story.js";
import { passageListOf, toPassages } from "../src/passages.js";
import { createEvidenceScorer } from "../src/search/evidence.js";
import { createLexicalIndex } from "../src/search/lexical.js";
import { createRetriever, type Retriever } from "../src/search/retrieve.js";
import { createSegmenter } from "../src/search/segment.js";

const segmenter = createSegmenter();

/** Encyclopedia-like stories: their years are what they are about, and no story has a date. */
const STORIES: Story[] = [
  { id: "manga", file: "wiki.jsonl", title: "长谷川町子", paragraphs: ["长谷川町子是日本漫画家，代表作为《海螺小姐》。", "1992年7月，日本政府授予长谷川町子国民荣誉奖。"] },
  { id: "award", file: "wiki.jsonl", title: "国民荣誉奖", paragraphs: ["国民荣誉奖由日本政府颁发，1977年设立。", "2011年，日本女足获得国民荣誉奖。"] },
  { id: "games", file: "wiki.jsonl", title: "2008年北京奥运会", paragraphs: ["2008年北京奥运会于8月8日开幕，中国代表团获得48枚金牌。"] },
  { id: "port", file: "wiki.jsonl", title: "宁波舟山港", paragraphs: ["2023年，宁波舟山港完成货物吞吐量13.24亿吨。"] },
];

/**
 * An engine over these stories, and how many retrievals it has made. `unindexed` stories are known to the
 * engine but in no passage (no retrieval can find them; the index and its idf are those of `stories` alone).
 */
function engineOver(stories: readonly Story[], unindexed: readonly Story[] = []): { engine: Engine; retrievals: () => number } {
  const passages = toPassages(stories);
  const lexical = createLexicalIndex(segmenter);
  const titles = new Map(stories.map((s) => [s.id, s.title]));
  lexical.add(passages.map((p) => ({ key: p.key, title: titles.get(p.storyId)!, text: p.text })));
  const evidence = createEvidenceScorer(segmenter, lexical);
  const list = passageListOf(passages);
  const real = createRetriever({ mode: "lexical", passages: list, title: (id) => titles.get(id) ?? "", lexical, evidence });
  let count = 0;
  const retriever: Retriever = {
    mode: real.mode,
    retrieve: (question, k, terms) => {
      count++;
      return real.retrieve(question, k, terms);
    },
  };
  const engine = createEngine({
    stories: [...stories, ...unindexed],
    passages: list,
    retriever,
    evidence,
    thresholds: { minCoverage: 0.5, minSimilarity: 0.5 },
    time: { sameTopicMargin: 0.1, latestMargin: 0.3 },
    extract: { askedBonus: 0.3 },
    topK: 5,
    now: "2026-09-01",
  });
  return { engine, retrievals: () => count };
}

const without = ({ latencyMs: _, ...answer }: { latencyMs: number }) => answer;

describe("questions naming a time, over news without a single date", () => {
  const QUESTIONS = ["1992年7月，日本政府授予长谷川町子什么奖项？", "2023年宁波舟山港的货物吞吐量是多少？", "今年北京奥运会获得多少金牌？", "最近国民荣誉奖颁给了谁？"];

  it("are asked whole at once: one retrieval, the time words kept as words", async () => {
    const { engine, retrievals } = engineOver(STORIES);
    const a = await engine.ask(QUESTIONS[0]!);
    expect(retrievals()).toBe(1);
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("国民荣誉奖");
    for (const q of QUESTIONS.slice(1)) await engine.ask(q);
    expect(retrievals()).toBe(QUESTIONS.length);
  });

  it("get the answers of asking without the time words first and again whole (as when some other story has a date)", async () => {
    const undated = engineOver(STORIES).engine;
    // One dated story no retrieval can find: the engine tries each question without its time words first, finds
    // no dated candidate, and asks it again whole.
    const dated = engineOver(STORIES, [{ id: "far", file: "news.jsonl", title: "职工书屋", date: "2025-01-01", paragraphs: ["区总工会建成职工书屋。"] }]);
    for (const q of QUESTIONS) {
      expect(without(await undated.ask(q)), q).toEqual(without(await dated.engine.ask(q)));
    }
    // The dated corpus's engine did retrieve twice for each question naming a time (all four do).
    expect(dated.retrievals()).toBe(2 * QUESTIONS.length);
  });
});

describe("a year the question names, in news without dates", () => {
  it("must stand in the passage, as an edition must: 1992's award does not answer for 2011", async () => {
    const { engine } = engineOver(STORIES);
    const asked = await engine.ask("1992年日本政府授予长谷川町子什么奖？");
    expect(asked.abstained).toBe(false);
    expect(asked.answer).toContain("国民荣誉奖");
    expect((await engine.ask("2011年日本政府授予长谷川町子什么奖？")).abstained).toBe(true);
  });
});
