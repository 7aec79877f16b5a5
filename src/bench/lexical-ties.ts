import type { LexicalHit } from "../search/lexical.js";

/**
 * How two stores' lexical top k differ, separating ties from misses. Both
 * stores rank with the same two-field BM25 (the Postgres store rescores its
 * candidates with the folder store's formula), so when a passage of the
 * folder store's top k is missing from the other's, either it tied at the
 * k-th score with passages the other store put there instead (a tie: equally
 * right), or the other store ranked a lower-scoring passage in its place
 * (a real miss: the passage was in neither of its candidate lists).
 */
export interface TopKAgreement {
  readonly questions: number;
  /** Share of the reference's top-k keys found in the other's top k (raw set overlap). */
  readonly agreement: number;
  /** The same, counting a missing key as agreed when it tied at the reference's k-th score and the other's k-th score is that score too. */
  readonly agreementUpToTies: number;
  /** Reference top-k keys missing from the other's top k. */
  readonly missing: number;
  /** Of `missing`: tied at the k-th score. */
  readonly missingTied: number;
  /** Of `missing`: scored above the other store's k-th hit (candidates the other store did not find). */
  readonly missingReal: number;
  /** Questions whose top k has the same scores in both (in order, to 12 significant digits): they differ at most by ties. */
  readonly sameScores: number;
  /** Questions where more passages tie at the reference's k-th score than fit in its top k. */
  readonly questionsTiedPastK: number;
  /** Passages tied at the k-th score but ranked after k, summed over the questions. */
  readonly tiedPastK: number;
}

/** Scores compared as the Postgres store's rescoring compares them (summation order differs in the last bits). */
const same = (a: number, b: number) => Number(a.toPrecision(12)) === Number(b.toPrecision(12));

/** What is kept of the reference's full ranking of one question: its top k, and how many passages tie at the k-th score after it. */
export interface ReferenceTopK {
  readonly top: readonly LexicalHit[];
  readonly tiedPastK: number;
}

/** Summarizes a full ranking (every scored passage), so the rankings of many questions need not be held at once. */
export function referenceTopK(full: readonly LexicalHit[], k: number): ReferenceTopK {
  const top = full.slice(0, k);
  const kth = top[k - 1]?.score;
  let tiedPastK = 0;
  if (kth !== undefined) for (let i = k; i < full.length && same(full[i]!.score, kth); i++) tiedPastK++;
  return { top, tiedPastK };
}

/** Per question: the reference's summary and the other store's top k. */
export function compareTopK(k: number, runs: readonly { readonly reference: ReferenceTopK; readonly other: readonly LexicalHit[] }[]): TopKAgreement {
  let total = 0;
  let missing = 0;
  let missingTied = 0;
  let missingReal = 0;
  let sameScores = 0;
  let questionsTiedPastK = 0;
  let tiedPastK = 0;
  for (const { reference, other } of runs) {
    const top = reference.top.slice(0, k);
    const otherTop = other.slice(0, k);
    total += top.length;
    if (top.length === otherTop.length && top.every((h, i) => same(h.score, otherTop[i]!.score))) sameScores++;
    const kth = top[k - 1]?.score;
    tiedPastK += reference.tiedPastK;
    if (reference.tiedPastK > 0) questionsTiedPastK++;
    const otherKeys = new Set(otherTop.map((h) => h.key));
    const otherKth = otherTop[k - 1]?.score;
    for (const h of top) {
      if (otherKeys.has(h.key)) continue;
      missing++;
      if (kth !== undefined && otherKth !== undefined && same(h.score, kth) && same(otherKth, kth)) missingTied++;
      else missingReal++;
    }
  }
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    questions: runs.length,
    agreement: r(total === 0 ? 1 : (total - missing) / total),
    agreementUpToTies: r(total === 0 ? 1 : (total - missingReal) / total),
    missing,
    missingTied,
    missingReal,
    sameScores,
    questionsTiedPastK,
    tiedPastK,
  };
}
