import { describe, expect, it } from "vitest";
import type { Answer, RankedPassage } from "../src/answer/answer.js";
import { hitAtKChartSvg } from "../src/eval/chart.js";
import type { EvalQuestion } from "../src/eval/questions.js";
import { formatMarkdownReport, formatReportTable } from "../src/eval/report.js";
import { runEval } from "../src/eval/run.js";
import { lexicalSeedService } from "./support/service.js";
import { readQuestionFile } from "../src/eval/questions.js";
import path from "node:path";
import { repoRoot } from "./support/paths.js";

const passage = (title: string, text: string): RankedPassage => ({ storyId: "s", title, paragraph: 1, text, score: 1 });

const questions: EvalQuestion[] = [
  { id: "a", question: "A?", answers: ["甲"], story: "一" },
  { id: "b", question: "B?", answers: ["乙"], story: "二" },
  { id: "u", question: "U?", unanswerable: true },
];

/** Hand-made engine answers: a answered from rank 1, b retrieved at rank 2 but abstained, u answered wrongly. */
const canned: Record<string, Omit<Answer, "question" | "mode" | "closestTitles">> = {
  "A?": { abstained: false, answer: "甲[1]", citations: [{ n: 1, storyId: "s", title: "一", paragraph: 1, text: "甲", score: 1, file: "f" }], passages: [passage("一", "甲"), passage("二", "x")], latencyMs: 10 },
  "B?": { abstained: true, answer: "没有在已收录的新闻中找到相关内容。", citations: [], passages: [passage("一", "x"), passage("二", "乙")], latencyMs: 30 },
  "U?": { abstained: false, answer: "甲[1]", citations: [{ n: 1, storyId: "s", title: "一", paragraph: 1, text: "甲", score: 1, file: "f" }], passages: [passage("一", "甲")], latencyMs: 20 },
};

describe("runEval", () => {
  it("aggregates retrieval, answers, abstention and latency, and lists failures readably", async () => {
    const report = await runEval(questions, async (q) => ({ ...canned[q]!, question: q, mode: "lexical", closestTitles: [] }), { mode: "lexical", k: 10 });
    expect(report).toMatchObject({ questions: 3, answerable: 2, unanswerable: 1 });
    expect(report.retrieval).toMatchObject({ hitAt1: 0.5, hitAt3: 1, hitAt10: 1, mrrAt10: 0.75 });
    expect(report.retrieval.hitCurve).toEqual([0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(report.answers).toEqual({ answerHit: 0.5, citationPrecision: 1, abstentionPrecision: 0, abstentionRecall: 0, falseAbstentionRate: 0.5 });
    expect(report.latencyMs).toEqual({ p50: 20, p95: 30, max: 30 });
    expect(report.failures.map((f) => [f.id, f.problem])).toEqual([
      ["b", "abstained although a relevant passage was retrieved"],
      ["u", "answered a question the news does not cover"],
    ]);
    expect(report.failures[0]).toMatchObject({ question: "B?", expected: "answers “乙”, in story 《…二…》", got: "(abstained)" });
    expect(report.failures[0]!.top[1]).toMatch(/^✓ 《二》/);
    const table = formatReportTable([report]);
    expect(table).toContain("hit@1");
    expect(table).toMatch(/hit@1\s+50\.0%/);
    expect(formatMarkdownReport([report], { questionsFile: "q.jsonl", chartFile: "c.svg", notes: ["n"] })).toContain("**b** B?");
  });

  it("runs end to end on the seed corpus with lexical retrieval", async () => {
    const service = await lexicalSeedService();
    const qs = (await readQuestionFile(path.join(repoRoot, "eval", "questions.jsonl"))).slice(0, 8);
    const report = await runEval(qs, (q, k) => service.engine().ask(q, { k }), { mode: "lexical", k: 10 });
    expect(report.questions).toBe(8);
    expect(report.retrieval.hitAt10).toBeGreaterThan(0.5);
    for (const r of report.results) expect(r.answer.passages.length).toBeLessThanOrEqual(10);
  });

  it("draws one hit@k line per mode as SVG", async () => {
    const svg = await hitAtKChartSvg({ lexical: [0.5, 0.7, 0.8, 0.9, 0.9, 0.9, 1, 1, 1, 1], hybrid: [0.6, 0.8, 0.9, 0.9, 1, 1, 1, 1, 1, 1] });
    expect(svg.startsWith("<svg")).toBe(true);
    const lines = [...svg.matchAll(/aria-label="k: 1; hit@k: ([\d.]+); mode: (\w+)" role="graphics-symbol" aria-roledescription="line mark"/g)].map((m) => [m[2], Number(m[1])]);
    expect(lines.sort()).toEqual([
      ["hybrid", 0.6],
      ["lexical", 0.5],
    ]);
  });
});
