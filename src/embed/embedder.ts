/**
 * What the rest of the project needs from an embedding model. Only
 * `transformers.ts` knows transformers.js; tests may pass small fakes.
 */
export interface Embedder {
  /** Hub id of the model, recorded in the index manifest so a mismatch is refused. */
  readonly modelId: string;
  /** Length of every vector returned; vectors are L2-normalized. */
  readonly dimensions: number;
  /** Embeds passages in batches; calls `onProgress` with how many are done so far. */
  embedPassages(
    texts: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array[]>;
  /** Embeds one question, with the model's query instruction when it has one. */
  embedQuery(text: string): Promise<Float32Array>;
  /** Embeds several questions in one forward pass, same vectors as `embedQuery` one by one (optional: batching falls back to it). */
  embedQueries?(texts: readonly string[]): Promise<Float32Array[]>;
  /** Releases the ONNX session. */
  dispose(): Promise<void>;
}
