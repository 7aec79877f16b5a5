import type { Embedder } from "../embed/embedder.js";

/**
 * A stand-in embedder for benchmarks of the stores, where the model is not
 * what is measured: character bigrams hashed into a normalized vector of
 * bge-small's 512 dimensions. Instant, deterministic, and similar texts get
 * similar vectors, so HNSW recall is measured on data with structure. It
 * says nothing about retrieval quality.
 */
export function createHashEmbedder(dimensions = 512, modelId = "bench/bigram-hash-512"): Embedder {
  const vector = (text: string) => {
    const v = new Float32Array(dimensions);
    for (let i = 0; i + 1 < text.length; i++) {
      const h = Math.imul(Math.imul(2166136261 ^ text.charCodeAt(i), 16777619) ^ text.charCodeAt(i + 1), 16777619);
      v[(h >>> 0) % dimensions]! += 1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimensions; i++) v[i]! /= norm;
    return v;
  };
  return {
    modelId,
    dimensions,
    async embedPassages(texts, onProgress) {
      onProgress?.(texts.length, texts.length);
      return texts.map(vector);
    },
    async embedQuery(text) {
      return vector(text);
    },
    async dispose() {},
  };
}
