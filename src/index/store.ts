import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Story } from "../corpus/story.js";
import { IndexError } from "../errors.js";
import type { Passage, PassageList } from "../passages.js";
import type { LexicalIndex } from "../search/lexical.js";
import { writeDurably } from "./durable.js";
import { writeDigested } from "./digest-write.js";
import { digestFile, type FileDigest } from "./integrity.js";
import { LEXICAL_FILE, saveLexical } from "./lexical-file.js";
import { type Manifest, parseManifest } from "./manifest.js";
import { decodePassageTable, encodePassageTable, NO_PASSAGE, type PassageTable } from "./passage-format.js";
import { hexHash, openTextFile, type RecordRun, storyLineChunks, type TextReader, TEXTS_FILE, writeTextFile } from "./text-file.js";
import type { VectorIndex, VectorIndexFactory } from "./vector-index.js";

/**
 * On disk, INDEX_DIR holds `builds/<id>/` folders and a `CURRENT` file naming
 * the one being served. A build is written into a hidden temporary folder and
 * published by renaming `CURRENT` over itself, which is atomic: a crash at any
 * moment leaves either the old build or the new one, never half of either.
 *
 * Each paragraph's text is stored once, in `texts.bin`, and read only when
 * it is shown or judged (see `text-file.ts`); `passages.bin` says where each
 * passage and paragraph stands (see `passage-format.ts`); `stories.jsonl`
 * holds the stories without their paragraphs, one JSON line each. So loading
 * a build reads its metadata and lexical index, not its news: no file is
 * ever parsed as one giant string, and no text is decoded until needed (the
 * lexical index's own form is behind `lexical-file.ts`); the vectors live
 * only in the HNSW graph (`vectors.hnsw`, hnswlib's own file), which a
 * rebuild reads them back from: a second copy of them as raw float32 was
 * 205 MB at 100k passages to read, check and write again on every rebuild.
 */
const CURRENT = "CURRENT";
const BUILDS = "builds";
export const STORIES_FILE = "stories.jsonl";
export const PASSAGES_FILE = "passages.bin";
export const NEAR_DUPLICATES_FILE = "near-duplicates.bin";
export const VECTOR_GRAPH_FILE = "vectors.hnsw";

/**
 * A passage as stored: the embedded text is rebuilt from the title when
 * needed. Read back from a build, `text` is read from disk on each access
 * (hold on to it rather than asking twice in a loop).
 */
export type StoredPassage = Omit<Passage, "embedText">;

/** What every build holds besides its lexical index. */
export interface IndexContents {
  readonly manifest: Manifest;
  readonly stories: readonly Story[];
  readonly passages: readonly StoredPassage[];
  /** Read back from the graph when asked for (see `readIndex`): one row per passage, in passage order. */
  readonly vectors?: Float32Array;
  readonly vectorIndex?: VectorIndex;
  /** The near-duplicate table (`near-duplicates.bin`, see search/near-duplicates.ts); absent in builds made before it existed. */
  readonly nearDuplicateBytes?: Uint8Array;
}

/** What a build writes: the contents and the lexical index, saved through its own seam. */
export interface NewBuild extends Omit<IndexContents, "stories" | "passages" | "vectors"> {
  readonly lexical: LexicalIndex;
  /** Stories and passages, in order: new ones, and runs copied from the previous build (see `text-file.ts`). */
  readonly records: readonly RecordRun[];
  /** Further files of the build by name (the builder's own bookkeeping, such as `sources.json`). */
  readonly extraFiles?: Readonly<Record<string, Uint8Array>>;
}

/**
 * One build read back; its lexical index is loaded from `lexicalFile` by
 * whoever needs it. `passageList` is what serving reads (typed arrays, texts
 * from disk); `passages` makes an object of each on first use, for builds
 * that compare the previous passages with the new ones.
 */
export interface StoredIndex extends IndexContents {
  readonly dir: string;
  readonly buildId: string;
  readonly lexicalFile: string;
  readonly passageList: StoredPassageList;
}

/** A build's passages by number, as read back: texts from disk, hashes and lexical slots from `passages.bin`. */
export interface StoredPassageList extends PassageList {
  part(i: number): number;
  /** sha256 of the embedded text, in hex. */
  hash(i: number): string;
  /** The passage a hit of the build's lexical index names (its `slot`), or -1 when it names none. */
  lexicalPassage(slot: number): number;
  /** The passage's slot in the build's lexical index, or -1. */
  lexicalSlot(i: number): number;
  /** The build's stories are in the list: a passage's is at hand. */
  story(i: number): Story;
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
  /**
   * With the graph loaded, `vectors` (unless false) are its vectors copied
   * out in passage order (tests and tools; serving needs only the graph);
   * `textsInMemory` reads `texts.bin` whole in the background and
   * serves texts from memory once it is in (serving, not builds).
   */
  opts: { vectorFactory?: VectorIndexFactory; vectors?: boolean; textsInMemory?: boolean } = {},
): Promise<StoredIndex | undefined> {
  const buildId = await currentBuildId(indexDir);
  if (buildId === undefined) return undefined;
  const dir = path.join(indexDir, BUILDS, buildId);
  const manifest = (await readManifest(indexDir))!;
  try {
    const [{ stories, passageList }, nearDuplicateBytes] = await Promise.all([
      readStoriesAndPassages(dir, opts.textsInMemory === true),
      readFile(path.join(dir, NEAR_DUPLICATES_FILE)).catch(() => undefined),
    ]);
    const count = passageList.length;
    if (count !== manifest.passages || stories.length !== manifest.stories) {
      throw new Error(`counts disagree with the manifest (${count} passages, ${stories.length} stories)`);
    }
    const dims = manifest.embedding?.dimensions ?? 0;
    const vectorIndex = manifest.embedding !== null && opts.vectorFactory ? await opts.vectorFactory.load(path.join(dir, VECTOR_GRAPH_FILE), dims) : undefined;
    if (vectorIndex && vectorIndex.size !== count) throw new Error(`the HNSW graph holds ${vectorIndex.size} vectors for ${count} passages`);
    const vectors = vectorIndex && opts.vectors !== false ? allVectors(vectorIndex, count) : undefined;
    let passages: StoredPassage[] | undefined;
    return {
      dir,
      buildId,
      manifest,
      stories,
      passageList,
      get passages() {
        return (passages ??= passageList.toArray());
      },
      lexicalFile: path.join(dir, LEXICAL_FILE),
      ...(nearDuplicateBytes ? { nearDuplicateBytes } : {}),
      ...(vectors ? { vectors } : {}),
      ...(vectorIndex ? { vectorIndex } : {}),
    };
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError(indexDir, `build ${buildId} is unreadable (${(error as Error).message}); rebuild with npm run build-index`, { cause: error });
  }
}

/**
 * Stories and passages of a build, their texts left on disk: each story's
 * `paragraphs` and each passage's `text` are read from `texts.bin` when asked for.
 */
async function readStoriesAndPassages(dir: string, textsInMemory: boolean): Promise<{ stories: Story[]; passageList: StoredPassages }> {
  const [storyBytes, tableBytes] = await Promise.all([readFile(path.join(dir, STORIES_FILE)), readFile(path.join(dir, PASSAGES_FILE))]);
  const table = decodePassageTable(tableBytes);
  const texts = openTextFile(path.join(dir, TEXTS_FILE), table.textStarts, { background: textsInMemory });
  const lines = storyBytes.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length !== table.stories) throw new Error(`${STORIES_FILE} holds ${lines.length} stories, ${PASSAGES_FILE} ${table.stories}`);
  const stories = lines.map((line, s): Story => {
    let meta: Omit<Story, "paragraphs">;
    try {
      meta = JSON.parse(line) as Omit<Story, "paragraphs">;
    } catch (error) {
      throw new Error(`${STORIES_FILE}:${s + 1}: ${(error as Error).message}`, { cause: error });
    }
    const [from, to] = [table.storyFirst[s]!, table.storyFirst[s + 1]!];
    return {
      ...meta,
      get paragraphs() {
        return texts.texts(from, to);
      },
    };
  });
  return { stories, passageList: new StoredPassages(table, texts, stories) };
}

class StoredPassages implements StoredPassageList {
  constructor(
    private readonly table: PassageTable,
    private readonly texts: TextReader,
    private readonly stories: readonly Story[],
  ) {}

  get length(): number {
    return this.table.passages;
  }

  key(i: number): string {
    return this.table.keys.get(i);
  }

  storyId(i: number): string {
    return this.stories[this.table.story[i]!]!.id;
  }

  story(i: number): Story {
    return this.stories[this.table.story[i]!]!;
  }

  paragraph(i: number): number {
    return this.table.paragraph[i]!;
  }

  part(i: number): number {
    return this.table.part[i]!;
  }

  text(i: number): string {
    return this.texts.text(this.table.text[i]!);
  }

  hash(i: number): string {
    return hexHash(this.table.hashes, i);
  }

  lexicalPassage(slot: number): number {
    const p = this.table.lexicalSlots[slot];
    return p === undefined || p === NO_PASSAGE ? -1 : p;
  }

  #slotOf: Int32Array | undefined;

  lexicalSlot(i: number): number {
    if (this.#slotOf === undefined) {
      const slotOf = new Int32Array(this.length).fill(-1);
      this.table.lexicalSlots.forEach((p, slot) => {
        if (p !== NO_PASSAGE) slotOf[p] = slot;
      });
      this.#slotOf = slotOf;
    }
    return this.#slotOf[i] ?? -1;
  }

  /** An object per passage, `text` still read on access. */
  toArray(): StoredPassage[] {
    const out: StoredPassage[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = new LazyPassage(this, i, this.key(i), this.storyId(i), this.hash(i));
    return out;
  }
}

/** A stored passage whose text stays on disk until read. */
class LazyPassage implements StoredPassage {
  readonly paragraph: number;
  readonly part: number;

  constructor(
    private readonly list: StoredPassages,
    private readonly i: number,
    readonly key: string,
    readonly storyId: string,
    readonly hash: string,
  ) {
    this.paragraph = list.paragraph(i);
    this.part = list.part(i);
  }

  get text(): string {
    return this.list.text(this.i);
  }
}

/** Every vector of the graph, one row per passage. */
function allVectors(graph: VectorIndex, count: number): Float32Array {
  const out = new Float32Array(count * graph.dimensions);
  for (let i = 0; i < count; i++) out.set(graph.vector(i), i * graph.dimensions);
  return out;
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
  let writing: Promise<unknown> | undefined;
  try {
    const files: Record<string, FileDigest> = {};
    const graphFile = path.join(tmp, VECTOR_GRAPH_FILE);
    // Every file is written at once, each on its own chain: the graph (220 MB at 100k passages) by hnswlib on
    // libuv's threads, then read back for its digest; the others with their size and CRC-32 kept as they go out.
    // Each file's fsync then waits beside the others' writing rather than one after another (~0.4 s of
    // waiting at 100k passages when they were in turn).
    const chains: Promise<void>[] = [
      ...(contents.vectorIndex ? [contents.vectorIndex.save(graphFile).then(async () => void (files[VECTOR_GRAPH_FILE] = await digestFile(graphFile)))] : []),
      (async () => void (files[STORIES_FILE] = await writeDigested(path.join(tmp, STORIES_FILE), storyLineChunks(contents.records))))(),
      (async () => {
        const texts = await writeTextFile(path.join(tmp, TEXTS_FILE), contents.records);
        files[TEXTS_FILE] = texts.digest;
        files[PASSAGES_FILE] = await writeDigested(path.join(tmp, PASSAGES_FILE), encodePassageTable({ ...texts.table, lexicalSlots: lexicalSlots(contents.lexical, texts.table.keys) }));
      })(),
      ...Object.entries(contents.extraFiles ?? {}).map(async ([name, bytes]) => void (files[name] = await writeDigested(path.join(tmp, name), [bytes]))),
      (async () => void (files[LEXICAL_FILE] = await saveLexical(contents.lexical, path.join(tmp, LEXICAL_FILE))))(),
      ...(contents.nearDuplicateBytes !== undefined ? [(async () => void (files[NEAR_DUPLICATES_FILE] = await writeDigested(path.join(tmp, NEAR_DUPLICATES_FILE), [contents.nearDuplicateBytes!])))()] : []),
    ];
    writing = Promise.allSettled(chains);
    await allOrFirstError(chains);
    // Every file is synced by now: what is digested is what a reader will find. Any file not digested yet (the graph's label table) is read for it.
    for (const name of await readdir(tmp)) files[name] ??= await digestFile(path.join(tmp, name));
    const manifest = { ...contents.manifest, files };
    await writeDurably(path.join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2));
    await hooks.beforePublish?.();
    await rename(tmp, path.join(buildsDir, buildId));
  } catch (error) {
    // Other chains (hnswlib among them) may still be writing into the folder.
    await writing;
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

/** Waits for every promise; the first rejection, once all have settled (none is left writing). */
async function allOrFirstError(promises: readonly Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
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

/** The passage each lexical slot names, so a loaded build maps search hits to passages without a key lookup. */
function lexicalSlots(lexical: LexicalIndex, passageKeys: readonly string[]): Uint32Array {
  const passageOf = new Map<string, number>();
  passageKeys.forEach((key, i) => passageOf.set(key, i));
  const keys = lexical.keys();
  const slots = new Uint32Array(keys.length);
  for (let s = 0; s < keys.length; s++) slots[s] = passageOf.get(keys[s]!) ?? NO_PASSAGE;
  return slots;
}
