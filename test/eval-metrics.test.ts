import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/answer.js";
import { abstention, answerHit, citationPrecision, hitAtK, isRelevant, latencySummary, mean, ndcgAtK, percentile, reciprocalRank } from "../src/eval/metrics.js";
import type { EvalQuestion } from "../src/eval/questions.js";

const q: EvalQuestion = { id: "q", question: "?", answers: ["毛巾、茶叶"], story: "公交" };
const storyOnly: EvalQuestion = { id: "s", question: "?", story: "公交" };
const unanswerable: EvalQuestion = { id: "u", question: "?", unanswerable: true };

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
    expect(isRelevant({ title: "北京公交集团", text: "发放了毛巾、\u3000茶叶" }, q)).toBe(true);
    expect(isRelevant({ title: "北京公交集团", text: "发放了毛巾" }, q)).toBe(false);
    expect(isRelevant({ title: "互助会", text: "毛巾、茶叶" }, q)).toBe(false);
    expect(isRelevant({ title: "北京公交集团", text: "任何段落" }, storyOnly)).toBe(true);
    expect(isRelevant({ title: "互助会", text: "毛巾、茶叶" }, { id: "a", question: "?", answers: ["毛巾、茶叶"] })).toBe(true);
    expect(isRelevant({ title: "t", text: "毛巾、茶叶" }, unanswerable)).toBe(false);
  });
});

describe("ranking metrics, as ranked", () => {
  // Relevant at ranks 2 and 4.
  const ranked = [false, true, false, true];

  it("hit@k", () => {
    expect(hitAtK(ranked, 1)).toBe(0);
    expect(hitAtK(ranked, 2)).toBe(1);
    expect(hitAtK([true, true], 1)).toBe(1);
    expect(hitAtK([false, false, false], 10)).toBe(0);
    expect(hitAtK([], 10)).toBe(0);
  });

  it("reciprocal rank counts only the first relevant passage, within k", () => {
    expect(reciprocalRank(ranked)).toBe(0.5);
    expect(reciprocalRank([true, true, true])).toBe(1);
    expect(reciprocalRank([false, false, true], 2)).toBe(0);
    expect(reciprocalRank([false, false])).toBe(0);
    expect(reciprocalRank([])).toBe(0);
  });

  it("nDCG@10 with binary gains, by hand", () => {
    // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161; IDCG (2 relevant) = 1 + 0.63093 = 1.63093.
    expect(ndcgAtK(ranked)).toBeCloseTo(0.650921, 6);
    // Three relevant passages exist, two were retrieved: IDCG = 1 + 0.63093 + 0.5 = 2.13093.
    expect(ndcgAtK(ranked, 10, { relevantCount: 3 })).toBeCloseTo(0.498189, 6);
    // A count below what was found is a caller's undercount: the found two are used, keeping nDCG ≤ 1.
    expect(ndcgAtK(ranked, 10, { relevantCount: 1 })).toBeCloseTo(0.650921, 6);
    expect(ndcgAtK([true, true, true])).toBe(1);
    expect(ndcgAtK([false, false])).toBe(0);
    expect(ndcgAtK([])).toBe(0);
    expect(ndcgAtK([], 10, { relevantCount: 3 })).toBe(0);
    expect(ndcgAtK([false, true], 1)).toBe(0);
  });
});

describe("ranking metrics with tied scores", () => {
  it("one relevant passage in a three-way tie at the top scores its expectation over the 3 orders", () => {
    const relevant = [false, true, false, false];
    const scores = [0.5, 0.5, 0.5, 0.2];
    expect(hitAtK(relevant, 1, { scores })).toBeCloseTo(1 / 3, 12);
    expect(hitAtK(relevant, 2, { scores })).toBeCloseTo(2 / 3, 12);
    expect(hitAtK(relevant, 3, { scores })).toBe(1);
    // (1 + 1/2 + 1/3) / 3 = 11/18; cut at k = 2: (1 + 1/2) / 3.
    expect(reciprocalRank(relevant, 10, { scores })).toBeCloseTo(11 / 18, 12);
    expect(reciprocalRank(relevant, 2, { scores })).toBeCloseTo(0.5, 12);
    // Each of the three positions carries gain 1/3: (1 + 0.63093 + 0.5) / 3 over IDCG 1.
    expect(ndcgAtK(relevant, 10, { scores })).toBeCloseTo(0.71031, 5);
    // The same list without scores is taken as ranked.
    expect(hitAtK(relevant, 1)).toBe(0);
    expect(reciprocalRank(relevant)).toBe(0.5);
    expect(ndcgAtK(relevant)).toBeCloseTo(0.63093, 5);
  });

  it("two relevant passages in a tie below an irrelevant first", () => {
    const relevant = [false, true, true, false];
    const scores = [0.9, 0.4, 0.4, 0.4];
    expect(hitAtK(relevant, 1, { scores })).toBe(0);
    // One slot of the tie falls within k = 2; it misses only if it holds the irrelevant one: 1 − 1/3.
    expect(hitAtK(relevant, 2, { scores })).toBeCloseTo(2 / 3, 12);
    // First relevant at rank 2 with probability 2/3, at rank 3 with 1/3: 2/3·1/2 + 1/3·1/3 = 4/9.
    expect(reciprocalRank(relevant, 10, { scores })).toBeCloseTo(4 / 9, 12);
    // Gain 2/3 at ranks 2, 3, 4: 2/3·(0.63093 + 0.5 + 0.43068) / 1.63093.
    expect(ndcgAtK(relevant, 10, { scores })).toBeCloseTo(0.63833, 5);
  });

  it("all relevant, or none, is unaffected by ties", () => {
    expect(hitAtK([true, true], 1, { scores: [1, 1] })).toBe(1);
    expect(reciprocalRank([true, true], 10, { scores: [1, 1] })).toBe(1);
    expect(ndcgAtK([true, true], 10, { scores: [1, 1] })).toBe(1);
    expect(hitAtK([false, false], 10, { scores: [1, 1] })).toBe(0);
    expect(ndcgAtK([false, false], 10, { scores: [1, 1] })).toBe(0);
  });

  it("treats scores equal up to rounding as a tie, and refuses scores of another length", () => {
    expect(hitAtK([false, true], 1, { scores: [0.1 + 0.2, 0.3] })).toBeCloseTo(0.5, 12);
    expect(hitAtK([false, true], 1, { scores: [0.3001, 0.3] })).toBe(0);
    expect(() => hitAtK([true], 1, { scores: [1, 2] })).toThrow(RangeError);
  });
});

describe("answer metrics", () => {
  it("answer hit needs the gold text in the answer, and no abstention", () => {
    expect(answerHit(answer("发放了毛巾、茶叶等[1]"), q)).toBe(true);
    expect(answerHit(answer("发放了毛巾[1]"), q)).toBe(false);
    expect(answerHit(answer("毛巾、茶叶", [], true), q)).toBe(false);
    // Citation markers and line breaks between quoted sentences do not hide a gold answer.
    expect(answerHit(answer("座谈会结束。[1]\n市直机关工委[2]"), { id: "m", question: "?", answers: ["结束。市直机关"] })).toBe(true);
    // With only a story, citing that story is the hit.
    expect(answerHit(answer("x[1]", [{ title: "北京公交集团", text: "x" }]), storyOnly)).toBe(true);
    expect(answerHit(answer("x[1]", [{ title: "互助会", text: "x" }]), storyOnly)).toBe(false);
    expect(answerHit(answer("毛巾、茶叶[1]"), unanswerable)).toBe(false);
  });

  it("citation precision is the share of cited passages that are relevant, undefined without citations", () => {
    const good = { title: "北京公交集团", text: "毛巾、茶叶" };
    const bad = { title: "互助会", text: "矿泉水" };
    expect(citationPrecision(answer("a", [good, bad, bad]), q)).toBeCloseTo(1 / 3, 12);
    expect(citationPrecision(answer("a", [good, good]), q)).toBe(1);
    expect(citationPrecision(answer("a", [bad]), q)).toBe(0);
    expect(citationPrecision(answer("a", [good]), unanswerable)).toBe(0);
    expect(citationPrecision(answer("a"), q)).toBeUndefined();
  });

  it("abstention precision, recall and false abstentions, null rather than NaN when undefined", () => {
    const results = [
      { unanswerable: true, abstained: true },
      { unanswerable: true, abstained: false },
      { unanswerable: false, abstained: true },
      { unanswerable: false, abstained: false },
      { unanswerable: false, abstained: false },
    ];
    expect(abstention(results)).toEqual({ precision: 0.5, recall: 0.5, falseAbstentionRate: 1 / 3 });
    expect(abstention([{ unanswerable: false, abstained: false }])).toEqual({ precision: null, recall: null, falseAbstentionRate: 0 });
    expect(abstention([{ unanswerable: true, abstained: true }])).toEqual({ precision: 1, recall: 1, falseAbstentionRate: null });
    expect(abstention([])).toEqual({ precision: null, recall: null, falseAbstentionRate: null });
  });
});

describe("summaries", () => {
  it("nearest-rank percentiles: an observed value at rank ⌈p·n/100⌉", () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5); // rank 5
    expect(percentile(xs, 95)).toBe(10); // rank ⌈9.5⌉ = 10
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([10, 30, 20], 50)).toBe(20); // rank ⌈1.5⌉ = 2
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([2, 2, 9], 50)).toBe(2); // ties
    expect(percentile([], 50)).toBeNull();
    expect(latencySummary([12, 3, 40, 5])).toEqual({ p50: 5, p95: 40, max: 40 });
    expect(latencySummary([])).toEqual({ p50: null, p95: null, max: null });
  });

  it("means, null when empty", () => {
    expect(mean([1, 2])).toBe(1.5);
    expect(mean([])).toBeNull();
  });
});
