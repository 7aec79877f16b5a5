import os from "node:os";
import { siblingModule, startModuleWorker } from "../worker-thread.js";

export const WORD_SEP = "\u0001";

/** Below this many texts the threads' start-up (jieba's dictionary, each) costs more than it saves. */
export const MIN_PARALLEL_TEXTS = 4_000;
const BATCH = 1_000;

/** A worker's answer for one batch: its words as that worker's numbers, each text's end among them, and the words it numbered since its last answer (joined by WORD_SEP, in number order). */
export interface CutBatch {
  readonly id: number;
  readonly fresh: string;
  readonly ids: Uint32Array;
  readonly ends: Uint32Array;
}

/**
 * Texts cut on other threads: each text's words as positions in one
 * vocabulary, so the index numbers each distinct word once rather than
 * looking up every occurrence.
 */
export interface SegmentedTexts {
  readonly vocabulary: readonly string[];
  /** The text's words (positions in `vocabulary`), in order, as `Segmenter.words` gives them; undefined for a text not cut here. */
  words(text: string): Uint32Array | undefined;
}

/**
 * Segments many texts on worker threads: jieba is about half of a full
 * build's CPU, and the build's own thread meanwhile does the rest (the
 * near-duplicate signatures). Every batch is posted up front, so workers keep
 * cutting while the building thread is busy. Texts holding the word
 * separator are left out (the caller segments whatever is missing itself).
 */
export async function segmentInWorkers(texts: Iterable<string>, threads = os.availableParallelism()): Promise<SegmentedTexts> {
  const unique = [...new Set(texts)].filter((t) => !t.includes(WORD_SEP));
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += BATCH) batches.push(unique.slice(i, i + BATCH));
  const vocabulary: string[] = [];
  const numberOf = new Map<string, number>();
  const byText = new Map<string, Uint32Array>();
  const result: SegmentedTexts = { vocabulary, words: (text) => byText.get(text) };
  if (batches.length === 0) return result;
  const entry = siblingModule(import.meta.url, "segment-worker");
  const workers = Array.from({ length: Math.max(1, Math.min(threads, batches.length)) }, () => startModuleWorker(entry));
  try {
    await Promise.all(
      workers.map(
        (worker, w) =>
          new Promise<void>((resolve, reject) => {
            const mine = batches.map((_, id) => id).filter((id) => id % workers.length === w);
            let left = mine.length;
            /** This worker's word numbers → the vocabulary's (a worker answers its batches in order, so its new words arrive before their uses). */
            let toShared = new Uint32Array(1024);
            let known = 0;
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (left > 0) reject(new Error(`a segmenting thread exited (code ${code}) with ${left} batches left`));
            });
            worker.on("message", ({ id, fresh, ids, ends }: CutBatch) => {
              if (fresh !== "") {
                for (const word of fresh.split(WORD_SEP)) {
                  let n = numberOf.get(word);
                  if (n === undefined) {
                    n = vocabulary.length;
                    vocabulary.push(word);
                    numberOf.set(word, n);
                  }
                  if (known === toShared.length) {
                    const grown = new Uint32Array(known * 2);
                    grown.set(toShared);
                    toShared = grown;
                  }
                  toShared[known++] = n;
                }
              }
              for (let i = 0; i < ids.length; i++) ids[i] = toShared[ids[i]!]!;
              let start = 0;
              batches[id]!.forEach((t, j) => {
                byText.set(t, ids.subarray(start, ends[j]!));
                start = ends[j]!;
              });
              if (--left === 0) resolve();
            });
            for (const id of mine) worker.postMessage({ id, texts: batches[id] });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return result;
}
