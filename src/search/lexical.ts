import MiniSearch from "minisearch";
import type { Segmenter } from "./segment.js";

/** What BM25 indexes for a passage: its story's title counts as part of it. */
export interface LexicalDoc {
  readonly key: string;
  readonly title: string;
  readonly text: string;
}

export interface LexicalHit {
  readonly key: string;
  readonly score: number;
}

/** BM25 over jieba words, with document frequencies for evidence scoring, persisted as JSON. */
export interface LexicalIndex {
  readonly size: number;
  add(docs: readonly LexicalDoc[]): void;
  /** Needs the documents' old text so their words leave the document frequencies. */
  remove(docs: readonly LexicalDoc[]): void;
  search(query: string, k: number): LexicalHit[];
  /** BM25's idf: a word no passage holds gets the highest weight, as it is the most telling. */
  idf(word: string): number;
  toJSON(): string;
}

const LEXICAL_JSON_VERSION = 1;

interface Persisted {
  readonly version: number;
  readonly mini: unknown;
  readonly df: Record<string, number>;
}

function options(segmenter: Segmenter) {
  return {
    idField: "key",
    fields: ["title", "text"],
    tokenize: (text: string) => segmenter.words(text),
    processTerm: (term: string) => term,
    searchOptions: { combineWith: "OR" as const },
  };
}

/**
 * MiniSearch (BM25+) with jieba words: a maintained library with add and
 * discard, so a rebuild only touches changed passages. Document frequencies
 * are kept beside it because MiniSearch does not expose them and the
 * engine's abstention needs them.
 */
export function createLexicalIndex(segmenter: Segmenter, json?: string): LexicalIndex {
  const opts = options(segmenter);
  let mini: MiniSearch<LexicalDoc>;
  let df: Map<string, number>;
  if (json === undefined) {
    mini = new MiniSearch<LexicalDoc>(opts);
    df = new Map();
  } else {
    const persisted = JSON.parse(json) as Persisted;
    if (persisted.version !== LEXICAL_JSON_VERSION) throw new Error(`lexical index version ${persisted.version} is not ${LEXICAL_JSON_VERSION}`);
    mini = MiniSearch.loadJSON<LexicalDoc>(JSON.stringify(persisted.mini), opts);
    df = new Map(Object.entries(persisted.df));
  }
  const docWords = (d: LexicalDoc) => new Set(segmenter.words(`${d.title}\n${d.text}`));
  return {
    get size() {
      return mini.documentCount;
    },
    add(docs) {
      mini.addAll(docs);
      for (const d of docs) for (const w of docWords(d)) df.set(w, (df.get(w) ?? 0) + 1);
    },
    remove(docs) {
      for (const d of docs) {
        mini.discard(d.key);
        for (const w of docWords(d)) {
          const n = (df.get(w) ?? 0) - 1;
          if (n > 0) df.set(w, n);
          else df.delete(w);
        }
      }
    },
    search(query, k) {
      if (segmenter.words(query).length === 0) return [];
      return mini
        .search(query)
        .slice(0, k)
        .map((r) => ({ key: String(r.id), score: r.score }));
    },
    idf(word) {
      const n = mini.documentCount;
      const f = df.get(word) ?? 0;
      return Math.log(1 + (n - f + 0.5) / (f + 0.5));
    },
    toJSON() {
      const persisted: Persisted = { version: LEXICAL_JSON_VERSION, mini: mini.toJSON(), df: Object.fromEntries(df) };
      return JSON.stringify(persisted);
    },
  };
}
