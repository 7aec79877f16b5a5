import { createWorkerRunner } from "./build-runner.js";
import type { Config } from "./config.js";
import { createBatchingEmbedder } from "./embed/batching.js";
import { poolFromConfig } from "./db/postgres.js";
import { createFolderStore } from "./index/folder-store.js";
import { createHnswFactory } from "./index/hnsw.js";
import { createPostgresStore } from "./index/postgres-store.js";
import { createSegmenter } from "./search/segment.js";
import type { ServiceDeps } from "./service.js";

/** This module, for the rebuild worker to import. */
export const WIRING_MODULE = import.meta.url;

/**
 * The one place where the real native pieces are chosen. The rebuild worker
 * imports this same module to make its own (see `build-worker.ts`).
 */
export function defaultDeps(): ServiceDeps {
  return {
    // transformers.js (and onnxruntime) load only when a model is wanted: lexical mode starts without them.
    // Questions arriving within a few milliseconds share one forward pass; repeated questions are cached.
    createEmbedder: async (config: Config) => {
      const { createTransformersEmbedder } = await import("./embed/transformers.js");
      return createBatchingEmbedder(await createTransformersEmbedder({ modelId: config.embeddingModel, modelsDir: config.modelsDir, dtype: config.embeddingDtype }));
    },
    vectorFactory: createHnswFactory(),
    segmenter: createSegmenter(),
    // DATABASE_URL set: the index lives in PostgreSQL, shared by every instance; unset: the folder INDEX_DIR.
    createIndexStore: (config: Config) => {
      const pool = poolFromConfig(config, "union-news-bot index");
      return pool ? createPostgresStore({ pool, ownsPool: true }) : createFolderStore(config.indexDir);
    },
    rebuildRunner: createWorkerRunner(WIRING_MODULE),
  };
}
