import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/answer.js";
import { abstention, answerHit, citationPrecision, hitAtK, isRelevant, mean, ndcgAtK, percentile, reciprocalRank } from "../src/eval/metrics.js";

const q = { id: "q", question: "?", answers: ["毛巾、茶叶"], story: "公交" };
const answer = (text: string, cited: { title: string; text: string }[] = [], abstained = false): Answer => ({
  question: "?",
  mode: "lexical",
  abstained,
  answer: text,
  citations: cited.map((c, i) => ({ n: i + 1, storyId: "s", title: c.title, paragraph: 1, text: c.text, score: 1, file: "f" })),
  passages: [],
  closestTitles: [],
  latencyMs: 1,
});

describe("relevance", () => {
  it("needs the expected story and a gold answer, ignoring whitespace", () => {
    expect(isRelevant({ title: "北京公交集团", text: "发放了毛巾、\n茶叶" }, q)).toBe(true);
    expect(isRelevant({ title: "北京公交集团", text: "发放了毛巾" }, q)).toBe(false);
    expect(isRelevant({ title: "互助会", text: "毛巾、茶叶" }, q)).toBe(false);
    expect(isRelevant({ title: "北京公交集团", text: "任何段落" }, { id: "s", question: "?", story: "公交" })).toBe(true);
    expect(isRelevant({ title: "t", text: "毛巾、茶叶" }, { id: "u", question: "?", unanswerable: true })).toBe(false);
  });
});

describe("ranking metrics", () => {
  const ranked = [false, true, false, true];

  it("hit@k", () => {
    expect(hitAtK(ranked, 1)).toBe(0);
    expect(hitAtK(ranked, 2)).toBe(1);
    expect(hitAtK([], 10)).toBe(0);
    expect(hitAtK([true, true], 1)).toBe(1);
  });

  it("reciprocal rank counts the first relevant passage only, within k", () => {
    expect(reciprocalRank(ranked)).toBe(0.5);
    expect(reciprocalRank([true, true])).toBe(1);
    expect(reciprocalRank([false, false, true], 2)).toBe(0);
    expect(reciprocalRank([])).toBe(0);
  });

  it("nDCG@10 with binary gains, by hand", () => {
    // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068; IDCG (2 relevant) = 1 + 0.63093.
    expect(ndcgAtK(ranked)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3)), 10);
    // Three relevant passages exist in the corpus, only two were retrieved: IDCG counts three.
    expect(ndcgAtK(ranked, 10, 3)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3) + 0.5), 10);
    expect(ndcgAtK([true, true, true])).toBe(1);
    expect(ndcgAtK([false, false])).toBe(0);
    expect(ndcgAtK([])).toBe(0);
    expect(ndcgAtK([false, true], 1)).toBe(0);
  });
});

describe("answer metrics", () => {
  it("answer hit needs the gold text in the answer, and no abstention", () => {
    expect(answerHit(answer("发放了毛巾、茶叶等[1]"), q)).toBe(true);
    expect(answerHit(answer("发放了毛巾[1]"), q)).toBe(false);
    expect(answerHit(answer("毛巾、茶叶", [], true), q)).toBe(false);
    expect(answerHit(answer("x[1]", [{ title: "北京公交集团", text: "x" }]), { id: "s", question: "?", story: "公交" })).toBe(true);
  });

  it("citation precision is the share of cited passages that are relevant, undefined without citations", () => {
    const good = { title: "北京公交集团", text: "毛巾、茶叶" };
    const bad = { title: "互助会", text: "矿泉水" };
    expect(citationPrecision(answer("a", [good, bad]), q)).toBe(0.5);
    expect(citationPrecision(answer("a", [good, good]), q)).toBe(1);
    expect(citationPrecision(answer("a"), q)).toBeUndefined();
  });

  it("abstention precision, recall and false abstentions", () => {
    const results = [
      { unanswerable: true, abstained: true },
      { unanswerable: true, abstained: false },
      { unanswerable: false, abstained: true },
      { unanswerable: false, abstained: false },
      { unanswerable: false, abstained: false },
    ];
    expect(abstention(results)).toEqual({ precision: 0.5, recall: 0.5, falseAbstentionRate: 1 / 3 });
    expect(abstention([{ unanswerable: false, abstained: false }])).toEqual({ precision: null, recall: null, falseAbstentionRate: 0 });
    expect(abstention([])).toEqual({ precision: null, recall: null, falseAbstentionRate: null });
  });
});

describe("summaries", () => {
  it("nearest-rank percentiles and means, null when empty", () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([2, 2, 2], 95)).toBe(2);
    expect(percentile([], 50)).toBeNull();
    expect(mean([1, 2])).toBe(1.5);
    expect(mean([])).toBeNull();
  });
});
