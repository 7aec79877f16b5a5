import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { CorpusError } from "../errors.js";
import { decodeCorpusBytes } from "./decode.js";
import { parseJsonl } from "./jsonl.js";
import { parseRawPage } from "./raw-page.js";
import type { Story } from "./story.js";

/** File endings the corpus accepts; anything else in the folder is reported and skipped. */
export const CORPUS_EXTENSIONS = [".txt", ".jsonl"] as const;

/** One corpus file's stories, and what the parser had to say about it. */
export interface ParsedFile {
  readonly file: string;
  readonly stories: Story[];
  readonly warnings: string[];
  readonly encoding: string;
  readonly sha256: string;
}

/** Everything the corpus folder holds, plus every problem found in it. */
export interface Corpus {
  readonly stories: Story[];
  readonly files: ParsedFile[];
  readonly warnings: string[];
  /** One entry per bad file; a build refuses to run while this is not empty. */
  readonly errors: CorpusError[];
}

/**
 * Parses one corpus file from its bytes. Used both for the corpus folder and
 * for a file an admin uploads, so an upload is judged by the same rules.
 */
export function parseCorpusFile(file: string, bytes: Uint8Array): ParsedFile {
  const ext = path.extname(file).toLowerCase();
  if (!(CORPUS_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new CorpusError(file, `unsupported file type "${ext || "(none)"}": corpus files are .txt pages or .jsonl exports`);
  }
  const { text, encoding } = decodeCorpusBytes(file, bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const warnings = encoding === "utf-8" ? [] : [`${file}: read as ${encoding}`];
  if (ext === ".jsonl") return { file, stories: parseJsonl(file, text, warnings), encoding, warnings, sha256 };
  const page = parseRawPage(file, text);
  return { file, stories: page.stories, warnings: [...warnings, ...page.warnings], encoding, sha256 };
}

/**
 * Reads every corpus file under `dir`. Bad files are collected rather than
 * thrown one at a time, so an admin sees every problem in one run.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
  } catch (error) {
    throw new CorpusError(dir, `cannot read the corpus folder (${(error as NodeJS.ErrnoException).code ?? String(error)}); set CORPUS_DIR`, undefined, { cause: error });
  }
  const files: ParsedFile[] = [];
  const warnings: string[] = [];
  const errors: CorpusError[] = [];
  for (const name of names) {
    if (!(CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) {
      if (!/^readme/i.test(name)) warnings.push(`${name}: skipped (not .txt or .jsonl)`);
      continue;
    }
    try {
      const parsed = parseCorpusFile(name, await readFile(path.join(dir, name)));
      files.push(parsed);
      warnings.push(...parsed.warnings);
    } catch (error) {
      if (error instanceof CorpusError) errors.push(error);
      else throw error;
    }
  }
  const stories = files.flatMap((f) => f.stories);
  errors.push(...duplicateIds(stories));
  if (files.length === 0 && errors.length === 0) {
    errors.push(new CorpusError(dir, "the corpus folder holds no .txt or .jsonl files"));
  }
  return { stories, files, warnings, errors };
}

function duplicateIds(stories: readonly Story[]): CorpusError[] {
  const first = new Map<string, Story>();
  const errors: CorpusError[] = [];
  for (const s of stories) {
    const prior = first.get(s.id);
    if (prior) errors.push(new CorpusError(s.file, `story id "${s.id}" is also used in ${prior.file} (《${prior.title}》)`));
    else first.set(s.id, s);
  }
  return errors;
}
