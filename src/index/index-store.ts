import type { Story } from "../corpus/story.js";
import type { PassageList } from "../passages.js";
import type { Embedder } from "../embed/embedder.js";
import type { LexicalHit } from "../search/lexical.js";
import type { Segmenter } from "../search/segment.js";
import type { BuildOptions, BuildReport } from "./build.js";
import type { Manifest } from "./manifest.js";
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

/** Ranks passage keys by words (BM25); sync in memory, async in a database. */
export interface LexicalSearcher {
  search(query: string, k: number): LexicalHit[] | Promise<LexicalHit[]>;
  /** Whether the document in `slot` holds `word` (an in-memory index reads its postings instead of segmenting the passage again). */
  has?(slot: number, word: string): boolean;
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
  /** In corpus order: candidates and vector labels are positions in this list. */
  readonly passages: PassageList;
  readonly lexical: LexicalSearcher;
  /** The passage a lexical hit's slot names (-1: none); unset: hits are mapped by key. */
  readonly lexicalPassage?: ((slot: number) => number) | undefined;
  /** A passage's slot in the lexical index (-1: none), for `lexical.has`. */
  readonly lexicalSlot?: ((passage: number) => number) | undefined;
  /** BM25 idf of a word over this build's passages, for judging evidence. */
  idf(word: string): number;
  readonly vectors?: VectorSearcher | undefined;
  /** Warnings for the admin at start (a weaker fallback in use). */
  readonly notices?: readonly string[];
  /** Near-duplicate group of each passage, when the build has them. */
  readonly nearDuplicateGroup?: ((i: number) => number) | undefined;
}
