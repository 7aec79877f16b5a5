import { closeSync, createWriteStream, fstatSync, openSync, readSync } from "node:fs";
import { once } from "node:events";
import type { Story } from "../corpus/story.js";
import type { Passage } from "../passages.js";
import { syncFile } from "./durable.js";
import { type NewPassageTable, PASSAGE_HASH_BYTES } from "./passage-format.js";

/**
 * `texts.bin`: every story paragraph once, as UTF-16LE laid end to end, then the
 * pieces of paragraphs too long to be one passage. A passage that is a whole
 * paragraph (nearly all are) points at the paragraph's text instead of
 * repeating it, so the build holds each paragraph once (the JSON form held
 * it twice, in the story and in the passage).
 *
 * Nothing here is read at start: a passage's text is read from the file when
 * it is shown or judged, with one positioned read (`pread`), so loading an
 * index costs nothing per character of news. UTF-16LE rather than UTF-8
 * because a question reads some fifty texts: V8 turns UTF-16LE into a string
 * at copying speed (0.4 µs for 350 characters here) while decoding CJK UTF-8
 * took 7–8 µs, which put 0.4 ms on every answer; Chinese is also a third
 * smaller in it (2 bytes a character instead of 3), and any string survives
 * it unchanged.
 */
export const TEXTS_FILE = "texts.bin";
const ENCODING = "utf16le";

/** Texts are written in chunks of about this many bytes. */
const CHUNK_BYTES = 1 << 20;

/**
 * Writes `texts.bin` (synced) and returns the passage table that points into
 * it (all but its lexical slots). `passages` each name their story and paragraph.
 */
export async function writeTextFile(
  file: string,
  stories: readonly Story[],
  passages: readonly Omit<Passage, "embedText">[],
): Promise<Omit<NewPassageTable, "lexicalSlots">> {
  const out = createWriteStream(file);
  const starts: number[] = [0];
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    if (!out.write(chunk)) await once(out, "drain");
  };
  const append = async (text: string) => {
    const bytes = Buffer.from(text, ENCODING);
    pending.push(bytes);
    pendingBytes += bytes.length;
    size += bytes.length;
    starts.push(size);
    if (pendingBytes >= CHUNK_BYTES) await flush();
  };
  try {
    const storyFirst = new Uint32Array(stories.length + 1);
    const storyOf = new Map<string, number>();
    for (let s = 0; s < stories.length; s++) {
      const story = stories[s]!;
      storyFirst[s] = starts.length - 1;
      if (!storyOf.has(story.id)) storyOf.set(story.id, s);
      for (const paragraph of story.paragraphs) await append(paragraph);
    }
    storyFirst[stories.length] = starts.length - 1;
    const n = passages.length;
    const table = {
      story: new Uint32Array(n),
      paragraph: new Uint32Array(n),
      part: new Uint32Array(n),
      text: new Uint32Array(n),
      hashes: new Uint8Array(PASSAGE_HASH_BYTES * n),
    };
    for (let i = 0; i < n; i++) {
      const p = passages[i]!;
      const s = storyOf.get(p.storyId);
      if (s === undefined) throw new Error(`passage ${p.key} names story ${p.storyId}, which the build does not hold`);
      table.story[i] = s;
      table.paragraph[i] = p.paragraph;
      table.part[i] = p.part;
      const whole = storyFirst[s]! + p.paragraph - 1;
      if (p.paragraph >= 1 && whole < storyFirst[s + 1]! && stories[s]!.paragraphs[p.paragraph - 1] === p.text) {
        table.text[i] = whole;
      } else {
        table.text[i] = starts.length - 1;
        await append(p.text);
      }
      if (!/^[0-9a-f]{64}$/.test(p.hash)) throw new Error(`passage ${p.key} has no sha256 hash`);
      table.hashes.set(Buffer.from(p.hash, "hex"), PASSAGE_HASH_BYTES * i);
    }
    await flush();
    out.end();
    await once(out, "finish");
    await syncFile(file);
    return { stories: stories.length, passages: n, textStarts: Float64Array.from(starts), storyFirst, keys: passages.map((p) => p.key), ...table };
  } finally {
    out.destroy();
  }
}

/** Reads texts from `texts.bin` by number, on demand. */
export interface TextReader {
  text(i: number): string;
  /** Story paragraphs: texts `from` .. `to`, in one read. */
  texts(from: number, to: number): string[];
}

/** The file descriptor is closed when the reader is collected (a served build may be replaced while a question still reads it). */
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
});

/**
 * Opens `texts.bin` for positioned reads. The descriptor stays open, so a
 * build pruned from disk while an old engine still answers keeps its texts.
 * Its size must be the one the passage table promises.
 */
export function openTextFile(file: string, starts: Float64Array): TextReader {
  const fd = openSync(file, "r");
  const count = starts.length - 1;
  try {
    const size = fstatSync(fd).size;
    if (size !== starts[count]) throw new Error(`${TEXTS_FILE} holds ${size} bytes, the passage table expects ${starts[count]}`);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let scratch = Buffer.allocUnsafe(64 * 1024);
  const readRange = (from: number, to: number): Buffer => {
    const length = to - from;
    if (scratch.length < length) scratch = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, scratch, done, length - done, from + done);
      if (n === 0) throw new Error(`${TEXTS_FILE} ended at byte ${from + done}, expected ${to} (truncated since the build was loaded)`);
      done += n;
    }
    return scratch;
  };
  const check = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`text ${i} is not in ${TEXTS_FILE} (0..${count - 1})`);
  };
  const reader: TextReader = {
    text(i) {
      check(i);
      const from = starts[i]!;
      const to = starts[i + 1]!;
      return to === from ? "" : readRange(from, to).toString(ENCODING, 0, to - from);
    },
    texts(from, to) {
      if (to <= from) return [];
      check(from);
      check(to - 1);
      const base = starts[from]!;
      const bytes = readRange(base, starts[to]!);
      const out: string[] = [];
      for (let i = from; i < to; i++) out.push(bytes.toString(ENCODING, starts[i]! - base, starts[i + 1]! - base));
      return out;
    },
  };
  closer.register(reader, fd);
  return reader;
}

/** Passage `i`'s sha256 from the table, in hex as `toPassages` gives it. */
export function hexHash(hashes: Uint8Array, i: number): string {
  return Buffer.from(hashes.buffer, hashes.byteOffset + PASSAGE_HASH_BYTES * i, PASSAGE_HASH_BYTES).toString("hex");
}
