import type { Config } from "./config.js";
import { createBatchingEmbedder } from "./embed/batching.js";
import { createHnswFactory } from "./index/hnsw.js";
import { createSegmenter } from "./search/segment.js";
import type { ServiceDeps } from "./service.js";

/** The one place where the real native pieces are chosen. */
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
  };
}
