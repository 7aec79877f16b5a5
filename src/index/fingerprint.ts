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

/**
 * The corpus folder's fingerprint as a build would record it, from the
 * files' bytes alone (nothing parsed): cheap enough to check before
 * answering from an index that may be out of date. Each file is read in
 * one request (see `readWhole`), so the reading runs beside whatever this
 * thread does meanwhile; WebCrypto's digest would hash off this thread too,
 * but copies the bytes here first and so costs more than hashing them.
 */
export async function currentCorpusFingerprint(corpusDir: string): Promise<string> {
  const walked = await walkCorpus(corpusDir);
  const files = [];
  for (const entry of walked.files) {
    if (!(CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(entry.name).toLowerCase())) continue;
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
