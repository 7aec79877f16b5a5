import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CorpusError } from "../errors.js";
import { decodeCorpusBytes } from "./decode.js";
import { parseJsonlLines } from "./jsonl.js";
import { walkCorpus } from "./walk.js";
import { parseRawPage } from "./raw-page.js";
import type { Story } from "./story.js";

/** File endings the corpus accepts; anything else in the folder is reported and skipped. */
export const CORPUS_EXTENSIONS = [".txt", ".jsonl"] as const;

/** Default for CORPUS_MAX_FILE_MB: a larger file is refused by name rather than risking the build's memory. */
export const DEFAULT_MAX_FILE_MB = 50;

export interface LoadOptions {
  /** A corpus file larger than this is refused (CORPUS_MAX_FILE_MB). */
  readonly maxFileBytes?: number;
  /**
   * Whether the caller already holds this file's stories (an index build
   * that recorded them under the file's hash): such a file is read and
   * hashed but not parsed, and comes back with `reused` set and no stories.
   */
  readonly known?: (file: string, sha256: string) => boolean;
  /** The hash the caller recorded for a file, when its size and modification time vouch for it: the file is then not even read. */
  readonly hashBySize?: (file: string, seen: { readonly size: number; readonly mtimeMs: number }) => string | undefined;
}

/** One corpus file's stories, and what the parser had to say about it. */
export interface ParsedFile {
  readonly file: string;
  readonly stories: Story[];
  readonly warnings: string[];
  readonly encoding: string;
  readonly sha256: string;
  /** The 1-based line each story starts on (its JSONL line, or its first heading), parallel to `stories`. */
  readonly lines: readonly number[];
  /** Not parsed: `LoadOptions.known` said the caller holds its stories. */
  readonly reused?: true;
  /** Size and modification time when it was read (folder scans only), so a later check can tell an untouched file without hashing it. */
  readonly stat?: { readonly bytes: number; readonly mtimeMs: number };
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
  if (ext === ".jsonl") {
    const parsed = parseJsonlLines(file, text, warnings);
    return { file, stories: parsed.map((p) => p.story), lines: parsed.map((p) => p.line), warnings, encoding, sha256 };
  }
  const page = parseRawPage(file, text);
  return { file, stories: page.stories, lines: page.lines, warnings: [...warnings, ...page.warnings], encoding, sha256 };
}

/**
 * Reads every corpus file under `dir`, following symlinks. Bad files (and
 * unreadable ones, oversized ones, names that are not UTF-8) are collected
 * rather than thrown one at a time, so an admin sees every problem in one run.
 */
export async function loadCorpus(dir: string, opts: LoadOptions = {}): Promise<Corpus> {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_MB * 2 ** 20;
  const walked = await walkCorpus(dir);
  const files: ParsedFile[] = [];
  const warnings: string[] = [...walked.warnings];
  const errors: CorpusError[] = [...walked.errors];
  for (const entry of walked.files) {
    const name = entry.name;
    if (!(CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) {
      if (!/^readme/i.test(path.basename(name))) warnings.push(`${name}: skipped (not .txt or .jsonl)`);
      continue;
    }
    try {
      const info = await stat(entry.path);
      const size = info.size;
      const seen = { bytes: size, mtimeMs: info.mtimeMs };
      const vouched = opts.hashBySize?.(name, info);
      if (vouched !== undefined && opts.known?.(name, vouched)) {
        files.push({ file: name, stories: [], warnings: [], encoding: "", sha256: vouched, lines: [], reused: true, stat: seen });
        continue;
      }
      if (size > maxBytes) {
        throw new CorpusError(name, `the file is ${mb(size)} MB (${size} bytes), over the ${mb(maxBytes)} MB limit (CORPUS_MAX_FILE_MB); split it into smaller files or raise the limit`);
      }
      const bytes = await readFile(entry.path);
      const sha256 = opts.known ? createHash("sha256").update(bytes).digest("hex") : "";
      if (opts.known?.(name, sha256)) {
        files.push({ file: name, stories: [], warnings: [], encoding: "", sha256, lines: [], reused: true, stat: seen });
        continue;
      }
      const parsed = { ...parseCorpusFile(name, bytes), stat: seen };
      files.push(parsed);
      warnings.push(...parsed.warnings);
    } catch (error) {
      if (error instanceof CorpusError) errors.push(error);
      else if ((error as NodeJS.ErrnoException).code !== undefined) {
        errors.push(new CorpusError(name, `cannot read the file (${(error as NodeJS.ErrnoException).code}: ${(error as Error).message})`, undefined, { cause: error }));
      } else throw error;
    }
  }
  const stories = files.flatMap((f) => f.stories);
  errors.push(...duplicateIds(files));
  if (files.length === 0 && errors.length === 0) {
    errors.push(new CorpusError(dir, "the corpus folder holds no .txt or .jsonl files"));
  }
  return { stories, files, warnings, errors };
}

const mb = (bytes: number) => String(Math.round((bytes / 2 ** 20) * 10) / 10);

function duplicateIds(files: readonly ParsedFile[]): CorpusError[] {
  const first = new Map<string, { file: string; line: number; title: string }>();
  const errors: CorpusError[] = [];
  for (const f of files) {
    f.stories.forEach((s, i) => {
      const line = f.lines[i] ?? 1;
      const prior = first.get(s.id);
      if (prior) errors.push(new CorpusError(s.file, `story id "${s.id}" is also used in ${prior.file}:${prior.line} (《${prior.title}》)`, line));
      else first.set(s.id, { file: s.file, line, title: s.title });
    });
  }
  return errors;
}
