import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, for tests that read the committed corpus. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const seedCorpusDir = path.join(repoRoot, "corpus");
export const seedFile = "2024-summer_union-news_page-01.txt";

/** A fresh temporary folder per test, so tests never share index state. */
export function tempDir(prefix = "unb-"): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}
