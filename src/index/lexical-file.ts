import { readFile } from "node:fs/promises";
import { LexicalFormatError, type LexicalIndex, loadLexicalIndex, writeLexicalIndex } from "../search/lexical.js";
import type { Segmenter } from "../search/segment.js";

/**
 * The seam between the index store and the lexical index's own persisted
 * form: the store never looks inside `lexical.bin`, it only calls these two.
 * The file is the lexical module's versioned binary form, written chunk by
 * chunk (never one large string) and synced before the build is published.
 */
export const LEXICAL_FILE = "lexical.bin";

export async function saveLexical(index: LexicalIndex, file: string): Promise<void> {
  await writeLexicalIndex(file, index);
}

/**
 * Loads the lexical index; a build from before the binary form holds
 * `lexical.json` instead, which is refused with the format error's rebuild hint.
 */
export async function loadLexical(file: string, segmenter: Segmenter): Promise<LexicalIndex> {
  const bytes = await readFile(file).catch(async (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return readFile(file.replace(/lexical\.bin$/, "lexical.json")).catch(() => {
      throw error;
    });
  });
  return loadLexicalIndex(segmenter, bytes);
}

export { LexicalFormatError };
