import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Story } from "../corpus/story.js";
import type { Passage } from "../passages.js";
import { createDigestingFile } from "./digest-write.js";
import type { FileDigest } from "./integrity.js";
import { readWhole } from "./lexical-file.js";
import { type NewPassageTable, PASSAGE_HASH_BYTES, type PassageTable } from "./passage-format.js";

/**
 * `texts.bin`: every story paragraph once, as UTF-16LE laid end to end, then the
 * pieces of paragraphs too long to be one passage. A passage that is a whole
 * paragraph (nearly all are) points at the paragraph's text instead of
 * repeating it, so the build holds each paragraph once (the JSON form held
 * it twice, in the story and in the passage).
 *
 * Nothing here is read at start: a passage's text is read from the file when
 * it is shown or judged, with one positioned read (`pread`), so loading an
 * index costs nothing per character of news. After its first few
 * questions a serving process reads the whole file in the background (one
 * request on libuv's threads) and slices later texts from memory: a
 * question reads some fifty texts, and fifty system calls cost it ~0.15 ms.
 * A process too busy to let that read's answer in (its event loop never
 * turning between questions) reads the file on its own thread a little
 * later instead, once (~40 ms at 100k passages).
 * UTF-16LE rather than UTF-8
 * because a question reads some fifty texts: V8 turns UTF-16LE into a string
 * at copying speed (0.4 µs for 350 characters here) while decoding CJK UTF-8
 * took 7–8 µs, which put 0.4 ms on every answer; Chinese is also a third
 * smaller in it (2 bytes a character instead of 3), and any string survives
 * it unchanged.
 */
export const TEXTS_FILE = "texts.bin";
/** How texts are encoded in `texts.bin`. */
export const TEXT_ENCODING = "utf16le";

/** A serving process reads the whole file after this many positioned reads (a few questions). */
const READS_BEFORE_WHOLE = 256;
/**
 * Positioned reads after the background read began, past which the file is
 * read whole on this thread instead. The background read lands when the
 * event loop next turns; a process answering question after question
 * without yielding (a benchmark's loop, a long burst) would otherwise pay a
 * system call per text for as long as it stays busy.
 */
const READS_BEFORE_SYNC_WHOLE = 2_048;

/** Texts are written in chunks of about this many bytes. */
const CHUNK_BYTES = 1 << 20;

/** Stories and passages new to this build. */
export interface FreshRun {
  readonly stories: readonly Story[];
  readonly passages: readonly Omit<Passage, "embedText">[];
}

/** The records of a previous build, as bytes, that a rebuild copies runs of. */
export interface PreviousRecords {
  readonly table: PassageTable;
  /** The whole of its `texts.bin`. */
  readonly texts: Uint8Array;
  /** The whole of its `stories.jsonl`, and where each line starts (one more than its stories: the end). */
  readonly storyLines: Uint8Array;
  readonly storyLineStarts: Uint32Array;
}

/**
 * Stories `firstStory`.. and passages `firstPassage`.. of a previous build
 * (one corpus file that did not change), copied as bytes: nothing is
 * decoded, so a rebuild that adds one story to 100k passages copies the
 * rest rather than re-encoding it.
 */
export interface CarriedRun {
  readonly from: PreviousRecords;
  readonly firstStory: number;
  readonly stories: number;
  readonly firstPassage: number;
  readonly passages: number;
}

/** A build's records, in order: new ones and copied ones. */
export type RecordRun = FreshRun | CarriedRun;

const isCarried = (run: RecordRun): run is CarriedRun => "from" in run;

/** One fresh run holding everything (a build that copies nothing). */
export function freshRecords(stories: readonly Story[], passages: readonly Omit<Passage, "embedText">[]): RecordRun[] {
  return [{ stories, passages }];
}

/** The lines of `stories.jsonl` for `runs` (a story without its paragraphs, which live in texts.bin), as chunks to write in order. */
export function storyLineChunks(runs: readonly RecordRun[]): Uint8Array[] {
  return runs.map((run) => {
    if (isCarried(run)) return run.from.storyLines.subarray(run.from.storyLineStarts[run.firstStory]!, run.from.storyLineStarts[run.firstStory + run.stories]!);
    return Buffer.from(run.stories.map(({ paragraphs: _inTexts, ...meta }) => `${JSON.stringify(meta)}\n`).join(""));
  });
}

/**
 * Writes `texts.bin` (synced) and returns the passage table that points into
 * it (all but its lexical slots), and the file's digest. Every story's paragraphs come first, in
 * story order (a copied run's as one block), then the pieces of paragraphs
 * too long to be one passage. Fresh passages each name their story and paragraph.
 */
export async function writeTextFile(file: string, runs: readonly RecordRun[]): Promise<{ readonly table: Omit<NewPassageTable, "lexicalSlots">; readonly digest: FileDigest }> {
  const out = await createDigestingFile(file);
  const starts: number[] = [0];
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await out.write(chunk);
  };
  const appendBytes = async (bytes: Uint8Array) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
    size += bytes.length;
    starts.push(size);
    if (pendingBytes >= CHUNK_BYTES) await flush();
  };
  const append = (text: string) => appendBytes(Buffer.from(text, TEXT_ENCODING));
  try {
    const storyCount = runs.reduce((n, r) => n + (isCarried(r) ? r.stories : r.stories.length), 0);
    const n = runs.reduce((k, r) => k + (isCarried(r) ? r.passages : r.passages.length), 0);
    const storyFirst = new Uint32Array(storyCount + 1);
    const storyOf = new Map<string, number>();
    const freshStories: Story[] = [];
    /** Per run: its first story and first text in the new build. */
    const placed: { story: number; text: number }[] = [];
    let s = 0;
    for (const run of runs) {
      placed.push({ story: s, text: starts.length - 1 });
      if (isCarried(run)) {
        const { table, texts } = run.from;
        const t0 = table.storyFirst[run.firstStory]!;
        const t1 = table.storyFirst[run.firstStory + run.stories]!;
        const shift = starts.length - 1 - t0;
        for (let k = 0; k < run.stories; k++) storyFirst[s + k] = table.storyFirst[run.firstStory + k]! + shift;
        // The run's paragraphs as one block: their offsets move by where the block lands.
        const base = size - table.textStarts[t0]!;
        if (t1 > t0) {
          // Written as it is (no copy into a chunk): it may be most of the file.
          await flush();
          const block = texts.subarray(table.textStarts[t0]!, table.textStarts[t1]!);
          await out.write(block);
          size += block.length;
          for (let t = t0; t < t1; t++) starts.push(table.textStarts[t + 1]! + base);
        }
        s += run.stories;
        continue;
      }
      for (const story of run.stories) {
        storyFirst[s] = starts.length - 1;
        if (!storyOf.has(story.id)) storyOf.set(story.id, s);
        freshStories[s] = story;
        s++;
        for (const paragraph of story.paragraphs) await append(paragraph);
      }
    }
    storyFirst[storyCount] = starts.length - 1;
    const table = {
      story: new Uint32Array(n),
      paragraph: new Uint32Array(n),
      part: new Uint32Array(n),
      text: new Uint32Array(n),
      hashes: new Uint8Array(PASSAGE_HASH_BYTES * n),
    };
    const keys: string[] = new Array(n);
    let i = 0;
    for (const [r, run] of runs.entries()) {
      if (isCarried(run)) {
        const old = run.from.table;
        const oldTail = old.storyFirst[old.stories]!;
        const storyShift = placed[r]!.story - run.firstStory;
        const textShift = placed[r]!.text - old.storyFirst[run.firstStory]!;
        for (let j = run.firstPassage; j < run.firstPassage + run.passages; j++, i++) {
          table.story[i] = old.story[j]! + storyShift;
          table.paragraph[i] = old.paragraph[j]!;
          table.part[i] = old.part[j]!;
          const t = old.text[j]!;
          if (t < oldTail) table.text[i] = t + textShift;
          else {
            table.text[i] = starts.length - 1;
            await appendBytes(run.from.texts.subarray(old.textStarts[t]!, old.textStarts[t + 1]!));
          }
          table.hashes.set(old.hashes.subarray(PASSAGE_HASH_BYTES * j, PASSAGE_HASH_BYTES * (j + 1)), PASSAGE_HASH_BYTES * i);
          keys[i] = old.keys.get(j);
        }
        continue;
      }
      for (const p of run.passages) {
        const st = storyOf.get(p.storyId);
        if (st === undefined) throw new Error(`passage ${p.key} names story ${p.storyId}, which the build does not hold`);
        table.story[i] = st;
        table.paragraph[i] = p.paragraph;
        table.part[i] = p.part;
        const whole = storyFirst[st]! + p.paragraph - 1;
        if (p.paragraph >= 1 && whole < storyFirst[st + 1]! && freshStories[st]!.paragraphs[p.paragraph - 1] === p.text) {
          table.text[i] = whole;
        } else {
          table.text[i] = starts.length - 1;
          await append(p.text);
        }
        if (!/^[0-9a-f]{64}$/.test(p.hash)) throw new Error(`passage ${p.key} has no sha256 hash`);
        table.hashes.set(Buffer.from(p.hash, "hex"), PASSAGE_HASH_BYTES * i);
        keys[i] = p.key;
        i++;
      }
    }
    await flush();
    const digest = await out.close();
    return { table: { stories: storyCount, passages: n, textStarts: Float64Array.from(starts), storyFirst, keys, ...table }, digest };
  } finally {
    // Closes the file when a write failed (a second close does nothing).
    await out.close().catch(() => {});
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
export function openTextFile(file: string, starts: Float64Array, opts: { readonly background?: boolean } = {}): TextReader {
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
  /** The whole file once the background read is done: texts are then sliced from memory, with no system call. */
  let whole: Buffer | undefined;
  /** Reads left before the whole file is read in the background: a one-question process (`ask`) never pays for it. */
  let untilWhole = opts.background === true ? READS_BEFORE_WHOLE : Infinity;
  const readRange = (from: number, to: number): Buffer => {
    if (whole !== undefined) return whole.subarray(from, to);
    if (--untilWhole === 0) {
      readWhole(file).then(
        (bytes) => {
          if (whole === undefined && bytes.length === starts[count]) whole = bytes;
        },
        () => {
          // Positioned reads go on serving: they name any real trouble with the file.
        },
      );
    }
    if (untilWhole === -READS_BEFORE_SYNC_WHOLE) {
      const bytes = readAllSync(fd, starts[count]!);
      if (bytes !== undefined) return (whole = bytes).subarray(from, to);
    }
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
      if (to === from) return "";
      // From memory the string is sliced straight out of the file's bytes (no Buffer view made for it first).
      return whole !== undefined ? whole.toString(TEXT_ENCODING, from, to) : readRange(from, to).toString(TEXT_ENCODING, 0, to - from);
    },
    texts(from, to) {
      if (to <= from) return [];
      check(from);
      check(to - 1);
      const base = starts[from]!;
      const bytes = readRange(base, starts[to]!);
      const out: string[] = [];
      for (let i = from; i < to; i++) out.push(bytes.toString(TEXT_ENCODING, starts[i]! - base, starts[i + 1]! - base));
      return out;
    },
  };
  closer.register(reader, fd);
  return reader;
}

/** The first `size` bytes of an open file, read on this thread; undefined when it holds fewer (the positioned reads then name the trouble). */
function readAllSync(fd: number, size: number): Buffer | undefined {
  const bytes = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const n = readSync(fd, bytes, done, size - done, done);
    if (n === 0) return undefined;
    done += n;
  }
  return bytes;
}

/** Passage `i`'s sha256 from the table, in hex as `toPassages` gives it. */
export function hexHash(hashes: Uint8Array, i: number): string {
  return Buffer.from(hashes.buffer, hashes.byteOffset + PASSAGE_HASH_BYTES * i, PASSAGE_HASH_BYTES).toString("hex");
}
