import { splitSentences } from "../passages.js";
import type { EvidenceScorer, QueryTerms } from "../search/evidence.js";

/** A sentence chosen for the answer, and the passage (by rank among those given) it came from. */
export interface Quote {
  readonly source: number;
  readonly sentence: string;
}

const MAX_QUOTES = 3;
/** Later passages must beat the best one clearly to be quoted: the best passage is usually the story. */
const RANK_DISCOUNT = [1, 0.85, 0.7];

/**
 * Picks the 1–3 sentences that answer the question, in the passages' own
 * words. Sentences are scored by how much of the question's idf weight they
 * hold (exact terms count extra), discounted by their passage's rank so the
 * best passage is preferred; chosen sentences keep reading order.
 */
export function extractQuotes(evidence: EvidenceScorer, terms: QueryTerms, passages: readonly string[]): Quote[] {
  const scored = passages.slice(0, RANK_DISCOUNT.length).flatMap((text, source) =>
    splitSentences(text).map((raw, position) => {
      const sentence = stripLead(raw);
      const score = (evidence.coverage(terms, sentence) + 0.2 * evidence.exactMatches(terms, sentence)) * RANK_DISCOUNT[source]!;
      return { source, position, sentence, score };
    }),
  );
  const ranked = scored.filter((s) => s.sentence !== "").sort((a, b) => b.score - a.score || a.source - b.source || a.position - b.position);
  const best = ranked[0];
  if (best === undefined) return [];
  const chosen = [best];
  for (const s of ranked.slice(1)) {
    if (chosen.length >= MAX_QUOTES) break;
    if (s.score < Math.max(0.25, best.score * 0.6)) break;
    if (chosen.some((c) => c.sentence.includes(s.sentence) || s.sentence.includes(c.sentence))) continue;
    chosen.push(s);
  }
  return chosen
    .sort((a, b) => a.source - b.source || a.position - b.position)
    .map(({ source, sentence }) => ({ source, sentence }));
}

/** `本报讯（记者 宗晓畅）近日，…` quotes as `近日，…`: the byline is cited separately. */
export function stripLead(sentence: string): string {
  return sentence.replace(/^本报讯\s*[（(][^（）()]*[）)]\s*/, "").trim();
}
