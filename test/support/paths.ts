import { copyFile, mkdtemp } from "node:fs/promises";
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

/** A fresh corpus folder holding the seed page, and a fresh index folder: where build tests start. */
export async function seededDirs(): Promise<{ corpusDir: string; indexDir: string }> {
  const corpusDir = await tempDir("unb-corpus-");
  const indexDir = await tempDir("unb-index-");
  await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
  return { corpusDir, indexDir };
}
