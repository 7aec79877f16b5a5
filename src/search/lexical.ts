import { open, readFile } from "node:fs/promises";
import { Accumulator, Bm25, type Bm25Arrays, type Bm25Hit, bm25Idf } from "./bm25.js";
import { type SearchOptions, searchFields } from "./bm25-search.js";
import type { KeyTable } from "../key-table.js";
import { decodeLexical, encodeLexical, LexicalFormatError } from "./lexical-format.js";
import type { Segmenter } from "./segment.js";
import type { SegmentedTexts } from "./segment-pool.js";

export { LEXICAL_FORMAT_VERSION, LexicalFormatError } from "./lexical-format.js";

/** What BM25 indexes for a passage: its story's title counts as part of it. */
export interface LexicalDoc {
  readonly key: string;
  readonly title: string;
  readonly text: string;
}

export interface LexicalHit {
  readonly key: string;
  /** The document's position in the index (see `keys`). */
  readonly slot: number;
  readonly score: number;
}

/** BM25 over jieba words, with document frequencies for evidence scoring, saved as one binary file. */
export interface LexicalIndex {
  /** Documents indexed. */
  readonly size: number;
  /**
   * Adds documents; a key already present is replaced. Each text is
   * segmented once, unless `segmented` already holds its words (cut by the
   * same segmenter on other threads, see `segment-pool.ts`).
   */
  add(docs: readonly LexicalDoc[], segmented?: SegmentedTexts): void;
  /** Removes documents by key (unknown keys are ignored); their words leave the document frequencies. */
  remove(docs: readonly Pick<LexicalDoc, "key">[]): void;
  /**
   * Top k keys by BM25 (k1 1.2, b 0.75) over the query's distinct words,
   * summed over the title and text fields; ties in insertion order.
   * Postings that cannot change the top k are skipped (see `bm25-search.ts`);
   * `exhaustive` scores every one, the reference the pruned search is tested against.
   */
  search(query: string, k: number, opts?: SearchOptions): LexicalHit[];
  /**
   * `search` without the keys: the hits' slots and scores. A caller that maps
   * slots to passages itself (the retriever) spares decoding sixty keys a
   * question it would not read.
   */
  searchSlots(query: string, k: number, opts?: SearchOptions): Bm25Hit[];
  /** BM25's idf: a word no passage holds gets the highest weight, as it is the most telling. */
  idf(word: string): number;
  /** Document keys by slot (the hits' `slot`), for a store that maps slots to its own records once, when saving. */
  keys(): readonly string[];
  /**
   * Whether the document at `slot` was cut into `word` (in its title or
   * text): what segmenting the document again would say, read from the
   * postings instead of running jieba over the text.
   */
  has(slot: number, word: string): boolean;
  /** The index file's bytes as chunks, in order: write them to a stream, or `Buffer.concat` them. */
  toChunks(): Uint8Array[];
}

/**
 * A compact BM25 index of our own (see `bm25.ts`) rather than MiniSearch:
 * MiniSearch multiplies BM25 by the number of matched terms, keeps a radix
 * tree that indexes CJK words slowly, and saves as JSON that takes seconds to
 * parse at 100k passages. Ours segments each passage once (and each title
 * once per batch), keeps postings in typed arrays and saves them as a binary
 * file that loads as array views.
 *
 * Title and text are two BM25 fields summed, as in Lucene's multi-field
 * queries: a word of a short title weighs as a title word, not as one more
 * word of a long paragraph.
 */
export function createLexicalIndex(segmenter: Segmenter): LexicalIndex {
  return new Lexical(segmenter, [new Bm25(), new Bm25()], new Uint32Array(0), [], []);
}

/** Loads an index from its file's bytes; throws LexicalFormatError (with a rebuild hint) for another version. */
export function loadLexicalIndex(segmenter: Segmenter, bytes: Uint8Array): LexicalIndex {
  const { keys, terms, df, fields } = decodeLexical(bytes);
  if (fields.length !== 2) throw new LexicalFormatError(`the file has ${fields.length} fields, this program reads 2 (title, text)`);
  return new Lexical(segmenter, [new Bm25(fields[0]), new Bm25(fields[1])], df, keys, [...terms]);
}

/** Writes the index to `file`, chunk by chunk (no single buffer of the whole file), and syncs it. */
export async function writeLexicalIndex(file: string, index: LexicalIndex): Promise<void> {
  const handle = await open(file, "w");
  try {
    for (const chunk of index.toChunks()) if (chunk.length > 0) await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads an index file; throws LexicalFormatError for a file of another format version. */
export async function readLexicalIndex(file: string, segmenter: Segmenter): Promise<LexicalIndex> {
  return loadLexicalIndex(segmenter, await readFile(file));
}

const TITLE = 0;
const TEXT = 1;
/** A vocabulary word not yet given a term id in this `add`. */
const UNNUMBERED = 0xffffffff;

class Lexical implements LexicalIndex {
  /** Built lazily: a loaded index answers its first question without a map of every key. */
  private termIds: Map<string, number> | undefined;
  private slotOf: Map<string, number> | undefined;
  private readonly acc = new Accumulator();
  private seenBy: Uint32Array = new Uint32Array(0);
  private marks = 0;

  constructor(
    private readonly segmenter: Segmenter,
    /** Title and text, sharing slots and term ids. */
    private readonly fields: readonly [Bm25, Bm25],
    /** Documents holding each term in either field. */
    private df: Uint32Array,
    /** Key of each slot; as loaded, decoded one by one until a change needs them all. */
    private slotKeys: string[] | KeyTable,
    private readonly terms: string[],
  ) {}

  /** The keys as an array that changes may write to. */
  private keyArray(): string[] {
    if (!Array.isArray(this.slotKeys)) this.slotKeys = this.slotKeys.all();
    return this.slotKeys;
  }

  private keyAt(slot: number): string {
    return Array.isArray(this.slotKeys) ? this.slotKeys[slot]! : this.slotKeys.get(slot);
  }

  keys(): readonly string[] {
    return this.keyArray();
  }

  get size(): number {
    return this.fields[TEXT].size;
  }

  private ids(): Map<string, number> {
    this.termIds ??= new Map(this.terms.map((t, i) => [t, i]));
    return this.termIds;
  }

  private slots(): Map<string, number> {
    this.slotOf ??= new Map(this.keyArray().map((k, i) => [k, i]));
    return this.slotOf;
  }

  add(docs: readonly LexicalDoc[], segmented?: SegmentedTexts): void {
    const batch = [...new Map(docs.map((d) => [d.key, d])).values()];
    for (const d of batch) if (d.key.includes("\u0000")) throw new Error(`lexical index: a key may not hold NUL (${JSON.stringify(d.key)})`);
    const replaced = batch.filter((d) => this.slots().has(d.key));
    if (replaced.length > 0) this.remove(replaced);
    const ids = this.ids();
    const slots = this.slots();
    const toIds = (ws: readonly string[]) =>
      ws.map((w) => {
        let id = ids.get(w);
        if (id === undefined) {
          id = this.terms.length;
          this.terms.push(w);
          ids.set(w, id);
        }
        return id;
      });
    // Words cut on other threads arrive as numbers into their vocabulary: each distinct word is looked up once, when
    // first met (so terms are numbered in the order a single-threaded build meets them, and the file is the same).
    const termOf = segmented && new Uint32Array(segmented.vocabulary.length).fill(UNNUMBERED);
    // A text's term ids go in one reused buffer, read before the next text's (a title's are copied: they are kept
    // for the story's other passages): an array per text, a number per word, was garbage for the build's thread to collect.
    let scratch = new Uint32Array(1024);
    const termIds = (text: string, keep: boolean): ArrayLike<number> => {
      const cut = segmented?.words(text);
      if (cut === undefined || termOf === undefined) return toIds(this.segmenter.words(text));
      if (scratch.length < cut.length) scratch = new Uint32Array(cut.length * 2);
      const out = keep ? new Uint32Array(cut.length) : scratch.subarray(0, cut.length);
      for (let i = 0; i < cut.length; i++) {
        const v = cut[i]!;
        let t = termOf[v]!;
        if (t === UNNUMBERED) t = termOf[v] = toIds([segmented!.vocabulary[v]!])[0]!;
        out[i] = t;
      }
      return out;
    };
    const titleIds = new Map<string, ArrayLike<number>>();
    for (const d of batch) {
      let title = titleIds.get(d.title);
      if (title === undefined) titleIds.set(d.title, (title = termIds(d.title, true)));
      const text = termIds(d.text, false);
      const slot = this.fields[TITLE].add(title);
      this.fields[TEXT].add(text);
      this.countDocument(title, text);
      this.keyArray()[slot] = d.key;
      slots.set(d.key, slot);
    }
  }

  /** Counts the document once for each distinct term of title and text (`seenBy` marks terms by the last document that counted them). */
  private countDocument(title: ArrayLike<number>, text: ArrayLike<number>): void {
    if (this.df.length < this.terms.length) {
      const grow = (a: Uint32Array) => {
        const next = new Uint32Array(Math.max(1024, this.terms.length * 2));
        next.set(a);
        return next;
      };
      this.df = grow(this.df);
      this.seenBy = grow(this.seenBy);
    }
    const mark = ++this.marks;
    for (const words of [title, text]) {
      for (let i = 0; i < words.length; i++) {
        const t = words[i]!;
        if (this.seenBy[t] === mark) continue;
        this.seenBy[t] = mark;
        this.df[t]!++;
      }
    }
  }

  remove(docs: readonly Pick<LexicalDoc, "key">[]): void {
    const slots = this.slots();
    let removed = 0;
    for (const d of docs) {
      const slot = slots.get(d.key);
      if (slot === undefined) continue;
      for (const f of this.fields) f.remove(slot);
      removed++;
    }
    if (removed === 0) return;
    const remap = this.fields[TITLE].seal();
    this.fields[TEXT].seal();
    if (remap !== undefined) {
      const keys: string[] = [];
      const old = this.keyArray();
      remap.forEach((to, from) => {
        if (to >= 0) keys[to] = old[from]!;
      });
      this.slotKeys = keys;
      this.slotOf = undefined;
    }
    this.df = unionCounts(this.fields[TITLE].arrays(), this.fields[TEXT].arrays(), this.terms.length);
  }

  search(query: string, k: number, opts: SearchOptions = {}): LexicalHit[] {
    return this.searchSlots(query, k, opts).map((h) => ({ key: this.keyAt(h.doc), slot: h.doc, score: h.score }));
  }

  searchSlots(query: string, k: number, opts: SearchOptions = {}): Bm25Hit[] {
    const ids = this.ids();
    const termIds = new Set<number>();
    for (const w of this.segmenter.words(query)) {
      const id = ids.get(w);
      if (id !== undefined) termIds.add(id);
    }
    if (termIds.size === 0) return [];
    return searchFields(this.fields, termIds, k, this.acc, opts);
  }

  has(slot: number, word: string): boolean {
    const id = this.ids().get(word);
    return id !== undefined && (this.fields[TEXT].has(id, slot) || this.fields[TITLE].has(id, slot));
  }

  idf(word: string): number {
    const id = this.ids().get(word);
    return bm25Idf(this.size, id === undefined || id >= this.df.length ? 0 : this.df[id]!);
  }

  toChunks(): Uint8Array[] {
    const fields = this.fields.map((f) => f.arrays());
    return encodeLexical({ keys: this.slotKeys, terms: this.terms, df: this.df.subarray(0, this.terms.length), fields });
  }
}

/** Documents holding each term in either field: a merge of the two sorted postings lists per term. */
function unionCounts(a: Bm25Arrays, b: Bm25Arrays, terms: number): Uint32Array {
  const df = new Uint32Array(terms);
  const span = (x: Bm25Arrays, t: number) => (t + 1 < x.offsets.length ? [x.offsets[t]!, x.offsets[t + 1]!] : [0, 0]) as [number, number];
  for (let t = 0; t < terms; t++) {
    let [i, iEnd] = span(a, t);
    let [j, jEnd] = span(b, t);
    let n = 0;
    while (i < iEnd && j < jEnd) {
      const x = a.docs[i]!;
      const y = b.docs[j]!;
      if (x <= y) i++;
      if (y <= x) j++;
      n++;
    }
    df[t] = n + (iEnd - i) + (jEnd - j);
  }
  return df;
}
