import { open, readFile } from "node:fs/promises";
import { LexicalFormatError, type LexicalIndex, loadLexicalIndex } from "../search/lexical.js";
import type { Segmenter } from "../search/segment.js";
import { writeDigested } from "./digest-write.js";
import type { FileDigest } from "./integrity.js";

/**
 * The seam between the index store and the lexical index's own persisted
 * form: the store never looks inside `lexical.bin`, it only calls these two.
 * The file is the lexical module's versioned binary form, written chunk by
 * chunk (never one large string) and synced before the build is published.
 */
export const LEXICAL_FILE = "lexical.bin";

/** Writes the index (synced); the file's digest, kept as it was written. */
export async function saveLexical(index: LexicalIndex, file: string): Promise<FileDigest> {
  return writeDigested(file, index.toChunks());
}

/**
 * Loads the lexical index; a build from before the binary form holds
 * `lexical.json` instead, which is refused with the format error's rebuild hint.
 * The file is read in one request on libuv's threads while this thread
 * builds the segmenter's dictionary, the other slow step of a cold start.
 */
export async function loadLexical(file: string, segmenter: Segmenter): Promise<LexicalIndex> {
  const reading = readWhole(file).catch(async (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return readFile(file.replace(/lexical\.bin$/, "lexical.json")).catch(() => {
      throw error;
    });
  });
  segmenter.warm?.();
  return loadLexicalIndex(segmenter, await reading);
}

/**
 * A whole file in as few requests as the kernel allows: `readFile` reads in
 * 512 KB chunks, each resumed on this thread, so a long read would stall
 * behind any synchronous work instead of running beside it.
 */
export async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(bytes, done, size - done, done);
      if (bytesRead === 0) throw new Error(`${file} ended at byte ${done} of ${size}`);
      done += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

export { LexicalFormatError };
