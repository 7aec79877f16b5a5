import { createEngine, type Engine } from "./answer/engine.js";
import type { Config, RetrievalMode } from "./config.js";
import type { Embedder } from "./embed/embedder.js";
import { CorpusRejectedError, IndexError, ModelError } from "./errors.js";
import { buildIndex, type BuildReport } from "./index/build.js";
import type { Manifest } from "./index/manifest.js";
import { readIndex, type StoredIndex } from "./index/store.js";
import type { VectorIndexFactory } from "./index/vector-index.js";
import { createEvidenceScorer } from "./search/evidence.js";
import { type LexicalIndex, loadLexicalIndex } from "./search/lexical.js";
import { decodeNearDuplicates } from "./search/near-duplicates.js";
import { createRetriever } from "./search/retrieve.js";
import type { Segmenter } from "./search/segment.js";

/** The native pieces, created in `wiring.ts`; tests pass fakes. */
export interface ServiceDeps {
  createEmbedder(config: Config): Promise<Embedder>;
  readonly vectorFactory: VectorIndexFactory;
  readonly segmenter: Segmenter;
}

/** What presenters hold: the current engine, and the means to rebuild it. */
export interface NewsService {
  readonly config: Config;
  readonly mode: RetrievalMode;
  /** Start-up notices a presenter must show, such as the fallback to lexical retrieval. */
  readonly notices: readonly string[];
  /** The engine serving now; after a reindex a new one, while in-flight questions finish on the old. */
  engine(): Engine;
  manifest(): Manifest;
  /** Rebuilds from the corpus and swaps the new index in; refused while another rebuild runs. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<BuildReport>;
  isReindexing(): boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `always`: incremental build first (cheap when nothing changed); `if-missing`; `never`. */
  readonly build: "always" | "if-missing" | "never";
  readonly onProgress?: (done: number, total: number) => void;
  readonly onBuild?: (report: BuildReport) => void;
}

export const LEXICAL_FALLBACK_NOTICE =
  "⚠ WARNING: the embedding model could not be loaded, so retrieval falls back to LEXICAL (BM25) only. Answers to questions worded differently from the news will be weaker.";

/**
 * Opens the news service: decides the retrieval mode, brings the index up to
 * date with the corpus, and loads it. Unset RETRIEVAL means hybrid when the
 * model loads and lexical with a loud warning when it cannot (an offline
 * install still answers); an explicit hybrid or dense fails instead.
 */
export async function openNewsService(config: Config, deps: ServiceDeps, opts: OpenOptions): Promise<NewsService> {
  const notices: string[] = [];
  const { embedder, mode } = await chooseMode(config, deps, notices);
  const build = (onProgress?: (done: number, total: number) => void) =>
    buildIndex({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      embedder,
      dtype: config.embeddingDtype,
      vectorFactory: deps.vectorFactory,
      segmenter: deps.segmenter,
      ...(onProgress ? { onProgress } : {}),
    });

  // Lexical mode serves the index it read to decide whether to build, when no build runs (reading it twice doubled cold start).
  let unbuilt: StoredIndex | undefined;
  if (opts.build !== "never") {
    const existing = await readIndex(config.indexDir).catch(() => undefined);
    // Read without the HNSW graph: reusable as is only when no model is in play.
    unbuilt = embedder ? undefined : existing;
    if (opts.build === "always" || existing === undefined || needsVectors(existing, embedder)) {
      unbuilt = undefined;
      try {
        const report = await build(opts.onProgress);
        opts.onBuild?.(report);
      } catch (error) {
        if (!(error instanceof CorpusRejectedError) || existing === undefined) throw error;
        notices.push(`${error.message}\nServing the previous index.`);
      }
    }
  }

  let serving = await load(config, deps, embedder, mode, unbuilt);
  let rebuilding = false;
  return {
    config,
    mode,
    notices,
    engine: () => serving.engine,
    manifest: () => serving.index.manifest,
    isReindexing: () => rebuilding,
    async reindex(onProgress) {
      if (rebuilding) throw new IndexError(config.indexDir, "a rebuild is already running");
      rebuilding = true;
      try {
        const report = await build(onProgress);
        if (!report.unchanged) serving = await load(config, deps, embedder, mode);
        return report;
      } finally {
        rebuilding = false;
      }
    },
    async close() {
      await embedder?.dispose();
    },
  };
}

async function chooseMode(config: Config, deps: ServiceDeps, notices: string[]): Promise<{ embedder: Embedder | undefined; mode: RetrievalMode }> {
  if (config.retrieval === "lexical") return { embedder: undefined, mode: "lexical" };
  try {
    return { embedder: await deps.createEmbedder(config), mode: config.retrieval ?? "hybrid" };
  } catch (error) {
    if (config.retrieval !== undefined || !(error instanceof ModelError)) throw error;
    notices.push(`${LEXICAL_FALLBACK_NOTICE}\n  Reason: ${error.message}\n  Set MODELS_DIR to a folder holding ${config.embeddingModel}, or RETRIEVAL=lexical to silence this warning.`);
    return { embedder: undefined, mode: "lexical" };
  }
}

function needsVectors(index: StoredIndex, embedder: Embedder | undefined): boolean {
  return embedder !== undefined && index.manifest.embedding?.model !== embedder.modelId;
}

async function load(config: Config, deps: ServiceDeps, embedder: Embedder | undefined, mode: RetrievalMode, alreadyRead?: StoredIndex) {
  const index = alreadyRead ?? (await readIndex(config.indexDir, embedder ? { vectorFactory: deps.vectorFactory } : {}));
  if (index === undefined) {
    throw new IndexError(config.indexDir, "no index has been built yet; run npm run build-index (or npm start, which builds it)");
  }
  if (embedder) checkModel(config.indexDir, index.manifest, embedder);
  const { lexical, groups } = loadTextIndexes(config.indexDir, deps.segmenter, index);
  const titles = new Map(index.stories.map((s) => [s.id, s.title]));
  const evidence = createEvidenceScorer(deps.segmenter, lexical);
  const retriever = createRetriever({
    mode,
    passages: index.passages.map((p) => ({ key: p.key, title: titles.get(p.storyId) ?? "", text: p.text })),
    lexical,
    evidence,
    vectors: index.vectorIndex,
    embedder,
    ...(groups ? { nearDuplicateGroup: (i: number) => groups[i]! } : {}),
  });
  const engine = createEngine({
    stories: index.stories,
    passages: index.passages,
    retriever,
    evidence,
    thresholds: { minCoverage: config.minCoverage, minSimilarity: config.minSimilarity },
    topK: config.topK,
  });
  return { index, engine };
}

/** The lexical index and near-duplicate groups of a build; another format version is refused with the rebuild hint. */
function loadTextIndexes(indexDir: string, segmenter: Segmenter, index: StoredIndex): { lexical: LexicalIndex; groups: Int32Array | undefined } {
  try {
    const lexical = loadLexicalIndex(segmenter, index.lexicalBytes);
    const groups = index.nearDuplicateBytes ? decodeNearDuplicates(index.nearDuplicateBytes, index.passages.length).groups : undefined;
    return { lexical, groups };
  } catch (error) {
    throw new IndexError(indexDir, (error as Error).message, { cause: error });
  }
}

/** An index embedded by one model is meaningless to another: refuse it by name. */
export function checkModel(indexDir: string, manifest: Manifest, embedder: Embedder): void {
  const built = manifest.embedding;
  if (built === null) {
    throw new IndexError(indexDir, `it was built without a model (lexical only), but ${embedder.modelId} is loaded; rebuild it with npm run build-index`);
  }
  if (built.model !== embedder.modelId || built.dimensions !== embedder.dimensions) {
    throw new IndexError(
      indexDir,
      `it was built with ${built.model} (${built.dimensions} dimensions), but EMBEDDING_MODEL is ${embedder.modelId} (${embedder.dimensions} dimensions); rebuild it with npm run build-index`,
    );
  }
}
