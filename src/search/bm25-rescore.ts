import { BM25_B, BM25_K1, bm25Idf } from "./bm25.js";

/**
 * Two-field BM25 (title + text, summed) over words already segmented and
 * stored with each passage, scoring only the candidates it is given: how
 * the Postgres store ranks what its database indexes found, with the same
 * formula, statistics and tie order as the in-memory index (`bm25.ts`,
 * `lexical.ts`), so both stores rank alike. Also answers idf for evidence.
 */
export interface FieldScorer {
  /** BM25 of passage `i` for the distinct query words (title and text fields summed). */
  score(words: ReadonlySet<string>, i: number): number;
  /** The evidence idf: passages holding the word in title or text. */
  idf(word: string): number;
}

interface Field {
  readonly df: Map<string, number>;
  readonly lengths: Uint32Array;
  readonly avg: number;
}

/** `titleWords[i]`, `textWords[i]`: passage i's words joined by single spaces (empty for none). */
export function createFieldScorer(titleWords: readonly string[], textWords: readonly string[]): FieldScorer {
  const n = textWords.length;
  const split = (s: string) => (s === "" ? [] : s.split(" "));
  const field = (texts: readonly string[]): Field => {
    const df = new Map<string, number>();
    const lengths = new Uint32Array(n);
    let total = 0;
    // Titles repeat across a story's passages: count each distinct string's words once.
    let last = "";
    let lastWords: string[] = [];
    texts.forEach((t, i) => {
      const words = t === last ? lastWords : split(t);
      last = t;
      lastWords = words;
      lengths[i] = words.length;
      total += words.length;
      for (const w of new Set(words)) df.set(w, (df.get(w) ?? 0) + 1);
    });
    return { df, lengths, avg: n === 0 ? 1 : total / n || 1 };
  };
  const title = field(titleWords);
  const text = field(textWords);
  const union = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (const w of new Set([...split(titleWords[i]!), ...split(textWords[i]!)])) union.set(w, (union.get(w) ?? 0) + 1);
  }
  const fieldScore = (f: Field, words: ReadonlySet<string>, stored: string, i: number) => {
    if (stored === "") return 0;
    const tf = new Map<string, number>();
    for (const w of stored.split(" ")) if (words.has(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * f.lengths[i]!) / f.avg);
    let s = 0;
    for (const [w, c] of tf) s += (bm25Idf(n, f.df.get(w) ?? 0) * c * (BM25_K1 + 1)) / (c + norm);
    return s;
  };
  return {
    score: (words, i) => fieldScore(title, words, titleWords[i]!, i) + fieldScore(text, words, textWords[i]!, i),
    idf: (word) => bm25Idf(n, union.get(word) ?? 0),
  };
}
