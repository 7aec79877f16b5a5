import type { Answer } from "../answer/answer.js";
import type { EvalQuestion } from "./questions.js";

/** Whitespace is layout, not content: a gold answer matches across it. */
const squash = (s: string) => s.replace(/\s+/g, "");

/**
 * A passage is relevant when it belongs to the expected story (if one is
 * given) and contains a gold answer (if any are given). An unanswerable
 * question has no relevant passage.
 */
export function isRelevant(passage: { readonly title: string; readonly text: string }, q: EvalQuestion): boolean {
  if (q.unanswerable || (q.story === undefined && q.answers === undefined)) return false;
  if (q.story !== undefined && !passage.title.includes(q.story)) return false;
  if (q.answers === undefined) return true;
  const text = squash(passage.text);
  return q.answers.some((a) => text.includes(squash(a)));
}

/** 1 when a relevant passage is among the first k, else 0. */
export function hitAtK(relevant: readonly boolean[], k: number): number {
  return relevant.slice(0, k).some(Boolean) ? 1 : 0;
}

/** 1/rank of the first relevant passage within the first k, 0 when none is. */
export function reciprocalRank(relevant: readonly boolean[], k = 10): number {
  const i = relevant.slice(0, k).indexOf(true);
  return i === -1 ? 0 : 1 / (i + 1);
}

/**
 * nDCG@k with binary gains. The ideal ranking puts `relevantCount` relevant
 * passages first (capped at k); it defaults to the number retrieved, which
 * overstates nDCG when relevant passages were missed, so callers that know
 * the corpus pass the true count.
 */
export function ndcgAtK(relevant: readonly boolean[], k = 10, relevantCount?: number): number {
  const dcg = relevant.slice(0, k).reduce((sum, rel, i) => sum + (rel ? 1 / Math.log2(i + 2) : 0), 0);
  const ideal = Math.min(k, relevantCount ?? relevant.filter(Boolean).length);
  if (ideal === 0) return 0;
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
}

/** The answer text holds a gold answer (or, with only a story given, cites that story). */
export function answerHit(answer: Answer, q: EvalQuestion): boolean {
  if (answer.abstained || q.unanswerable) return false;
  if (q.answers !== undefined) return q.answers.some((a) => squash(answer.answer).includes(squash(a)));
  return answer.citations.some((c) => q.story !== undefined && c.title.includes(q.story));
}

/** Share of cited passages that are relevant; undefined when nothing was cited. */
export function citationPrecision(answer: Answer, q: EvalQuestion): number | undefined {
  if (answer.citations.length === 0) return undefined;
  return answer.citations.filter((c) => isRelevant(c, q)).length / answer.citations.length;
}

/** Nearest-rank percentile (p in 0..100): always a value that was observed; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Mean, or null for no values (never NaN in a report). */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Abstention quality: precision and recall of abstaining on unanswerable questions. */
export function abstention(results: readonly { readonly unanswerable: boolean; readonly abstained: boolean }[]) {
  const abstained = results.filter((r) => r.abstained);
  const unanswerable = results.filter((r) => r.unanswerable);
  const answerable = results.filter((r) => !r.unanswerable);
  const correct = abstained.filter((r) => r.unanswerable).length;
  return {
    precision: abstained.length === 0 ? null : correct / abstained.length,
    recall: unanswerable.length === 0 ? null : correct / unanswerable.length,
    falseAbstentionRate: answerable.length === 0 ? null : answerable.filter((r) => r.abstained).length / answerable.length,
  };
}
