import type { EvalReport } from "./types.js";

type Row = readonly [label: string, value: (r: EvalReport) => number | null, percent: boolean];

const ROWS: readonly Row[] = [
  ["hit@1", (r) => r.retrieval.hitAt1, true],
  ["hit@3", (r) => r.retrieval.hitAt3, true],
  ["hit@5", (r) => r.retrieval.hitAt5, true],
  ["hit@10", (r) => r.retrieval.hitAt10, true],
  ["MRR@10", (r) => r.retrieval.mrrAt10, false],
  ["nDCG@10", (r) => r.retrieval.ndcgAt10, false],
  ["answer hit", (r) => r.answers.answerHit, true],
  ["citation precision", (r) => r.answers.citationPrecision, true],
  ["abstention precision", (r) => r.answers.abstentionPrecision, true],
  ["abstention recall", (r) => r.answers.abstentionRecall, true],
  ["false abstentions", (r) => r.answers.falseAbstentionRate, true],
  ["latency p50 (ms)", (r) => r.latencyMs.p50, false],
  ["latency p95 (ms)", (r) => r.latencyMs.p95, false],
  ["latency max (ms)", (r) => r.latencyMs.max, false],
];

const cell = (v: number | null, percent: boolean) => (v === null ? "–" : percent ? `${(v * 100).toFixed(1)}%` : String(v));

/** One comparison table for the terminal: a column per mode, a row per metric. */
export function formatReportTable(reports: readonly EvalReport[]): string {
  const header = ["metric", ...reports.map((r) => r.mode)];
  const rows = ROWS.map(([label, value, percent]) => [label, ...reports.map((r) => cell(value(r), percent))]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => [...row[i]!].length)));
  const line = (row: readonly string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const first = reports[0];
  const counts = first ? `${first.questions} questions (${first.answerable} answerable, ${first.unanswerable} unanswerable), k=${first.k}` : "";
  return [counts, line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The Markdown report: the table, the chart, and every failure, readable without the code. */
export function formatMarkdownReport(reports: readonly EvalReport[], opts: { questionsFile: string; chartFile: string; notes: readonly string[] }): string {
  const header = `| metric | ${reports.map((r) => r.mode).join(" | ")} |`;
  const rule = `|---|${reports.map(() => "---:").join("|")}|`;
  const rows = ROWS.map(([label, value, percent]) => `| ${label} | ${reports.map((r) => cell(value(r), percent)).join(" | ")} |`);
  const failures = reports.flatMap((r) => [
    `### ${r.mode}: ${r.failures.length} failed of ${r.questions}`,
    "",
    ...r.failures.flatMap((f) => [
      `- **${f.id}** ${f.question}`,
      `  - expected: ${f.expected}`,
      `  - problem: ${f.problem}`,
      `  - got: ${f.got.replace(/\n/g, " ")}`,
      ...f.top.map((t) => `  - ${t}`),
    ]),
    "",
  ]);
  const first = reports[0];
  return [
    "# Evaluation report",
    "",
    `Questions: \`${opts.questionsFile}\` — ${first?.questions ?? 0} (${first?.answerable ?? 0} answerable, ${first?.unanswerable ?? 0} unanswerable); k = ${first?.k ?? 10}.`,
    "",
    ...opts.notes.map((n) => `> ${n}`),
    ...(opts.notes.length > 0 ? [""] : []),
    header,
    rule,
    ...rows,
    "",
    `![hit@k per mode](${opts.chartFile})`,
    "",
    "Retrieval metrics are over answerable questions; a passage is relevant when it belongs to the expected story and contains a gold answer. nDCG uses the number of relevant paragraphs in the corpus for the ideal ranking. Percentiles are nearest-rank.",
    "",
    "## Failures",
    "",
    ...failures,
  ].join("\n");
}
