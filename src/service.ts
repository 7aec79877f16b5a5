import { createEngine, type Engine } from "./answer/engine.js";
import type { Config, RetrievalMode } from "./config.js";
import { type CorpusChanges, createCorpusChanges } from "./corpus-changes.js";
import type { Embedder } from "./embed/embedder.js";
import { type BuildLock, NO_BUILD_LOCK } from "./build-lock.js";
import { type BuildDeps, type BuildRunner, inProcessRunner, openIndexStore } from "./build-runner.js";
import { CorpusRejectedError, DatabaseError, IndexError, ModelError } from "./errors.js";
import type { BuildReport } from "./index/build.js";
import type { IndexStore } from "./index/index-store.js";
import type { Manifest } from "./index/manifest.js";
import { createEvidenceScorer } from "./search/evidence.js";
import { EMPTY_GLOSSARY, type Glossary, loadGlossary } from "./search/glossary.js";
import { createRetriever } from "./search/retrieve.js";
import type { Segmenter } from "./search/segment.js";

/** The native pieces, created in `wiring.ts`; tests pass fakes. */
export interface ServiceDeps extends BuildDeps {
  /**
   * Where `reindex` builds: a worker thread in production, so members are
   * answered meanwhile. Unset: on this thread, with the service's embedder.
   */
  readonly rebuildRunner?: (BuildRunner & { stop?(): Promise<void> }) | undefined;
  /** Held around every rebuild, so instances sharing an index never build at once; default none (one process). */
  readonly buildLock?: BuildLock | undefined;
}

/** What presenters hold: the current engine, and the means to rebuild it. */
export interface NewsService {
  readonly config: Config;
  readonly mode: RetrievalMode;
  /** Start-up notices a presenter must show, such as the fallback to lexical retrieval. */
  readonly notices: readonly string[];
  /** How questions are cut into words: presenters use it to read a follow-up in its context. */
  readonly segmenter: Segmenter;
  /** The engine serving now; after a reindex a new one, while in-flight questions finish on the old. */
  engine(): Engine;
  manifest(): Manifest;
  /** The build serving now (the index store's id for it). */
  buildId(): string;
  /**
   * Serves the newest published build when another process published it
   * (an instance sharing the database or INDEX_DIR): true when it swapped.
   * Skipped while this instance rebuilds, which serves its own build after.
   */
  refresh(): Promise<boolean>;
  /**
   * Calls `listener` after `refresh` swapped in another process's build (not
   * after this instance's own rebuilds); returns a function that stops it.
   */
  onRefresh(listener: () => void): () => void;
  /** Rebuilds from the corpus and swaps the new index in; refused while another rebuild runs. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<BuildReport>;
  isReindexing(): boolean;
  /** Uploads and rebuilds, one at a time, so the corpus and the index never drift apart. */
  readonly corpus: CorpusChanges;
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
  const request = { config, withModel: embedder !== undefined };
  // The start-up build runs where rebuilds do (the worker, in production):
  // a build that exhausts its heap then ends its thread, not the process,
  // and the previous index is served.
  const runner = deps.rebuildRunner ?? inProcessRunner(deps, embedder);
  const lock = deps.buildLock ?? NO_BUILD_LOCK;
  const rebuild: BuildRunner = (req, progress) => lock.run(() => runner(req, progress));

  const store = openIndexStore(config, deps);
  if (opts.build !== "never") {
    const existing = await store.readManifest().catch(() => undefined);
    if (opts.build === "always" || existing === undefined || needsVectors(existing, embedder, config)) {
      try {
        const report = await rebuild(request, opts.onProgress);
        opts.onBuild?.(report);
      } catch (error) {
        // A bad corpus file, a full disk, a read-only INDEX_DIR or a held
        // lock must not stop a bot that has a good index to answer from.
        if (!(error instanceof CorpusRejectedError || error instanceof IndexError || error instanceof DatabaseError) || existing === undefined) throw error;
        notices.push(`${error.message}\nServing the previous index.`);
      }
    }
  }

  const glossary = config.glossaryFile === undefined ? EMPTY_GLOSSARY : await loadGlossary(config.glossaryFile);
  let serving = await load(store, config, deps, embedder, mode, glossary);
  notices.push(...(serving.index.notices ?? []));
  let rebuilding = false;
  let refreshing: Promise<boolean> | undefined;
  const refreshListeners = new Set<() => void>();
  // A build published by another instance (or a build-index run) is loaded here too.
  const refresh = async (): Promise<boolean> => {
    const before = serving;
    const id = await store.currentBuildId();
    if (rebuilding || id === undefined || id === before.index.buildId) return false;
    const next = await load(store, config, deps, embedder, mode, glossary);
    // A rebuild of our own may have swapped meanwhile: never replace a newer engine with this one.
    if (serving !== before) return false;
    serving = next;
    for (const listener of refreshListeners) listener();
    return true;
  };
  // Checks that overlap share one read: a slow load is not started twice.
  const refreshOnce = () => (refreshing ??= refresh().finally(() => (refreshing = undefined)));
  // A failed check or load keeps serving what is loaded; the next check tries again.
  const stopWatching = store.kind === "postgres" ? store.watch(() => void refreshOnce().catch(() => {}), config.buildCheckMs) : () => {};
  const service: Omit<NewsService, "corpus"> = {
    config,
    mode,
    notices,
    segmenter: deps.segmenter,
    engine: () => serving.engine,
    manifest: () => serving.index.manifest,
    buildId: () => serving.index.buildId,
    refresh: refreshOnce,
    onRefresh(listener) {
      refreshListeners.add(listener);
      return () => void refreshListeners.delete(listener);
    },
    isReindexing: () => rebuilding,
    async reindex(onProgress) {
      if (rebuilding) throw new IndexError(config.indexDir, "a rebuild is already running");
      rebuilding = true;
      try {
        const report = await rebuild(request, onProgress);
        if (!report.unchanged || report.buildId !== serving.index.buildId) serving = await load(store, config, deps, embedder, mode, glossary);
        return report;
      } finally {
        rebuilding = false;
      }
    },
    async close() {
      stopWatching();
      await deps.rebuildRunner?.stop?.();
      await store.close();
      await embedder?.dispose();
    },
  };
  return { ...service, corpus: createCorpusChanges({ corpusDir: config.corpusDir, reindex: () => service.reindex() }) };
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

function needsVectors(manifest: Manifest, embedder: Embedder | undefined, config: Config): boolean {
  return embedder !== undefined && (manifest.embedding?.model !== embedder.modelId || manifest.embedding.dtype !== config.embeddingDtype);
}

async function load(store: IndexStore, config: Config, deps: ServiceDeps, embedder: Embedder | undefined, mode: RetrievalMode, glossary: Glossary) {
  const index = await store.load({ segmenter: deps.segmenter, embedder, vectorFactory: deps.vectorFactory });
  if (index === undefined) {
    throw new IndexError(store.where, "no index has been built yet; run npm run build-index (or npm start, which builds it)");
  }
  if (embedder) checkModel(store.where, index.manifest, embedder, config.embeddingDtype);
  const titles = new Map(index.stories.map((s) => [s.id, s.title]));
  const evidence = createEvidenceScorer(deps.segmenter, index, glossary);
  const retriever = createRetriever({
    mode,
    passages: index.passages,
    title: (storyId) => titles.get(storyId) ?? "",
    lexical: index.lexical,
    lexicalSlots: index.lexicalSlots,
    evidence,
    vectors: index.vectors,
    embedder,
    nearDuplicateGroup: index.nearDuplicateGroup,
  });
  const engine = createEngine({
    stories: index.stories,
    passages: index.passages,
    retriever,
    evidence,
    thresholds: { minCoverage: config.minCoverage, minSimilarity: config.minSimilarity },
    time: { sameTopicMargin: config.sameTopicMargin, latestMargin: config.latestMargin },
    extract: { askedBonus: config.askedBonus },
    topK: config.topK,
    now: config.now,
  });
  return { index, engine };
}

/** An index embedded by one model is meaningless to another: refuse it by name. */
export function checkModel(indexDir: string, manifest: Manifest, embedder: Embedder, dtype: string): void {
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
  // Another weights variant gives other vectors: a q8 question against fp32 passages ranks wrongly, silently.
  if (built.dtype !== dtype) {
    throw new IndexError(indexDir, `it was built with ${built.model} in dtype ${built.dtype}, but EMBEDDING_DTYPE is ${dtype}; rebuild it with npm run build-index`);
  }
}
