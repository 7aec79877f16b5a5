/**
 * The deps module a test's build worker imports (production's is
 * `src/wiring.ts`): the fake embedder, slowed by UNB_TEST_EMBED_DELAY_MS per
 * call so a test can stop a build mid-embedding; the real HNSW and jieba.
 */
import type { BuildDeps } from "../../src/build-runner.js";
import { createHnswFactory } from "../../src/index/hnsw.js";
import { createSegmenter } from "../../src/search/segment.js";
import { createFakeEmbedder } from "./fake-embedder.js";

export function defaultDeps(): BuildDeps {
  const delay = Number(process.env["UNB_TEST_EMBED_DELAY_MS"] ?? 0);
  return {
    async createEmbedder() {
      const embedder = createFakeEmbedder();
      const embed = embedder.embedPassages.bind(embedder);
      embedder.embedPassages = async (texts, onProgress) => {
        await new Promise((r) => setTimeout(r, delay));
        return embed(texts, onProgress);
      };
      return embedder;
    },
    vectorFactory: createHnswFactory(),
    segmenter: createSegmenter(),
  };
}

export const WORKER_DEPS = import.meta.url;
