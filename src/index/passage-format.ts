import { KeyTable } from "../key-table.js";

/**
 * `passages.bin`: where each passage and each story paragraph stands, as
 * typed arrays behind a fixed header, so a build loads its 100k passages as
 * a few array views instead of parsing JSON. The texts themselves are in
 * `texts.bin` (see `text-file.ts`), read only when a passage is shown or
 * judged. Little-endian.
 *
 *   0  "UNB-PSGS"                                                 8 bytes
 *   8  u32 format version, u32 stories S, u32 passages P, u32 texts R,
 *      u32 key bytes, u32 lexical slots L
 *  32  f64[R+1] byte offset of each text in texts.bin (UTF-16LE; the last: its size)
 *      u32[S+1] first text of each story's paragraphs (story s owns texts
 *               first[s] .. first[s+1]); texts from first[S] on are pieces
 *               of long paragraphs, which are not stored as whole paragraphs
 *      u32[P] story · u32[P] paragraph (1-based) · u32[P] part (1-based) · u32[P] text
 *      u32[L] passage of each slot of the lexical index (2^32−1: none), so
 *             a search hit needs no key lookup
 *      u8[32·P] sha256 of each passage's embedded text
 *      keys, UTF-8, NUL-separated (padded to 4)
 *
 * A file of another version is refused with the way out, never half-read.
 */
export const PASSAGE_FORMAT_VERSION = 1;
/** In `lexicalSlots`: the lexical index holds a document that is no passage. */
export const NO_PASSAGE = 0xffffffff;
const MAGIC = "UNB-PSGS";
const HEADER_BYTES = 32;
const HASH_BYTES = 32;

/** The decoded table; arrays are views into the file's bytes. */
export interface PassageTable {
  readonly stories: number;
  readonly passages: number;
  /** R+1 byte offsets into texts.bin. */
  readonly textStarts: Float64Array;
  /** S+1 text numbers: story s's paragraphs are texts storyFirst[s] .. storyFirst[s+1]. */
  readonly storyFirst: Uint32Array;
  readonly story: Uint32Array;
  readonly paragraph: Uint32Array;
  readonly part: Uint32Array;
  readonly text: Uint32Array;
  /** Passage of each lexical slot, or NO_PASSAGE. */
  readonly lexicalSlots: Uint32Array;
  /** 32 bytes per passage. */
  readonly hashes: Uint8Array;
  readonly keys: KeyTable;
}

/** What is written: the same, with the keys as strings. */
export type NewPassageTable = Omit<PassageTable, "keys"> & { readonly keys: readonly string[] };

/** The file is not a passage table this program can read; the message says how to get one. */
export class PassageFormatError extends Error {
  constructor(reason: string) {
    super(`passages.bin: ${reason}; rebuild the index with npm run build-index`);
    this.name = "PassageFormatError";
  }
}

const pad4 = (n: number) => (n + 3) & ~3;
const bytesOf = (a: Float64Array | Uint32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The file as chunks, to be written in order. */
export function encodePassageTable(t: NewPassageTable): Uint8Array[] {
  const keyBytes = new TextEncoder().encode(t.keys.join("\u0000"));
  const header = new Uint8Array(HEADER_BYTES);
  header.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(header.buffer);
  [PASSAGE_FORMAT_VERSION, t.stories, t.passages, t.textStarts.length - 1, keyBytes.length, t.lexicalSlots.length].forEach((v, i) => view.setUint32(8 + 4 * i, v, true));
  return [
    header,
    bytesOf(t.textStarts),
    bytesOf(t.storyFirst),
    bytesOf(t.story),
    bytesOf(t.paragraph),
    bytesOf(t.part),
    bytesOf(t.text),
    bytesOf(t.lexicalSlots),
    t.hashes,
    keyBytes,
    new Uint8Array(pad4(keyBytes.length) - keyBytes.length),
  ];
}

/** Reads the table; the arrays are views into `input` (copied once if it is not 8-byte aligned). */
export function decodePassageTable(input: Uint8Array): PassageTable {
  if (input.length < HEADER_BYTES || new TextDecoder().decode(input.subarray(0, 8)) !== MAGIC) {
    throw new PassageFormatError("the file is not a passage table (bad header)");
  }
  const bytes = input.byteOffset % 8 === 0 ? input : new Uint8Array(input);
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const u32 = (i: number) => header.getUint32(8 + 4 * i, true);
  const version = u32(0);
  if (version !== PASSAGE_FORMAT_VERSION) {
    throw new PassageFormatError(`the file is format version ${version}, this program reads version ${PASSAGE_FORMAT_VERSION}`);
  }
  const [stories, passages, texts, keyBytes, slots] = [u32(1), u32(2), u32(3), u32(4), u32(5)];
  const expected = HEADER_BYTES + 8 * (texts + 1) + 4 * (stories + 1) + 16 * passages + 4 * slots + HASH_BYTES * passages + pad4(keyBytes);
  if (bytes.length !== expected) throw new PassageFormatError(`the file holds ${bytes.length} bytes, its header promises ${expected} (truncated or corrupt)`);
  let at = bytes.byteOffset + HEADER_BYTES;
  const textStarts = new Float64Array(bytes.buffer, at, texts + 1);
  at += 8 * (texts + 1);
  const take32 = (n: number) => {
    const a = new Uint32Array(bytes.buffer, at, n);
    at += 4 * n;
    return a;
  };
  const storyFirst = take32(stories + 1);
  const [story, paragraph, part, text] = [take32(passages), take32(passages), take32(passages), take32(passages)];
  const lexicalSlots = take32(slots);
  const hashes = new Uint8Array(bytes.buffer, at, HASH_BYTES * passages);
  at += HASH_BYTES * passages;
  const keys = KeyTable.of(new Uint8Array(bytes.buffer, at, keyBytes), passages);
  if (keys === undefined) throw new PassageFormatError("the file's keys disagree with its header (corrupt)");
  for (let i = 0; i < texts; i++) if (!(textStarts[i]! <= textStarts[i + 1]!)) throw new PassageFormatError("the file's text offsets are out of order (corrupt)");
  for (let s = 0; s < stories; s++) if (storyFirst[s]! > storyFirst[s + 1]!) throw new PassageFormatError("the file's story paragraphs are out of order (corrupt)");
  if (storyFirst[stories]! > texts) throw new PassageFormatError("the file's story paragraphs point past its texts (corrupt)");
  for (let p = 0; p < passages; p++) {
    if (story[p]! >= stories || text[p]! >= texts) throw new PassageFormatError(`passage ${p} points past the stories or texts (corrupt)`);
  }
  for (let l = 0; l < slots; l++) {
    if (lexicalSlots[l]! >= passages && lexicalSlots[l] !== NO_PASSAGE) throw new PassageFormatError(`lexical slot ${l} points past the passages (corrupt)`);
  }
  return { stories, passages, textStarts, storyFirst, story, paragraph, part, text, lexicalSlots, hashes, keys };
}

export const PASSAGE_HASH_BYTES = HASH_BYTES;
