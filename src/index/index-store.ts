import type { Story } from "../corpus/story.js";
import type { Embedder } from "../embed/embedder.js";
import type { LexicalHit } from "../search/lexical.js";
import type { Segmenter } from "../search/segment.js";
import type { BuildOptions, BuildReport } from "./build.js";
import type { Manifest } from "./manifest.js";
import type { PassageList } from "../passages.js";
import type { VectorHit, VectorIndexFactory } from "./vector-index.js";

/**
 * Where the index lives: a folder on this machine (`folder-store.ts`, the
 * default) or a PostgreSQL database shared by several instances
 * (`postgres-store.ts`, with DATABASE_URL). Chosen once, in `wiring.ts`;
 * retrieval and answers get a `ServedIndex` and never know which.
 */
export interface IndexStore {
  readonly kind: "folder" | "postgres";
  /** For messages: INDEX_DIR, or host:port/db (never credentials). */
  readonly where: string;
  /** The published build's id, or undefined when nothing was ever built. */
  currentBuildId(): Promise<string | undefined>;
  /** The published build's manifest alone (cheap). */
  readManifest(): Promise<Manifest | undefined>;
  /** Reads the published build for serving; undefined when nothing was ever built. */
  load(opts: LoadOptions): Promise<ServedIndex | undefined>;
  /**
   * Brings the index up to date with the corpus and publishes a new build:
   * only new, changed and removed passages are embedded and written; readers
   * see the old build or the new one, never a mix.
   */
  build(opts: StoreBuildOptions): Promise<BuildReport>;
  /** Calls `onBuild` with the published build id whenever it changes (and once at the first check); returns a stop function. */
  watch(onBuild: (buildId: string) => void, everyMs?: number): () => void;
  close(): Promise<void>;
}

/** A build's options without its location: the store knows where it writes. */
export type StoreBuildOptions = Omit<BuildOptions, "indexDir">;

export interface LoadOptions {
  readonly segmenter: Segmenter;
  /** Given when dense retrieval is wanted: the vectors are made searchable. */
  readonly embedder?: Embedder | undefined;
  /** The folder store's HNSW loader. */
  readonly vectorFactory?: VectorIndexFactory | undefined;
}

/**
 * The in-memory BM25's document slots beside the passage list: a hit's slot
 * names its passage without a key lookup, and a passage's one-character words
 * are read from the postings instead of segmenting it again.
 */
export interface LexicalSlots {
  /** The passage of a slot (-1: none). */
  passage(slot: number): number;
  /** The slot of a passage (-1: none). */
  slot(passage: number): number;
  /** Whether the document in `slot` holds `word` as a word. */
  has(slot: number, word: string): boolean;
  /** The lexical search's hits as slots (`doc`) and scores, without their keys (which nothing here reads). */
  search(query: string, k: number): readonly { readonly doc: number; readonly score: number }[];
}

/** Ranks passage keys by words (BM25); sync in memory, async in a database (whose hits carry slot -1). */
export interface LexicalSearcher {
  search(query: string, k: number): LexicalHit[] | Promise<LexicalHit[]>;
}

/** Ranks passages (labels = positions in `passages`) by inner product with a question's vector. */
export interface VectorSearcher {
  search(query: Float32Array, k: number): VectorHit[] | Promise<VectorHit[]>;
}

/** What the engine is built from: one build, whole. */
export interface ServedIndex {
  readonly buildId: string;
  readonly manifest: Manifest;
  readonly stories: readonly Story[];
  /** In corpus order: candidates and vector labels are positions in this list (texts may be read from disk on demand). */
  readonly passages: PassageList;
  readonly lexical: LexicalSearcher;
  /** Present when lexical hits carry slots (the folder store's BM25): how they map to passages. */
  readonly lexicalSlots?: LexicalSlots | undefined;
  /** BM25 idf of a word over this build's passages, for judging evidence. */
  idf(word: string): number;
  readonly vectors?: VectorSearcher | undefined;
  /** Warnings for the admin at start (a weaker fallback in use). */
  readonly notices?: readonly string[];
  /** Near-duplicate group of each passage, when the build has them. */
  readonly nearDuplicateGroup?: ((i: number) => number) | undefined;
}
