import os from "node:os";
import { siblingModule, startModuleWorker } from "../worker-thread.js";

export const WORD_SEP = "\u0001";
export const TEXT_SEP = "\u0000";

/** Below this many texts the threads' start-up (jieba's dictionary, each) costs more than it saves. */
export const MIN_PARALLEL_TEXTS = 4_000;
const BATCH = 1_000;

/**
 * Segments many texts on worker threads: jieba is about half of a full
 * build's CPU, and the build's own thread meanwhile does the rest (the
 * near-duplicate signatures). Every batch is posted up front, so workers keep
 * cutting while the building thread is busy. Returns each text's words, as
 * `Segmenter.words` gives them; texts holding the separators are left out
 * (the caller segments whatever is missing itself).
 */
export async function segmentInWorkers(texts: Iterable<string>, threads = os.availableParallelism()): Promise<Map<string, readonly string[]>> {
  const unique = [...new Set(texts)].filter((t) => !t.includes(WORD_SEP) && !t.includes(TEXT_SEP));
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += BATCH) batches.push(unique.slice(i, i + BATCH));
  const out = new Map<string, readonly string[]>();
  if (batches.length === 0) return out;
  const entry = siblingModule(import.meta.url, "segment-worker");
  const workers = Array.from({ length: Math.max(1, Math.min(threads, batches.length)) }, () => startModuleWorker(entry));
  try {
    await Promise.all(
      workers.map(
        (worker, w) =>
          new Promise<void>((resolve, reject) => {
            const mine = batches.map((_, id) => id).filter((id) => id % workers.length === w);
            let left = mine.length;
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (left > 0) reject(new Error(`a segmenting thread exited (code ${code}) with ${left} batches left`));
            });
            worker.on("message", ({ id, words }: { id: number; words: string }) => {
              const cut = words.split(TEXT_SEP);
              batches[id]!.forEach((t, j) => out.set(t, cut[j] === "" ? [] : cut[j]!.split(WORD_SEP)));
              if (--left === 0) resolve();
            });
            for (const id of mine) worker.postMessage({ id, texts: batches[id] });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
