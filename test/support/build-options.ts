import type { BuildOptions } from "../../src/index/build.js";
import { createHnswFactory } from "../../src/index/hnsw.js";
import { createSegmenter } from "../../src/search/segment.js";
import { createFakeEmbedder } from "./fake-embedder.js";

/** The real hnswlib and jieba wrappers the index tests build with. */
export const vectorFactory = createHnswFactory();
export const segmenter = createSegmenter();

/** Build options over these folders, with the deterministic fake embedder unless `extra` names another. */
export function buildOptions(corpusDir: string, indexDir: string, extra: Partial<BuildOptions> = {}): BuildOptions {
  return { corpusDir, indexDir, embedder: createFakeEmbedder(), vectorFactory, segmenter, ...extra };
}
