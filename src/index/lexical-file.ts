import { readFile } from "node:fs/promises";
import { createLexicalIndex, type LexicalIndex } from "../search/lexical.js";
import type { Segmenter } from "../search/segment.js";
import { writeDurably } from "./durable.js";

/**
 * The seam between the index store and the lexical index's own persisted
 * form: the store never looks inside `lexical.*`, it only calls these two.
 * Today they wrap `toJSON()` / `createLexicalIndex(json)` (one string, the
 * one large string left in a build); a streaming format replaces exactly
 * this file. The name is returned so the store lists the file it holds.
 */
export const LEXICAL_FILE = "lexical.json";

export async function saveLexical(index: LexicalIndex, file: string): Promise<void> {
  await writeDurably(file, index.toJSON());
}

export async function loadLexical(file: string, segmenter: Segmenter): Promise<LexicalIndex> {
  return createLexicalIndex(segmenter, await readFile(file, "utf8"));
}
