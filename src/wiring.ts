import type { Config } from "./config.js";
import { createBatchingEmbedder } from "./embed/batching.js";
import { createTransformersEmbedder } from "./embed/transformers.js";
import { createHnswFactory } from "./index/hnsw.js";
import { createSegmenter } from "./search/segment.js";
import type { ServiceDeps } from "./service.js";

/** The one place where the real native pieces are chosen. */
export function defaultDeps(): ServiceDeps {
  return {
    // Questions arriving within a few milliseconds share one forward pass; repeated questions are cached.
    createEmbedder: async (config: Config) =>
      createBatchingEmbedder(await createTransformersEmbedder({ modelId: config.embeddingModel, modelsDir: config.modelsDir, dtype: config.embeddingDtype })),
    vectorFactory: createHnswFactory(),
    segmenter: createSegmenter(),
  };
}
