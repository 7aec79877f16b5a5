import { readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { CorpusError } from "../errors.js";

/** A file found under the corpus folder: its corpus-relative name (with `/`) and where to read it. */
export interface CorpusEntry {
  readonly name: string;
  readonly path: string;
}

export interface Walk {
  readonly files: CorpusEntry[];
  readonly warnings: string[];
  readonly errors: CorpusError[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Lists the corpus folder recursively. Symlinks are followed, to files and
 * to folders, since admins link shared news folders in; a link that leads
 * back into a folder already being walked (a loop) is skipped with a warning,
 * as is a dangling link. Hidden entries are skipped. Names are read as bytes:
 * a name that is not UTF-8 cannot be cited or shown, so it is refused by
 * name (with its bytes escaped) instead of silently failing to open.
 * An unreadable subfolder is named as itself, not as the corpus folder.
 */
export async function walkCorpus(dir: string): Promise<Walk> {
  const walk: Walk = { files: [], warnings: [], errors: [] };
  let root: string;
  try {
    root = await realpath(dir);
    await readdir(root);
  } catch (error) {
    throw new CorpusError(dir, `cannot read the corpus folder (${(error as NodeJS.ErrnoException).code ?? String(error)}); set CORPUS_DIR`, undefined, { cause: error });
  }
  await visit(walk, dir, "", [root]);
  walk.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return walk;
}

async function visit(walk: Walk, folder: string, relative: string, ancestors: readonly string[]): Promise<void> {
  let entries: Buffer[];
  try {
    entries = await readdir(folder, { encoding: "buffer" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    walk.errors.push(new CorpusError(`${relative}/`, `cannot read this subfolder (${code}); its files would be missing from the index`, undefined, { cause: error }));
    return;
  }
  for (const raw of entries) {
    let base: string;
    try {
      base = utf8.decode(raw);
    } catch {
      const shown = [...raw].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join("");
      walk.errors.push(new CorpusError(join(relative, shown), "the file name is not valid UTF-8; rename the file (with UTF-8 characters)"));
      continue;
    }
    if (base.startsWith(".")) continue;
    const name = join(relative, base);
    const full = path.join(folder, base);
    let info;
    try {
      info = await stat(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ELOOP") walk.warnings.push(`${name}: skipped (a symlink to nothing: ${code})`);
      else walk.errors.push(new CorpusError(name, `cannot read it (${code ?? String(error)})`, undefined, { cause: error }));
      continue;
    }
    if (info.isDirectory()) {
      const real = await realpath(full).catch(() => full);
      if (ancestors.includes(real)) {
        walk.warnings.push(`${name}/: skipped (a symlink loop back to a folder already being read)`);
        continue;
      }
      await visit(walk, full, name, [...ancestors, real]);
    } else if (info.isFile()) {
      walk.files.push({ name, path: full });
    }
  }
}

const join = (relative: string, base: string) => (relative === "" ? base : `${relative}/${base}`);
