import { createWorkerRunner } from "./build-runner.js";
import type { Config } from "./config.js";
import { createTransformersEmbedder } from "./embed/transformers.js";
import { createHnswFactory } from "./index/hnsw.js";
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
    createEmbedder: (config: Config) =>
      createTransformersEmbedder({ modelId: config.embeddingModel, modelsDir: config.modelsDir, dtype: config.embeddingDtype }),
    vectorFactory: createHnswFactory(),
    segmenter: createSegmenter(),
    rebuildRunner: createWorkerRunner(WIRING_MODULE),
  };
}
