import { KeyTable } from "../key-table.js";
import type { Bm25Arrays } from "./bm25.js";

/**
 * The lexical index on disk: one binary file, typed arrays laid end to end
 * behind a fixed header, so loading is one read and a few array views (no
 * JSON object graph, no string as large as the index). Little-endian.
 *
 *   0  "UNB-BM25"                                    8 bytes
 *   8  u32 format version, u32 documents D, u32 terms T, u32 fields F,
 *      u32 key bytes, u32 term bytes
 *  32  u32[F] postings per field (P_f)
 *      u32[T] document frequency over all fields
 *      per field: u32[D] lengths · u32[T+1] offsets · u32[P_f] docs · u16[P_f] tfs (padded to 4)
 *      keys, UTF-8, NUL-separated (padded to 4) · terms, UTF-8, NUL-separated (padded to 4)
 *
 * Version 1 was MiniSearch's JSON (`lexical.json`); a file of another version
 * is refused with the way out, never half-read.
 */
export const LEXICAL_FORMAT_VERSION = 2;
const MAGIC = "UNB-BM25";
const HEADER_BYTES = 32;

/** What the file holds: document keys by slot, term strings by id, and per-field BM25 arrays. */
export interface LexicalSnapshot {
  readonly keys: readonly string[] | KeyTable;
  readonly terms: readonly string[];
  /** Documents holding each term in any field (the idf evidence scoring uses). */
  readonly df: Uint32Array;
  readonly fields: readonly Bm25Arrays[];
}

/** The file is not a lexical index this program can read; the message says how to get one. */
export class LexicalFormatError extends Error {
  constructor(reason: string) {
    super(`lexical index: ${reason}; rebuild it with npm run build-index`);
    this.name = "LexicalFormatError";
  }
}

const pad4 = (n: number) => (n + 3) & ~3;
const SEP = "\u0000";
const bytesOf = (a: Uint32Array | Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const padding = (n: number) => new Uint8Array(pad4(n) - n);

/** The file as a list of chunks, to be written in order (to a stream, or joined with `Buffer.concat`). */
export function encodeLexical(snapshot: LexicalSnapshot): Uint8Array[] {
  const { terms, df, fields } = snapshot;
  const keys = snapshot.keys instanceof KeyTable ? snapshot.keys.all() : snapshot.keys;
  const keyBytes = new TextEncoder().encode(keys.join(SEP));
  const termBytes = new TextEncoder().encode(terms.join(SEP));
  const header = new Uint8Array(HEADER_BYTES + 4 * fields.length);
  header.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(header.buffer);
  const numbers = [LEXICAL_FORMAT_VERSION, keys.length, terms.length, fields.length, keyBytes.length, termBytes.length, ...fields.map((f) => f.docs.length)];
  numbers.forEach((v, i) => view.setUint32(8 + 4 * i, v, true));
  const chunks: Uint8Array[] = [header, bytesOf(df.subarray(0, terms.length))];
  if (df.length < terms.length) chunks.push(new Uint8Array(4 * (terms.length - df.length)));
  for (const f of fields) {
    // A field that never saw the last terms has a shorter offsets array: its postings for them are empty.
    const offsets = new Uint32Array(terms.length + 1);
    offsets.set(f.offsets.subarray(0, terms.length + 1));
    offsets.fill(f.offsets[f.offsets.length - 1] ?? 0, f.offsets.length);
    chunks.push(bytesOf(f.lengths), bytesOf(offsets), bytesOf(f.docs), bytesOf(f.tfs), padding(f.tfs.byteLength));
  }
  chunks.push(keyBytes, padding(keyBytes.length), termBytes, padding(termBytes.length));
  return chunks;
}

/**
 * Reads a lexical index file. The arrays are views into `bytes` (copied
 * once if it is not 4-byte aligned), so loading costs little beyond the read.
 */
export function decodeLexical(input: Uint8Array): LexicalSnapshot & { readonly keys: KeyTable } {
  if (input.length > 0 && input[0] === 0x7b) {
    throw new LexicalFormatError(`the file is format version 1 (MiniSearch JSON), this program reads version ${LEXICAL_FORMAT_VERSION}`);
  }
  if (input.length < HEADER_BYTES || new TextDecoder().decode(input.subarray(0, 8)) !== MAGIC) {
    throw new LexicalFormatError("the file is not a lexical index (bad header)");
  }
  // `new Uint8Array(x)` copies (a Buffer's `slice` would not).
  const bytes = input.byteOffset % 4 === 0 ? input : new Uint8Array(input);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (i: number) => header.getUint32(8 + 4 * i, true);
  const version = u32(0);
  if (version !== LEXICAL_FORMAT_VERSION) {
    throw new LexicalFormatError(`the file is format version ${version}, this program reads version ${LEXICAL_FORMAT_VERSION}`);
  }
  const [docCount, termCount, fieldCount, keyBytes, termBytes] = [u32(1), u32(2), u32(3), u32(4), u32(5)];
  if (fieldCount > 8 || bytes.length < HEADER_BYTES + 4 * fieldCount) throw new LexicalFormatError("the file's header is corrupt");
  const postings = Array.from({ length: fieldCount }, (_, f) => u32(6 + f));
  const expected =
    HEADER_BYTES + 4 * fieldCount + 4 * termCount +
    postings.reduce((sum, p) => sum + 4 * docCount + 4 * (termCount + 1) + 4 * p + pad4(2 * p), 0) +
    pad4(keyBytes) + pad4(termBytes);
  if (bytes.length !== expected) throw new LexicalFormatError(`the file holds ${bytes.length} bytes, its header promises ${expected} (truncated or corrupt)`);
  let at = bytes.byteOffset + HEADER_BYTES + 4 * fieldCount;
  const take32 = (n: number) => {
    const a = new Uint32Array(bytes.buffer, at, n);
    at += 4 * n;
    return a;
  };
  const df = take32(termCount);
  const fields = postings.map((p) => {
    const lengths = take32(docCount);
    const offsets = take32(termCount + 1);
    const docs = take32(p);
    const tfs = new Uint16Array(bytes.buffer, at, p);
    at += pad4(2 * p);
    if (offsets[termCount] !== p) throw new LexicalFormatError("the file's postings disagree with its header (corrupt)");
    for (let t = 0; t < termCount; t++) if (offsets[t]! > offsets[t + 1]!) throw new LexicalFormatError("the file's postings offsets are out of order (corrupt)");
    return { lengths, offsets, docs, tfs };
  });
  const keys = KeyTable.of(new Uint8Array(bytes.buffer, at, keyBytes), docCount);
  at += pad4(keyBytes);
  const termsText = new TextDecoder().decode(new Uint8Array(bytes.buffer, at, termBytes));
  const terms = termCount === 0 ? [] : termsText.split(SEP);
  if (keys === undefined || terms.length !== termCount) throw new LexicalFormatError("the file's keys or terms disagree with its header (corrupt)");
  return { keys, terms, df, fields };
}
