import { randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { CORPUS_EXTENSIONS, parseCorpusFile, type ParsedFile } from "./corpus/load.js";
import { CorpusError } from "./errors.js";
import type { BuildReport } from "./index/build.js";

/** The largest news file an admin may add at once; bigger ones are split first. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** What became of an uploaded file. */
export type UploadOutcome =
  /** Saved and indexed: members are answered from it now. */
  | { readonly kind: "indexed"; readonly file: string; readonly stories: number; readonly replaced: boolean; readonly report: BuildReport }
  /** A corpus file has this name: nothing changed; `replace: true` is needed. */
  | { readonly kind: "exists"; readonly file: string }
  /** The file itself is bad (parser's message, with the line): nothing changed. */
  | { readonly kind: "invalid"; readonly file: string; readonly error: CorpusError }
  /** Saved, but the rebuild failed: the file was taken back out (or the old one put back). */
  | { readonly kind: "rolled-back"; readonly file: string; readonly error: Error; readonly restored: "removed" | "previous" };

/**
 * Every change to the corpus folder, one at a time. Two uploads arriving
 * together used to interleave (the second's rebuild refused while its file
 * was already on disk, then rolled back after the first rebuild had read
 * it), leaving corpus and index out of step. Here each change is
 * validate → save → rebuild → roll back as one step of a single queue, so
 * the index always matches the corpus once the queue is idle.
 */
export interface CorpusChanges {
  upload(name: string, bytes: Uint8Array, opts?: { readonly replace?: boolean }): Promise<UploadOutcome>;
  /** A rebuild from the corpus as it stands, queued behind any change. */
  reindex(): Promise<BuildReport>;
  /** True while a change or rebuild runs or waits. */
  busy(): boolean;
  /** Whether a corpus file has this (already sanitized) name. */
  exists(name: string): Promise<boolean>;
}

export interface CorpusChangesDeps {
  readonly corpusDir: string;
  /** The service's rebuild, which swaps the new index in when it succeeds. */
  reindex(): Promise<BuildReport>;
}

/** Parses an upload by the build's own rules; a CorpusError names the file and line. */
export function checkUpload(name: string, bytes: Uint8Array): ParsedFile {
  if (bytes.length > MAX_UPLOAD_BYTES) throw new CorpusError(name, `the file is over ${MAX_UPLOAD_BYTES} bytes`);
  return parseCorpusFile(name, bytes);
}

/** Keeps only the base name, with characters safe in any file system. */
export function uploadFileName(name: string): string {
  const base = path.basename(name.replaceAll("\\", "/")).replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^\.+/, "");
  return base === "" ? "upload.txt" : base;
}

export function isCorpusFileName(name: string): boolean {
  return (CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

export function createCorpusChanges(deps: CorpusChangesDeps): CorpusChanges {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    pending++;
    const result = tail.then(task).finally(() => pending--);
    tail = result.catch(() => undefined);
    return result;
  };
  const exists = async (name: string) => (await stat(path.join(deps.corpusDir, name)).catch(() => undefined)) !== undefined;

  return {
    busy: () => pending > 0,
    exists,
    reindex: () => enqueue(() => deps.reindex()),
    upload: (rawName, bytes, opts = {}) =>
      enqueue(async (): Promise<UploadOutcome> => {
        const file = uploadFileName(rawName);
        let parsed: ParsedFile;
        try {
          parsed = checkUpload(file, bytes);
        } catch (error) {
          if (error instanceof CorpusError) return { kind: "invalid", file, error };
          throw error;
        }
        const target = path.join(deps.corpusDir, file);
        const previous = await readFile(target).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw error;
        });
        if (previous !== undefined && !opts.replace) return { kind: "exists", file };
        await writeAtomically(target, bytes);
        try {
          const report = await deps.reindex();
          return { kind: "indexed", file, stories: parsed.stories.length, replaced: previous !== undefined, report };
        } catch (error) {
          // Whatever failed (a bad file elsewhere in the corpus, a full disk), the corpus goes back to what the index holds.
          if (previous === undefined) await rm(target, { force: true });
          else await writeAtomically(target, previous);
          return { kind: "rolled-back", file, error: error instanceof Error ? error : new Error(String(error)), restored: previous === undefined ? "removed" : "previous" };
        }
      }),
  };
}

/** A reader never sees half a file: written beside it, then renamed over it. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
