/**
 * Entry of a segmenting worker thread (see `segment-pool.ts`): cuts each
 * batch of texts it is sent with the same segmenter the index uses, and
 * answers with one string per batch (words joined by U+0001, texts by
 * U+0000), far cheaper to pass between threads than arrays of arrays.
 */
import { parentPort } from "node:worker_threads";
import { createSegmenter } from "./segment.js";
import { TEXT_SEP, WORD_SEP } from "./segment-pool.js";

const segmenter = createSegmenter();
parentPort!.on("message", (batch: { readonly id: number; readonly texts: readonly string[] }) => {
  const words = batch.texts.map((t) => segmenter.words(t).join(WORD_SEP)).join(TEXT_SEP);
  parentPort!.postMessage({ id: batch.id, words });
});
