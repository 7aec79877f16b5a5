import type { Answer } from "../answer/answer.js";
import type { EvalQuestion } from "./questions.js";

/**
 * Whitespace is layout, not content: a gold answer must match a passage
 * whether or not a line break or a full-width space survived in it.
 */
const squash = (s: string): string => s.replace(/\s+/g, "");

/** Citation markers `[n]` are presentation; a gold answer may straddle one. */
const answerText = (s: string): string => squash(s.replace(/\[\d+\]/g, ""));

/**
 * A passage is relevant when it belongs to the expected story (its title
 * contains `q.story`, if given) and its text contains one of `q.answers`
 * (if given), both compared with whitespace removed. An unanswerable
 * question has no relevant passage, so anything cited for it is wrong.
 */
export function isRelevant(passage: { readonly title: string; readonly text: string }, q: EvalQuestion): boolean {
  if (q.unanswerable === true || (q.story === undefined && q.answers === undefined)) return false;
  if (q.story !== undefined && !squash(passage.title).includes(squash(q.story))) return false;
  if (q.answers === undefined) return true;
  const text = squash(passage.text);
  return q.answers.some((a) => text.includes(squash(a)));
}

/** How ranking metrics treat the list they are given. */
export interface RankOptions {
  /**
   * The ranking score of each passage, parallel to the relevance list. Passages
   * whose scores tie form a group whose internal order is arbitrary (reciprocal
   * rank fusion ties often, and the engine then falls back to corpus order), so
   * the metrics return their expected value over every order of each tied
   * group (McSherry & Najork, ECIR 2008) instead of crediting the tie-break.
   * Without scores the list is taken exactly as ranked.
   */
  readonly scores?: readonly number[];
}

export interface NdcgOptions extends RankOptions {
  /**
   * How many relevant passages exist in the whole collection. The ideal DCG
   * ranks min(k, relevantCount) relevant passages first. Without it, only the
   * relevant passages present in the list are counted, which overstates nDCG
   * when relevant passages were missed; it is never taken below the number
   * found, so nDCG stays within 0..1.
   */
  readonly relevantCount?: number;
}

/** A run of passages with equal scores: where it starts (0-based), its size, and how many are relevant. */
interface TieGroup {
  readonly start: number;
  readonly size: number;
  readonly relevant: number;
}

/** Scores this close are one tie: fused scores are sums of fractions that may differ in the last bit. */
const sameScore = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

function tieGroups(relevant: readonly boolean[], scores: readonly number[] | undefined): TieGroup[] {
  if (scores !== undefined && scores.length !== relevant.length) {
    throw new RangeError(`scores (${scores.length}) and relevance (${relevant.length}) must be the same length`);
  }
  const groups: { start: number; size: number; relevant: number; score: number }[] = [];
  relevant.forEach((rel, i) => {
    const score = scores?.[i];
    const last = groups.at(-1);
    if (last !== undefined && score !== undefined && sameScore(last.score, score)) {
      last.size += 1;
      last.relevant += rel ? 1 : 0;
    } else {
      groups.push({ start: i, size: 1, relevant: rel ? 1 : 0, score: score ?? Number.NaN });
    }
  });
  return groups;
}

/** Binomial coefficient C(n, r); 0 outside 0 ≤ r ≤ n. Lists are short, so floats are exact enough. */
function choose(n: number, r: number): number {
  if (r < 0 || r > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(r, n - r); i++) c = (c * (n - Math.min(r, n - r) + i)) / i;
  return c;
}

/**
 * hit@k: 1 when a relevant passage is among the first k, else 0; an empty list
 * scores 0. With tied scores straddling rank k, the probability that a random
 * order of the tie puts a relevant passage within the first k.
 */
export function hitAtK(relevant: readonly boolean[], k: number, opts: RankOptions = {}): number {
  for (const g of tieGroups(relevant, opts.scores)) {
    if (g.start >= k) return 0;
    if (g.relevant === 0) continue;
    const slots = Math.min(g.size, k - g.start);
    return 1 - choose(g.size - g.relevant, slots) / choose(g.size, slots);
  }
  return 0;
}

/**
 * Reciprocal rank within the first k: 1/rank of the first relevant passage,
 * 0 when none is (or the list is empty). Several relevant passages do not
 * add up: only the first counts. With ties, the expected 1/rank over random
 * orders of the tied group holding the first relevant passage.
 */
export function reciprocalRank(relevant: readonly boolean[], k = 10, opts: RankOptions = {}): number {
  for (const g of tieGroups(relevant, opts.scores)) {
    if (g.start >= k) return 0;
    if (g.relevant === 0) continue;
    // P(the first relevant passage of the group sits at offset j) = C(n-1-j, r-1) / C(n, r).
    let rr = 0;
    for (let j = 0; j <= g.size - g.relevant && g.start + j < k; j++) {
      rr += choose(g.size - 1 - j, g.relevant - 1) / choose(g.size, g.relevant) / (g.start + j + 1);
    }
    return rr;
  }
  return 0;
}

/**
 * nDCG@k with binary gains and the log2(rank + 1) discount; 0 for an empty
 * list or when nothing is relevant. Within a tied group every position gets
 * the group's share of relevant passages as its expected gain.
 */
export function ndcgAtK(relevant: readonly boolean[], k = 10, opts: NdcgOptions = {}): number {
  let dcg = 0;
  for (const g of tieGroups(relevant, opts.scores)) {
    for (let p = g.start; p < Math.min(k, g.start + g.size); p++) dcg += g.relevant / g.size / Math.log2(p + 2);
  }
  const found = relevant.filter(Boolean).length;
  const ideal = Math.min(k, Math.max(found, opts.relevantCount ?? 0));
  if (ideal === 0) return 0;
  let idcg = 0;
  for (let p = 0; p < ideal; p++) idcg += 1 / Math.log2(p + 2);
  return dcg / idcg;
}

/**
 * The answer text (markers and whitespace removed) holds a gold answer. A
 * question with only a story counts as hit when the answer cites that story.
 * An abstention never hits, and an unanswerable question has nothing to hit.
 */
export function answerHit(answer: Answer, q: EvalQuestion): boolean {
  if (answer.abstained || q.unanswerable === true) return false;
  if (q.answers !== undefined) {
    const text = answerText(answer.answer);
    return q.answers.some((a) => text.includes(squash(a)));
  }
  const story = q.story;
  return story !== undefined && answer.citations.some((c) => squash(c.title).includes(squash(story)));
}

/** Share of cited passages that are relevant; undefined when nothing was cited (no claim, no precision). */
export function citationPrecision(answer: Answer, q: EvalQuestion): number | undefined {
  if (answer.citations.length === 0) return undefined;
  return answer.citations.filter((c) => isRelevant(c, q)).length / answer.citations.length;
}

/**
 * Nearest-rank percentile, p in 0..100: the smallest observed value with at
 * least p% of the values at or below it (rank ⌈p/100 · n⌉, at least 1). It
 * always reports a latency that actually happened, never an interpolation,
 * and equal values need no special care. null when there are no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50, p95 and max by nearest rank; all null for no values. */
export function latencySummary(values: readonly number[]): { p50: number | null; p95: number | null; max: number | null } {
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: percentile(values, 100) };
}

/** Mean, or null for no values, so a report never shows NaN. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Abstention quality. Precision: of the abstentions, the share on
 * unanswerable questions (null when it never abstained). Recall: of the
 * unanswerable questions, the share it abstained on (null when there are
 * none). False-abstention rate: of the answerable questions, the share it
 * refused (null when there are none).
 */
export function abstention(results: readonly { readonly unanswerable: boolean; readonly abstained: boolean }[]): {
  precision: number | null;
  recall: number | null;
  falseAbstentionRate: number | null;
} {
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
