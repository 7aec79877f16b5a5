/**
 * Entry of a segmenting worker thread (see `segment-pool.ts`): cuts each
 * batch of texts it is sent with the same segmenter the index uses, and
 * answers with the words as numbers (this thread's own, first come first
 * numbered) in one typed array, moved rather than copied, plus the words it
 * numbered since its last answer. Strings cross threads once per distinct
 * word instead of once per occurrence, and the building thread splits no
 * strings.
 */
import { parentPort } from "node:worker_threads";
import { createSegmenter } from "./segment.js";
import { WORD_SEP, type CutBatch } from "./segment-pool.js";

const segmenter = createSegmenter();
const numbers = new Map<string, number>();
parentPort!.on("message", (batch: { readonly id: number; readonly texts: readonly string[] }) => {
  const fresh: string[] = [];
  const ends = new Uint32Array(batch.texts.length);
  let words: number[] = [];
  for (const [j, text] of batch.texts.entries()) {
    for (const w of segmenter.words(text)) {
      let n = numbers.get(w);
      if (n === undefined) {
        n = numbers.size;
        numbers.set(w, n);
        fresh.push(w);
      }
      words.push(n);
    }
    ends[j] = words.length;
  }
  const ids = Uint32Array.from(words);
  words = [];
  const answer: CutBatch = { id: batch.id, fresh: fresh.join(WORD_SEP), ids, ends };
  parentPort!.postMessage(answer, [ids.buffer, ends.buffer]);
});
