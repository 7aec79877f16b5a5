import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Story } from "../corpus/story.js";
import { IndexError } from "../errors.js";
import type { Passage } from "../passages.js";
import type { LexicalIndex } from "../search/lexical.js";
import { readJsonLines, writeDurably, writeJsonLines } from "./durable.js";
import { digestFiles } from "./integrity.js";
import { LEXICAL_FILE, saveLexical } from "./lexical-file.js";
import { type Manifest, parseManifest } from "./manifest.js";
import type { VectorIndex, VectorIndexFactory } from "./vector-index.js";

/**
 * On disk, INDEX_DIR holds `builds/<id>/` folders and a `CURRENT` file naming
 * the one being served. A build is written into a hidden temporary folder and
 * published by renaming `CURRENT` over itself, which is atomic: a crash at any
 * moment leaves either the old build or the new one, never half of either.
 *
 * Stories and passages are JSON Lines, written and read record by record, so
 * no file of a build is ever one giant string (the lexical index's own form
 * is behind `lexical-file.ts`); vectors are raw little-endian float32.
 */
const CURRENT = "CURRENT";
const BUILDS = "builds";
export const STORIES_FILE = "stories.jsonl";
export const PASSAGES_FILE = "passages.jsonl";
export const NEAR_DUPLICATES_FILE = "near-duplicates.bin";
export const VECTORS_FILE = "vectors.f32";
export const VECTOR_GRAPH_FILE = "vectors.hnsw";

/** A passage as stored: the embedded text is rebuilt from the title when needed. */
export type StoredPassage = Omit<Passage, "embedText">;

/** What every build holds besides its lexical index. */
export interface IndexContents {
  readonly manifest: Manifest;
  readonly stories: readonly Story[];
  readonly passages: readonly StoredPassage[];
  /** Present when the build has embeddings: one row per passage, in passage order. */
  readonly vectors?: Float32Array;
  readonly vectorIndex?: VectorIndex;
  /** The near-duplicate table (`near-duplicates.bin`, see search/near-duplicates.ts); absent in builds made before it existed. */
  readonly nearDuplicateBytes?: Uint8Array;
}

/** JSON Lines already serialized, as chunks written in order (a rebuild copies unchanged runs of the previous build's file). */
export interface SerializedLines {
  readonly chunks: readonly Uint8Array[];
}

/** What a build writes: the contents and the lexical index, saved through its own seam. */
export interface NewBuild extends Omit<IndexContents, "stories" | "passages"> {
  readonly lexical: LexicalIndex;
  readonly stories: readonly Story[] | SerializedLines;
  readonly passages: readonly StoredPassage[] | SerializedLines;
  /** Further files of the build by name (the builder's own bookkeeping, such as `sources.json`). */
  readonly extraFiles?: Readonly<Record<string, Uint8Array>>;
}

async function writeLines(file: string, lines: readonly unknown[] | SerializedLines): Promise<void> {
  if (!("chunks" in lines)) return writeJsonLines(file, lines);
  const handle = await open(file, "w");
  try {
    for (const chunk of lines.chunks) if (chunk.length > 0) await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** One build read back into memory; its lexical index is loaded from `lexicalFile` by whoever needs it. */
export interface StoredIndex extends IndexContents {
  readonly dir: string;
  readonly buildId: string;
  readonly lexicalFile: string;
}

/** Which build is being served, if any. */
export async function currentBuildId(indexDir: string): Promise<string | undefined> {
  try {
    const id = (await readFile(path.join(indexDir, CURRENT), "utf8")).trim();
    return id === "" ? undefined : id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new IndexError(indexDir, `cannot read ${CURRENT}: ${String(error)}`, { cause: error });
  }
}

/** The folder of build `buildId`. */
export function buildDir(indexDir: string, buildId: string): string {
  return path.join(indexDir, BUILDS, buildId);
}

/** The served build's manifest alone (cheap): for checks that need no passages. */
export async function readManifest(indexDir: string): Promise<Manifest | undefined> {
  const buildId = await currentBuildId(indexDir);
  if (buildId === undefined) return undefined;
  const manifestText = await readFile(path.join(indexDir, BUILDS, buildId, "manifest.json"), "utf8").catch((error: unknown) => {
    throw new IndexError(indexDir, `build ${buildId} named by ${CURRENT} is missing its manifest; rebuild with npm run build-index`, { cause: error });
  });
  const manifest = parseManifest(manifestText);
  if (typeof manifest === "string") throw new IndexError(indexDir, manifest);
  return manifest;
}

/**
 * Reads the served build. With a `vectorFactory` the HNSW graph is loaded
 * too; lexical-only callers skip it. Returns undefined when nothing was ever built.
 */
export async function readIndex(
  indexDir: string,
  opts: { vectorFactory?: VectorIndexFactory } = {},
): Promise<StoredIndex | undefined> {
  const buildId = await currentBuildId(indexDir);
  if (buildId === undefined) return undefined;
  const dir = path.join(indexDir, BUILDS, buildId);
  const manifest = (await readManifest(indexDir))!;
  try {
    const stories = await readJsonLines<Story>(path.join(dir, STORIES_FILE));
    const passages = await readJsonLines<StoredPassage>(path.join(dir, PASSAGES_FILE));
    if (passages.length !== manifest.passages || stories.length !== manifest.stories) {
      throw new Error(`counts disagree with the manifest (${passages.length} passages, ${stories.length} stories)`);
    }
    const nearDuplicateBytes = await readFile(path.join(dir, NEAR_DUPLICATES_FILE)).catch(() => undefined);
    const base = { dir, buildId, manifest, stories, passages, lexicalFile: path.join(dir, LEXICAL_FILE), ...(nearDuplicateBytes ? { nearDuplicateBytes } : {}) };
    if (manifest.embedding === null) return base;
    const vectors = await readVectors(path.join(dir, VECTORS_FILE), passages.length * manifest.embedding.dimensions);
    if (opts.vectorFactory === undefined) return { ...base, vectors };
    const vectorIndex = await opts.vectorFactory.load(path.join(dir, VECTOR_GRAPH_FILE), manifest.embedding.dimensions);
    if (vectorIndex.size !== passages.length) throw new Error(`the HNSW graph holds ${vectorIndex.size} vectors for ${passages.length} passages`);
    return { ...base, vectors, vectorIndex };
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError(indexDir, `build ${buildId} is unreadable (${(error as Error).message}); rebuild with npm run build-index`, { cause: error });
  }
}

async function readVectors(file: string, floats: number): Promise<Float32Array> {
  const bytes = await readFile(file);
  if (bytes.byteLength !== floats * 4) throw new Error(`vectors.f32 holds ${bytes.byteLength} bytes, expected ${floats * 4}`);
  const copy = new Float32Array(floats);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

/**
 * Writes a build and publishes it. `beforePublish` lets tests (and a future
 * validator) fail the build after every file is written but before the swap.
 */
export async function writeIndex(
  indexDir: string,
  contents: NewBuild,
  hooks: { beforePublish?: () => Promise<void> } = {},
): Promise<string> {
  const buildsDir = path.join(indexDir, BUILDS);
  await mkdir(buildsDir, { recursive: true });
  const buildId = `${contents.manifest.builtAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`;
  const tmp = path.join(buildsDir, `.tmp-${buildId}`);
  await mkdir(tmp);
  try {
    await writeLines(path.join(tmp, STORIES_FILE), contents.stories);
    await writeLines(path.join(tmp, PASSAGES_FILE), contents.passages);
    for (const [name, bytes] of Object.entries(contents.extraFiles ?? {})) await writeDurably(path.join(tmp, name), bytes);
    await saveLexical(contents.lexical, path.join(tmp, LEXICAL_FILE));
    if (contents.nearDuplicateBytes !== undefined) await writeDurably(path.join(tmp, NEAR_DUPLICATES_FILE), contents.nearDuplicateBytes);
    if (contents.vectors !== undefined) {
      const v = contents.vectors;
      await writeDurably(path.join(tmp, VECTORS_FILE), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    if (contents.vectorIndex !== undefined) await contents.vectorIndex.save(path.join(tmp, VECTOR_GRAPH_FILE));
    // Every file is synced by now: what is digested is what a reader will find.
    const manifest = { ...contents.manifest, files: await digestFiles(tmp) };
    await writeDurably(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2));
    await hooks.beforePublish?.();
    await rename(tmp, path.join(buildsDir, buildId));
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  const previous = await currentBuildId(indexDir);
  const pointer = path.join(indexDir, `.${CURRENT}.${buildId}`);
  try {
    await writeDurably(pointer, `${buildId}\n`);
    await rename(pointer, path.join(indexDir, CURRENT));
  } catch (error) {
    await rm(pointer, { force: true }).catch(() => {});
    await rm(path.join(buildsDir, buildId), { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  await pruneBuilds(indexDir, [buildId, previous]);
  return buildId;
}

/**
 * Keeps the new build and the one it replaced (a process that loaded it a
 * moment ago may still be reading); removes older builds and leftovers of
 * crashed builds.
 */
async function pruneBuilds(indexDir: string, keep: readonly (string | undefined)[]): Promise<void> {
  const buildsDir = path.join(indexDir, BUILDS);
  for (const name of await readdir(buildsDir)) {
    if (keep.includes(name)) continue;
    await rm(path.join(buildsDir, name), { recursive: true, force: true });
  }
  for (const name of await readdir(indexDir)) {
    if (name.startsWith(`.${CURRENT}.`)) await rm(path.join(indexDir, name), { force: true });
  }
}
