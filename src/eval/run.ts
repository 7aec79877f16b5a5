import type { Answer } from "../answer/answer.js";
import type { RetrievalMode } from "../config.js";
import { QuestionError } from "../errors.js";
import { abstention, answerHit, citationPrecision, hitAtK, isRelevant, latencySummary, mean, ndcgAtK, reciprocalRank } from "./metrics.js";
import type { EvalQuestion } from "./questions.js";
import { formatMarkdownReport as markdownOf, formatReportTable as tableOf } from "./report.js";
import type { EvalReport, Failure, QuestionResult } from "./types.js";

export type { EvalReport, Failure, QuestionResult } from "./types.js";

export interface EvalOptions {
  /** The mode being measured; every answer must report it. Defaults to the first answer's mode. */
  readonly mode?: RetrievalMode;
  /** Passages asked for per question (default 10). */
  readonly k?: number;
  /** How many passages in the whole index are relevant to a question, for an honest ideal DCG. */
  readonly relevantCount?: (q: EvalQuestion) => number;
}

/** Asks the engine; `k` is how many passages to rank. A one-argument function fits too. */
export type Ask = (question: string, k: number) => Promise<Answer>;

/** Figures are stored rounded so JSON output and tables agree; latency keeps 2 decimals. */
const round = (x: number | null, digits = 3) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/**
 * Asks every question through the engine (the same one the bot uses) and
 * measures retrieval over answerable questions, answers, abstention and
 * latency. Questions are asked one after another, so latency is the
 * engine's own, not queueing. Ranking metrics are tie-aware (see
 * `RankOptions`). An answer produced in another mode than the one measured
 * is refused, because the report would carry the wrong label.
 */
export async function runEval(questions: readonly EvalQuestion[], ask: Ask, opts: EvalOptions = {}): Promise<EvalReport> {
  const k = opts.k ?? 10;
  let mode = opts.mode;
  const results: QuestionResult[] = [];
  const failures: Failure[] = [];
  for (const q of questions) {
    const started = performance.now();
    const asked = await ask(q.question, k).catch((error: unknown) => {
      if (error instanceof QuestionError) return error;
      throw error;
    });
    const answer = asked instanceof QuestionError ? declined(q.question, asked, mode, performance.now() - started) : asked;
    mode ??= answer.mode;
    if (answer.mode !== mode) throw new Error(`question ${q.id} was answered in ${answer.mode} mode, but ${mode} is being evaluated`);
    const relevant = answer.passages.map((p) => isRelevant(p, q));
    const scores = answer.passages.map((p) => p.score);
    const relevantCount = opts.relevantCount?.(q);
    const result: QuestionResult = {
      id: q.id,
      question: q.question,
      unanswerable: q.unanswerable === true,
      relevant,
      hits: Array.from({ length: 10 }, (_, i) => hitAtK(relevant, i + 1, { scores })),
      reciprocalRank: reciprocalRank(relevant, 10, { scores }),
      ndcg: ndcgAtK(relevant, 10, relevantCount === undefined ? { scores } : { scores, relevantCount }),
      abstained: answer.abstained,
      answerHit: answerHit(answer, q),
      citationPrecision: citationPrecision(answer, q) ?? null,
      latencyMs: answer.latencyMs,
      answer,
    };
    results.push(result);
    const problem = failureOf(result, k);
    if (problem !== undefined) failures.push(describeFailure(result, q, problem));
  }
  if (mode === undefined) throw new RangeError("no questions to evaluate and no mode given");
  return summarize(mode, k, results, failures);
}

/**
 * A message the engine declined as no question (a greeting, nothing named to
 * look for): the member gets no answer and no source, so it counts as a
 * refusal that retrieved nothing. Its mode is the run's, which it cannot report.
 */
function declined(question: string, error: QuestionError, mode: RetrievalMode | undefined, latencyMs: number): Answer {
  return { question, mode: mode ?? "lexical", abstained: true, answer: error.message, citations: [], passages: [], closestTitles: [], latencyMs };
}

/**
 * The figures of a set of results: the whole run, or one group of it
 * (`breakdown`). Citation precision is over every question that cited
 * something, answerable or not: what was cited for a question the news does
 * not cover is all wrong, and hiding it would flatter a bot that never refuses.
 */
export function summarize(mode: RetrievalMode, k: number, results: readonly QuestionResult[], failures: readonly Failure[] = []): EvalReport {
  const answerable = results.filter((r) => !r.unanswerable);
  const over = (f: (r: QuestionResult) => number) => round(mean(answerable.map(f)));
  const hitCurve = Array.from({ length: 10 }, (_, i) => over((r) => r.hits[i]!));
  const cited = results.flatMap((r) => (r.citationPrecision === null ? [] : [r.citationPrecision]));
  const abst = abstention(results);
  const latency = latencySummary(results.map((r) => r.latencyMs));
  return {
    mode,
    k,
    questions: results.length,
    answerable: answerable.length,
    unanswerable: results.length - answerable.length,
    retrieval: {
      hitAt1: hitCurve[0]!,
      hitAt3: hitCurve[2]!,
      hitAt5: hitCurve[4]!,
      hitAt10: hitCurve[9]!,
      mrrAt10: over((r) => r.reciprocalRank),
      ndcgAt10: over((r) => r.ndcg),
      hitCurve,
    },
    answers: {
      answerHit: over((r) => (r.answerHit ? 1 : 0)),
      citationPrecision: round(mean(cited)),
      abstentionPrecision: round(abst.precision),
      abstentionRecall: round(abst.recall),
      falseAbstentionRate: round(abst.falseAbstentionRate),
    },
    latencyMs: { p50: round(latency.p50, 2), p95: round(latency.p95, 2), max: round(latency.max, 2) },
    failures: failures.filter((f) => results.some((r) => r.id === f.id)),
    results,
  };
}

/**
 * Every metric per value of one question attribute (`--by type`): a report
 * per group, in order of first appearance; questions without the key form
 * the group "(none)".
 */
export function breakdown(report: EvalReport, questions: readonly EvalQuestion[], key: string): { group: string; report: EvalReport }[] {
  const groupOf = new Map(questions.map((q) => [q.id, q.attributes?.[key] ?? "(none)"]));
  const groups = [...new Set(report.results.map((r) => groupOf.get(r.id) ?? "(none)"))];
  return groups.map((group) => ({
    group,
    report: summarize(
      report.mode,
      report.k,
      report.results.filter((r) => (groupOf.get(r.id) ?? "(none)") === group),
      report.failures,
    ),
  }));
}

/** The first thing that went wrong for a question, as seen by a member, or undefined. */
function failureOf(r: QuestionResult, k: number): string | undefined {
  const retrieved = r.relevant.slice(0, k).some(Boolean);
  if (r.unanswerable) return r.abstained ? undefined : "answered a question the news does not cover";
  if (r.abstained) return retrieved ? "abstained although a relevant passage was retrieved" : "abstained; no relevant passage retrieved";
  if (!retrieved) return `no relevant passage in the top ${k}`;
  if (!r.answerHit) return "relevant passage retrieved, but the answer does not contain a gold answer";
  return undefined;
}

const snippet = (text: string, n = 40) => ([...text].length > n ? `${[...text].slice(0, n).join("")}…` : text);

function describeFailure(r: QuestionResult, q: EvalQuestion, problem: string): Failure {
  const expected =
    q.unanswerable === true
      ? "unanswerable"
      : [q.answers ? `answers ${q.answers.map((a) => `“${a}”`).join(" / ")}` : "", q.story ? `story 《…${q.story}…》` : ""].filter((s) => s !== "").join(", in ");
  const closest = r.answer.closestTitles.map((t) => `《${t}》`).join("、");
  return {
    id: r.id,
    question: r.question,
    expected,
    problem,
    got: r.abstained ? `(abstained${closest === "" ? "" : `; closest: ${closest}`})` : r.answer.answer,
    top: r.answer.passages
      .slice(0, 3)
      .map((p, i) => `${r.relevant[i] ? "✓" : "✗"} 《${p.title}》 ¶${p.paragraph} (${round(p.score, 4)}): ${snippet(p.text)}`),
  };
}

/** Reports keyed by mode, as the brief's callers hold them, or a list. */
export type ReportsByMode = Readonly<Partial<Record<RetrievalMode, EvalReport>>> | readonly EvalReport[];

const MODE_ORDER: readonly RetrievalMode[] = ["hybrid", "dense", "lexical"];

/** Columns always in the same mode order, whatever order the reports came in; a key must match its report. */
function ordered(reports: ReportsByMode): EvalReport[] {
  if (Array.isArray(reports)) return [...(reports as readonly EvalReport[])];
  const byMode = reports as Readonly<Partial<Record<RetrievalMode, EvalReport>>>;
  return MODE_ORDER.flatMap((m) => {
    const r = byMode[m];
    if (r === undefined) return [];
    if (r.mode !== m) throw new Error(`the report under "${m}" measured ${r.mode}`);
    return [r];
  });
}

/**
 * Plain-text comparison table for the terminal (a column per mode). The
 * layout lives in `report.ts`; this accepts reports keyed by mode.
 */
export function formatReportTable(reports: ReportsByMode): string {
  return tableOf(ordered(reports));
}

/** The Markdown report: counts, table, a link to the hit@k chart, and every failure. */
export function formatMarkdownReport(reports: ReportsByMode, opts: { questionsFile: string; chartFile: string; notes?: readonly string[] }): string {
  return markdownOf(ordered(reports), { questionsFile: opts.questionsFile, chartFile: opts.chartFile, notes: opts.notes ?? [] });
}
