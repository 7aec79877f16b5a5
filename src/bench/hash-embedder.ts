import type { Embedder } from "../embed/embedder.js";

/**
 * Not a model: character bigrams hashed into a normalized vector of the
 * real model's width (bge-small-zh: 512). It stands in where only the cost
 * of everything around the forward pass is measured (the dense rebuild
 * figures of `npm run bench`); equal texts get equal vectors, similar texts
 * similar ones, and nothing here says anything about retrieval quality.
 */
export function createHashEmbedder(dimensions = 512): Embedder {
  const vector = (text: string) => {
    const v = new Float32Array(dimensions);
    for (let i = 0; i + 1 < text.length; i++) {
      const h = Math.imul(Math.imul(text.charCodeAt(i), 0x9e3779b1) ^ text.charCodeAt(i + 1), 0x85ebca6b) >>> 0;
      v[h % dimensions]! += 1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimensions; i++) v[i]! /= norm;
    return v;
  };
  return {
    modelId: `bench/bigram-hash-${dimensions}`,
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
