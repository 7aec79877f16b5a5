import type { Embedder } from "../../src/embed/embedder.js";

/**
 * A stand-in for the model where the model is not the subject: character
 * bigrams hashed into a small normalized vector, so equal texts get equal
 * vectors and similar texts similar ones. Counts what it embeds.
 */
export function createFakeEmbedder(modelId = "fake/bigram-hash", dimensions = 32): Embedder & { embeddedTexts: string[] } {
  const embeddedTexts: string[] = [];
  const vector = (text: string) => {
    const v = new Float32Array(dimensions);
    for (let i = 0; i + 1 < text.length; i++) {
      let h = 2166136261;
      for (const ch of text.slice(i, i + 2)) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
      v[(h >>> 0) % dimensions]! += 1;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
  return {
    modelId,
    dimensions,
    embeddedTexts,
    async embedPassages(texts, onProgress) {
      embeddedTexts.push(...texts);
      onProgress?.(texts.length, texts.length);
      return texts.map(vector);
    },
    async embedQuery(text) {
      return vector(text);
    },
    async dispose() {},
  };
}

/** The fake model, failing with `message` once it has embedded `after` texts: a build killed mid-embedding. */
export function createFailingEmbedder(after: number, message = "killed"): Embedder & { embeddedTexts: string[] } {
  const failing = createFakeEmbedder();
  const embed = failing.embedPassages.bind(failing);
  failing.embedPassages = async (texts, onProgress) => {
    if (failing.embeddedTexts.length >= after) throw new Error(message);
    return embed(texts, onProgress);
  };
  return failing;
}
