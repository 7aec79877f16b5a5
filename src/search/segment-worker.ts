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
import { createWordCutter } from "./segment.js";
import { WORD_SEP, type CutBatch } from "./segment-pool.js";

const cutter = createWordCutter();
/** Each word's number, first come first numbered. */
const numbers = new Map<string, number>();
/**
 * Each of jieba's pieces met so far, with its word's number or DROPPED: a
 * piece recurs thousands of times (工会, 职工), and one look-up replaces
 * judging it (stopword, letters, case) and then numbering its word.
 */
const pieces = new Map<string, number>();
const DROPPED = -1;
let words = new Uint32Array(1 << 16);
parentPort!.on("message", (batch: { readonly id: number; readonly texts: readonly string[] }) => {
  const fresh: string[] = [];
  const ends = new Uint32Array(batch.texts.length);
  let count = 0;
  for (const [j, text] of batch.texts.entries()) {
    for (const piece of cutter.pieces(text)) {
      let n = pieces.get(piece);
      if (n === undefined) {
        const word = cutter.word(piece);
        if (word === undefined) n = DROPPED;
        else {
          n = numbers.get(word);
          if (n === undefined) {
            n = numbers.size;
            numbers.set(word, n);
            fresh.push(word);
          }
        }
        pieces.set(piece, n);
      }
      if (n === DROPPED) continue;
      if (count === words.length) {
        const grown = new Uint32Array(count * 2);
        grown.set(words);
        words = grown;
      }
      words[count++] = n;
    }
    ends[j] = count;
  }
  const ids = words.slice(0, count);
  const answer: CutBatch = { id: batch.id, fresh: fresh.join(WORD_SEP), ids, ends };
  parentPort!.postMessage(answer, [ids.buffer, ends.buffer]);
});
