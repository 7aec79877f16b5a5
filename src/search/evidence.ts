import type { LexicalIndex } from "./lexical.js";
import type { Segmenter } from "./segment.js";

/** A question reduced to what evidence is judged on. */
export interface QueryTerms {
  /** Distinct content words with their idf weights. */
  readonly words: ReadonlyMap<string, number>;
  /** Quoted phrases, numbers and Latin words: must appear verbatim to count. */
  readonly exact: readonly string[];
}

/** Judges how well a text supports a question, the same way for passages and sentences. */
export interface EvidenceScorer {
  terms(question: string): QueryTerms;
  /**
   * Share of the question's idf weight the text holds. Unlike BM25 it is
   * bounded (0..1) and comparable across questions, which a threshold for
   * "the news does not cover this" needs; a word no passage holds weighs
   * most, so a question about another city or union scores low even when
   * it shares generic words such as 工会.
   */
  coverage(terms: QueryTerms, text: string): number;
  /** How many exact terms the text holds verbatim. */
  exactMatches(terms: QueryTerms, text: string): number;
}

/**
 * Names, numbers and quoted terms are where a question says exactly what it
 * means (`11311`, `“夏送清凉”`): segmentation may split them, so they are
 * matched as written.
 */
export function exactTerms(question: string): string[] {
  const terms = new Set<string>();
  for (const m of question.matchAll(/[“"「『‘']([^”"」』’']{2,30})[”"」』’']/g)) terms.add(m[1]!.trim());
  for (const m of question.matchAll(/\d{2,}(?:\.\d+)?|[A-Za-z][A-Za-z0-9-]{1,}/g)) terms.add(m[0]);
  return [...terms].filter((t) => t !== "");
}

const MEMO_LIMIT = 100_000;

/**
 * A word of two or more characters counts when it occurs in the text; a
 * single character only when the text's own segmentation has it as a word,
 * so `交` (hand in) is not found inside `交流` (exchange).
 */
export function createEvidenceScorer(segmenter: Segmenter, lexical: LexicalIndex): EvidenceScorer {
  const memo = new Map<string, Set<string>>();
  const wordsOf = (text: string) => {
    let words = memo.get(text);
    if (words === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      words = new Set(segmenter.words(text));
      memo.set(text, words);
    }
    return words;
  };
  return {
    terms(question) {
      const words = new Map<string, number>();
      for (const w of segmenter.words(question)) words.set(w, lexical.idf(w));
      return { words, exact: exactTerms(question) };
    },
    coverage(terms, text) {
      let total = 0;
      let found = 0;
      for (const [word, weight] of terms.words) {
        total += weight;
        if (word.length > 1 ? text.includes(word) : wordsOf(text).has(word)) found += weight;
      }
      return total === 0 ? 0 : found / total;
    },
    exactMatches(terms, text) {
      return terms.exact.filter((t) => text.includes(t)).length;
    },
  };
}
