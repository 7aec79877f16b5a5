import type { Answer } from "../answer/answer.js";
import type { RetrievalMode } from "../config.js";
import { abstention, answerHit, citationPrecision, hitAtK, isRelevant, mean, ndcgAtK, percentile, reciprocalRank } from "./metrics.js";
import type { EvalQuestion } from "./questions.js";

/** What happened to one question. */
export interface QuestionResult {
  readonly id: string;
  readonly question: string;
  readonly unanswerable: boolean;
  /** Relevance of each ranked passage. */
  readonly relevant: readonly boolean[];
  readonly reciprocalRank: number;
  readonly ndcg: number;
  readonly abstained: boolean;
  readonly answerHit: boolean;
  readonly citationPrecision: number | null;
  readonly latencyMs: number;
  readonly answer: Answer;
}

/** Why a question counts as failed, readably: what was asked, expected, and what came back. */
export interface Failure {
  readonly id: string;
  readonly question: string;
  readonly expected: string;
  readonly problem: string;
  readonly got: string;
  readonly top: readonly string[];
}

export interface EvalReport {
  readonly mode: RetrievalMode;
  readonly k: number;
  readonly questions: number;
  readonly answerable: number;
  readonly unanswerable: number;
  readonly retrieval: {
    readonly hitAt1: number | null;
    readonly hitAt3: number | null;
    readonly hitAt5: number | null;
    readonly hitAt10: number | null;
    readonly mrrAt10: number | null;
    readonly ndcgAt10: number | null;
    /** hit@1 … hit@10, for the chart. */
    readonly hitCurve: readonly (number | null)[];
  };
  readonly answers: {
    readonly answerHit: number | null;
    readonly citationPrecision: number | null;
    readonly abstentionPrecision: number | null;
    readonly abstentionRecall: number | null;
    readonly falseAbstentionRate: number | null;
  };
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null; readonly max: number | null };
  readonly failures: readonly Failure[];
  readonly results: readonly QuestionResult[];
}

export interface EvalOptions {
  readonly mode: RetrievalMode;
  readonly k?: number;
  /** How many passages in the whole index are relevant to a question, for an honest ideal DCG. */
  readonly relevantCount?: (q: EvalQuestion) => number;
}

const round = (x: number | null, digits = 3) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/**
 * Asks every question through the engine (the same one the bot uses) and
 * measures retrieval over answerable questions, answers, abstention and
 * latency. Questions are asked one after another, so latency is the
 * engine's own, not queueing.
 */
export async function runEval(questions: readonly EvalQuestion[], ask: (q: string, k: number) => Promise<Answer>, opts: EvalOptions): Promise<EvalReport> {
  const k = opts.k ?? 10;
  const results: QuestionResult[] = [];
  for (const q of questions) {
    const answer = await ask(q.question, k);
    const relevant = answer.passages.map((p) => isRelevant(p, q));
    const count = opts.relevantCount?.(q);
    results.push({
      id: q.id,
      question: q.question,
      unanswerable: q.unanswerable === true,
      relevant,
      reciprocalRank: reciprocalRank(relevant, 10),
      ndcg: ndcgAtK(relevant, 10, count),
      abstained: answer.abstained,
      answerHit: answerHit(answer, q),
      citationPrecision: citationPrecision(answer, q) ?? null,
      latencyMs: answer.latencyMs,
      answer,
    });
  }
  const answerable = results.filter((r) => !r.unanswerable);
  const over = (f: (r: QuestionResult) => number) => round(mean(answerable.map(f)));
  const hit = (n: number) => over((r) => hitAtK(r.relevant, n));
  const cited = answerable.flatMap((r) => (r.citationPrecision === null ? [] : [r.citationPrecision]));
  const abst = abstention(results);
  const latencies = results.map((r) => r.latencyMs);
  return {
    mode: opts.mode,
    k,
    questions: results.length,
    answerable: answerable.length,
    unanswerable: results.length - answerable.length,
    retrieval: {
      hitAt1: hit(1),
      hitAt3: hit(3),
      hitAt5: hit(5),
      hitAt10: hit(10),
      mrrAt10: over((r) => r.reciprocalRank),
      ndcgAt10: over((r) => r.ndcg),
      hitCurve: Array.from({ length: 10 }, (_, i) => hit(i + 1)),
    },
    answers: {
      answerHit: over((r) => (r.answerHit ? 1 : 0)),
      citationPrecision: round(mean(cited)),
      abstentionPrecision: round(abst.precision),
      abstentionRecall: round(abst.recall),
      falseAbstentionRate: round(abst.falseAbstentionRate),
    },
    latencyMs: { p50: round(percentile(latencies, 50), 2), p95: round(percentile(latencies, 95), 2), max: round(percentile(latencies, 100), 2) },
    failures: results.flatMap((r) => {
      const q = questions.find((x) => x.id === r.id)!;
      const problem = failureOf(r, k);
      return problem === undefined ? [] : [describeFailure(r, q, problem)];
    }),
    results,
  };
}

function failureOf(r: QuestionResult, k: number): string | undefined {
  if (r.unanswerable) return r.abstained ? undefined : "answered a question the news does not cover";
  if (r.abstained) return hitAtK(r.relevant, k) ? "abstained although a relevant passage was retrieved" : "abstained; no relevant passage retrieved";
  if (!hitAtK(r.relevant, k)) return `no relevant passage in the top ${k}`;
  if (!r.answerHit) return "relevant passage retrieved, but the answer does not contain a gold answer";
  return undefined;
}

function describeFailure(r: QuestionResult, q: EvalQuestion, problem: string): Failure {
  const expected = q.unanswerable
    ? "unanswerable"
    : [q.answers ? `answers ${q.answers.map((a) => `“${a}”`).join(" / ")}` : "", q.story ? `story 《…${q.story}…》` : ""].filter((s) => s !== "").join(", in ");
  return {
    id: r.id,
    question: r.question,
    expected,
    problem,
    got: r.abstained ? "(abstained)" : r.answer.answer,
    top: r.answer.passages.slice(0, 3).map((p, i) => `${r.relevant[i] ? "✓" : "✗"} 《${p.title}》 ¶${p.paragraph}: ${p.text.slice(0, 40)}…`),
  };
}
