import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { CORPUS_EXTENSIONS } from "../corpus/load.js";
import { walkCorpus } from "../corpus/walk.js";
import { MAX_EMBED_CHARS } from "../passages.js";
import { readWhole } from "./lexical-file.js";
import { INDEX_FORMAT_VERSION } from "./manifest.js";
import { readManifest } from "./store.js";

/** Files and the passage-splitting rule decide the content; the order of files does not. */
export function corpusFingerprint(files: readonly { file: string; sha256: string }[]): string {
  const hash = createHash("sha256").update(`format ${INDEX_FORMAT_VERSION} chars ${MAX_EMBED_CHARS}\n`);
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) hash.update(`${f.file}\t${f.sha256}\n`);
  return hash.digest("hex");
}

/** What a build saw of a corpus file: its hash, and its size and modification time when it read it. */
export interface SeenFile {
  readonly sha256: string;
  readonly bytes?: number | undefined;
  readonly mtimeMs?: number | undefined;
}

/**
 * How long before the build a file must have been modified for its size and
 * modification time to vouch for its contents (git's "racily clean" rule):
 * a file rewritten with the same size within the clock's granularity of
 * being read would otherwise pass for unchanged.
 */
const RACY_MS = 2_000;

/** Whether a file's size and modification time stand for the hash a build recorded (see RACY_MS). */
export function vouches(known: SeenFile, now: { readonly size: number; readonly mtimeMs: number }, builtAtMs: number): boolean {
  return known.bytes !== undefined && known.mtimeMs !== undefined && known.mtimeMs < builtAtMs - RACY_MS && now.size === known.bytes && now.mtimeMs === known.mtimeMs;
}

/**
 * The corpus folder's fingerprint as a build would record it, from the
 * files' bytes alone (nothing parsed): cheap enough to check before
 * answering from an index that may be out of date. Each file is read in
 * one request (see `readWhole`), so the reading runs beside whatever this
 * thread does meanwhile; WebCrypto's digest would hash off this thread too,
 * but copies the bytes here first and so costs more than hashing them.
 * With what a build saw (`seen`, and when it was built), a file whose size
 * and modification time are what the build saw, and which was last
 * modified well before it, is taken at its recorded hash instead of being
 * read, as git does with its index.
 */
export async function currentCorpusFingerprint(corpusDir: string, seen?: { readonly files: ReadonlyMap<string, SeenFile>; readonly builtAt: string }): Promise<string> {
  const walked = await walkCorpus(corpusDir);
  const files = [];
  const builtAt = seen ? Date.parse(seen.builtAt) : Number.NaN;
  for (const entry of walked.files) {
    if (!(CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(entry.name).toLowerCase())) continue;
    const known = seen?.files.get(entry.name);
    if (known !== undefined && vouches(known, await stat(entry.path), builtAt)) {
      files.push({ file: entry.name, sha256: known.sha256 });
      continue;
    }
    files.push({ file: entry.name, sha256: await sha256OfFile(entry.path) });
  }
  return corpusFingerprint(files);
}

/** Files above this size are hashed as a stream on this thread rather than held whole. */
const WHOLE_FILE_LIMIT = 256 * 2 ** 20;

async function sha256OfFile(file: string): Promise<string> {
  if ((await stat(file)).size <= WHOLE_FILE_LIMIT) {
    return createHash("sha256").update(await readWhole(file)).digest("hex");
  }
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Whether the served index was built from another corpus than the folder holds now; undefined when there is no index. */
export async function corpusChangedSinceBuild(corpusDir: string, indexDir: string): Promise<{ changed: boolean; builtAt: string } | undefined> {
  const manifest = await readManifest(indexDir);
  if (manifest === undefined) return undefined;
  return { changed: (await currentCorpusFingerprint(corpusDir)) !== manifest.corpusFingerprint, builtAt: manifest.builtAt };
}
