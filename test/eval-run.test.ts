import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Answer, Citation, RankedPassage } from "../src/answer/answer.js";
import type { RetrievalMode } from "../src/config.js";
import { hitAtKChartSvg } from "../src/eval/chart.js";
import { type EvalQuestion, readQuestionFile } from "../src/eval/questions.js";
import { breakdown, formatMarkdownReport, formatReportTable, runEval } from "../src/eval/run.js";
import { repoRoot } from "./support/paths.js";
import { lexicalSeedService } from "./support/service.js";

const passage = (title: string, text: string, score: number): RankedPassage => ({ storyId: title, title, paragraph: 1, text, score });
const cite = (n: number, title: string, text: string): Citation => ({ n, storyId: title, title, paragraph: 1, text, score: 1, file: "f" });

const questions: EvalQuestion[] = [
  { id: "a", question: "A?", answers: ["甲"], story: "一" },
  { id: "b", question: "B?", answers: ["乙"], story: "二" },
  { id: "c", question: "C?", story: "三" },
  { id: "d", question: "D?", answers: ["丁"], story: "四" },
  { id: "u", question: "U?", unanswerable: true },
  { id: "v", question: "V?", unanswerable: true },
];

type Canned = Omit<Answer, "question" | "mode">;
const ABSTAIN = "没有在已收录的新闻中找到相关内容。";
/**
 * a: answered from rank 1. b: relevant at rank 2, but abstained. c (story only):
 * the relevant passage ties with an irrelevant one at the top, answer cites both.
 * d: answered from an irrelevant passage. u: answered though unanswerable.
 * v: rightly abstained.
 */
const canned: Record<string, Canned> = {
  "A?": { abstained: false, answer: "甲[1]", citations: [cite(1, "一", "甲")], passages: [passage("一", "甲", 3), passage("二", "x", 2)], closestTitles: [], latencyMs: 10 },
  "B?": { abstained: true, answer: ABSTAIN, citations: [], passages: [passage("一", "x", 2), passage("二", "乙", 1)], closestTitles: ["二"], latencyMs: 30 },
  "C?": { abstained: false, answer: "丙[1] 戊[2]", citations: [cite(1, "三", "丙"), cite(2, "四", "戊")], passages: [passage("三", "丙", 1), passage("四", "戊", 1)], closestTitles: [], latencyMs: 40 },
  "D?": { abstained: false, answer: "戊[1]", citations: [cite(1, "四", "戊")], passages: [passage("四", "戊", 1)], closestTitles: [], latencyMs: 20 },
  "U?": { abstained: false, answer: "甲[1]", citations: [cite(1, "一", "甲")], passages: [passage("一", "甲", 1)], closestTitles: [], latencyMs: 50 },
  "V?": { abstained: true, answer: ABSTAIN, citations: [], passages: [passage("一", "甲", 0.1)], closestTitles: ["一"], latencyMs: 5 },
};
const fakeAsk = (mode: RetrievalMode) => async (q: string): Promise<Answer> => ({ ...canned[q]!, question: q, mode });

describe("runEval", () => {
  it("breaks every metric down by a question attribute", async () => {
    const typed = questions.map((q) => ({ ...q, attributes: { type: q.unanswerable ? "negative" : q.id === "a" ? "lookup" : "paraphrase" } }));
    const report = await runEval(typed, fakeAsk("lexical"));
    const groups = breakdown(report, typed, "type");
    expect(groups.map((g) => [g.group, g.report.questions])).toEqual([["lookup", 1], ["paraphrase", 3], ["negative", 2]]);
    expect(groups[0]!.report.answers.answerHit).toBe(1);
    // paraphrase: b abstained, c hit, d missed → ⅓ answer hit, ⅓ false abstentions.
    expect(groups[1]!.report.answers).toMatchObject({ answerHit: 0.333, falseAbstentionRate: 0.333 });
    expect(groups[2]!.report.answers).toMatchObject({ abstentionRecall: 0.5, answerHit: null });
    expect(breakdown(report, questions, "type").map((g) => g.group)).toEqual(["(none)"]);
  });

  it("aggregates retrieval over answerable questions, with ties as expected values (hand-computed)", async () => {
    const report = await runEval(questions, fakeAsk("lexical"));
    expect(report).toMatchObject({ mode: "lexical", k: 10, questions: 6, answerable: 4, unanswerable: 2 });
    // hit@1: a 1, b 0, c ½ (tie of two), d 0 → 1.5/4. From k = 2 on: a, b, c → 3/4.
    expect(report.retrieval.hitCurve).toEqual([0.375, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75]);
    // RR: 1 + ½ + (1 + ½)/2 + 0 = 2.25 → 0.5625. nDCG: 1 + 0.63093 + (1 + 0.63093)/2 + 0 = 2.44640 → 0.6116.
    expect(report.retrieval).toMatchObject({ hitAt1: 0.375, hitAt3: 0.75, hitAt5: 0.75, hitAt10: 0.75, mrrAt10: 0.563, ndcgAt10: 0.612 });
    expect(report.results.find((r) => r.id === "c")).toMatchObject({ relevant: [true, false], reciprocalRank: 0.75 });
  });

  it("aggregates answers, abstention and latency (hand-computed)", async () => {
    const report = await runEval(questions, fakeAsk("lexical"), { mode: "lexical" });
    // Answer hit: a, c of 4. Citation precision: a 1, c ½, d 0, u 0 (cited for an unanswerable question) → 1.5/4 (b, v cited nothing).
    // Abstained b and v: precision ½; unanswerable u and v, v abstained: recall ½; b of 4 answerable: ¼.
    expect(report.answers).toEqual({ answerHit: 0.5, citationPrecision: 0.375, abstentionPrecision: 0.5, abstentionRecall: 0.5, falseAbstentionRate: 0.25 });
    // Sorted latencies 5 10 20 30 40 50: p50 = rank 3, p95 = rank ⌈5.7⌉ = 6.
    expect(report.latencyMs).toEqual({ p50: 20, p95: 50, max: 50 });
  });

  it("lists failures readably: question, expected, what came back", async () => {
    const report = await runEval(questions, fakeAsk("lexical"));
    expect(report.failures.map((f) => [f.id, f.problem])).toEqual([
      ["b", "abstained although a relevant passage was retrieved"],
      ["d", "no relevant passage in the top 10"],
      ["u", "answered a question the news does not cover"],
    ]);
    const [b, d, u] = report.failures;
    expect(b).toMatchObject({ question: "B?", expected: "answers “乙”, in story 《…二…》", got: "(abstained; closest: 《二》)" });
    expect(b!.top).toEqual(["✗ 《一》 ¶1 (2): x", "✓ 《二》 ¶1 (1): 乙"]);
    expect(d).toMatchObject({ got: "戊[1]", top: ["✗ 《四》 ¶1 (1): 戊"] });
    expect(u).toMatchObject({ question: "U?", expected: "unanswerable", got: "甲[1]" });
  });

  it("uses the caller's count of relevant passages for nDCG", async () => {
    const report = await runEval(questions.slice(0, 1), fakeAsk("hybrid"), { relevantCount: () => 2 });
    // One of two relevant passages found, at rank 1: 1 / (1 + 1/log2 3) = 0.61315.
    expect(report.retrieval.ndcgAt10).toBe(0.613);
  });

  it("refuses answers from another mode than the one measured, and an empty run without a mode", async () => {
    await expect(runEval(questions, fakeAsk("lexical"), { mode: "hybrid" })).rejects.toThrow(/question a was answered in lexical mode, but hybrid/);
    await expect(runEval([], fakeAsk("lexical"))).rejects.toThrow(RangeError);
    const empty = await runEval([], fakeAsk("lexical"), { mode: "dense" });
    expect(empty).toMatchObject({ questions: 0, retrieval: { hitAt1: null, mrrAt10: null }, answers: { answerHit: null, abstentionRecall: null }, latencyMs: { p50: null }, failures: [] });
  });

  it("counts a message the engine declines as no question as a refusal, not a crash", async () => {
    const qs: EvalQuestion[] = [
      { id: "g", question: "你好", unanswerable: true },
      { id: "n", question: "有什么新闻？", answers: ["甲"], story: "一" },
      { id: "a", question: "A?", answers: ["甲"], story: "一" },
    ];
    const service = await lexicalSeedService();
    const engineAsk = (q: string, k: number) => (q === "A?" ? fakeAsk("lexical")(q) : service.engine().ask(q, { k }));
    const report = await runEval(qs, engineAsk, { mode: "lexical" });
    await service.close();
    expect(report.results.map((r) => r.abstained)).toEqual([true, true, false]);
    expect(report.answers.abstentionRecall).toBe(1);
    expect(report.answers.falseAbstentionRate).toBe(0.5);
    expect(report.results[0]!.answer.answer).toContain("您好");
    expect(report.results[1]!.answer.passages).toEqual([]);
  });

  it("formats a table and a Markdown report with modes in a fixed order", async () => {
    const lexical = await runEval(questions, fakeAsk("lexical"));
    const hybrid = await runEval(questions.slice(0, 1), fakeAsk("hybrid"));
    const table = formatReportTable({ lexical, hybrid });
    const lines = table.split("\n");
    expect(lines[1]).toMatch(/^metric\s+hybrid\s+lexical$/);
    expect(table).toMatch(/hit@1\s+100\.0%\s+37\.5%/);
    expect(table).toMatch(/abstention precision\s+–\s+50\.0%/);
    const md = formatMarkdownReport({ lexical, hybrid }, { questionsFile: "q.jsonl", chartFile: "hit-at-k.svg" });
    expect(md).toContain("| metric | hybrid | lexical |");
    expect(md).toContain("![hit@k per mode](hit-at-k.svg)");
    expect(md).toContain("- **b** B?");
    expect(md).toContain("  - expected: unanswerable");
    expect(() => formatReportTable({ hybrid: lexical })).toThrow(/under "hybrid" measured lexical/);
  });

  it("runs end to end on the seed corpus with lexical retrieval", async () => {
    const service = await lexicalSeedService();
    const qs = (await readQuestionFile(path.join(repoRoot, "eval", "questions.jsonl"))).slice(0, 8);
    const report = await runEval(qs, (q, k) => service.engine().ask(q, { k }), { mode: "lexical", k: 10 });
    await service.close();
    expect(report.questions).toBe(8);
    expect(report.retrieval.hitAt10).toBeGreaterThan(0.5);
    for (const r of report.results) expect(r.answer.passages.length).toBeLessThanOrEqual(10);
  });
});

describe("the hit@k chart", () => {
  it("draws an SVG with one line path per mode, at the right heights", async () => {
    const svg = await hitAtKChartSvg({ hybrid: [0.6, 0.8, 0.9, 0.9, 1, 1, 1, 1, 1, 1], lexical: [0.5, 0.7, 0.8, 0.9, 0.9, 0.9, 1, 1, 1, 1] });
    expect(svg.startsWith("<svg")).toBe(true);
    const paths = [...svg.matchAll(/<path aria-label="[^"]*mode: (\w+)" role="graphics-symbol" aria-roledescription="line mark" d="M0,([\d.]+)/g)].map((m) => [m[1], Number(m[2])]);
    // Plot height 260: hit 0.6 sits at 260 · (1 − 0.6) = 104, hit 0.5 at 130.
    expect(paths).toEqual([
      ["hybrid", 104],
      ["lexical", 130],
    ]);
    expect(svg).toContain("hit@k by retrieval mode");
    expect(svg).toContain('aria-roledescription="legend"');
  });

  it("refuses a value outside 0..1", async () => {
    await expect(hitAtKChartSvg({ hybrid: [1.2] })).rejects.toThrow(/hybrid: hit@1 must lie in 0\.\.1/);
  });
});
