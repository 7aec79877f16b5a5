import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { ParsedFile } from "../corpus/load.js";
import type { Embedder } from "../embed/embedder.js";
import { IndexError } from "../errors.js";
import { type Passage, toPassages } from "../passages.js";
import { createLexicalIndex, LEXICAL_FORMAT_VERSION, type LexicalDoc, type LexicalIndex, loadLexicalIndex } from "../search/lexical.js";
import { MIN_PARALLEL_TEXTS, type SegmentedTexts, segmentInWorkers } from "../search/segment-pool.js";
import { encodeNearDuplicates, findNearDuplicates, NEAR_DUPLICATE_FORMAT_VERSION, type NearDuplicates, signatureOf } from "../search/near-duplicates.js";
import type { Segmenter } from "../search/segment.js";
import { type Checkpoint, checkpointFile, openCheckpoint } from "./checkpoint.js";
import { crc32 } from "./crc32.js";
import { corpusFingerprint, currentCorpusFingerprint, type SeenFile } from "./fingerprint.js";
import { fsCause, isFsError } from "./fs-errors.js";
import { describeDamage, verifyFiles } from "./integrity.js";
import { INDEX_FORMAT_VERSION, type Manifest } from "./manifest.js";
import { withBuildLock } from "./lock.js";
import { openPrevious, type PreviousBuild } from "./previous.js";
import { scanCorpus } from "./scan.js";
import { decodeSources, encodeSources, type PlacedSource, type SourceRecord, SOURCES_FILE } from "./sources.js";
import { buildDir, currentBuildId, readManifest, writeIndex } from "./store.js";
import type { RecordRun } from "./text-file.js";
import type { VectorIndex, VectorIndexFactory } from "./vector-index.js";

export const SEGMENTER_ID = "jieba-cut-for-search/2";

export interface BuildOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  /** Without an embedder the build is lexical-only (an offline install with no model). */
  readonly embedder?: Embedder | undefined;
  readonly dtype?: string;
  /** Needed with an embedder: it builds the HNSW graph. */
  readonly vectorFactory?: VectorIndexFactory | undefined;
  readonly segmenter: Segmenter;
  readonly onProgress?: (done: number, total: number) => void;
  /** Test seam: runs after every file is written, before the new build is published. */
  readonly beforePublish?: () => Promise<void>;
  /** Passages embedded between checkpoints (fsync'd appends); default 64. */
  readonly checkpointEvery?: number;
  /** Corpus files larger than this are refused by name (CORPUS_MAX_FILE_MB). */
  readonly maxFileBytes?: number;
  /** Stops the build between embedding batches (what was embedded stays in the checkpoint). */
  readonly signal?: AbortSignal;
  /**
   * Worker threads that segment the passages when many are added (see
   * `segment-pool.ts`); 0 or absent: segmented on this thread. The workers
   * cut with `createSegmenter()`, so set it only with that segmenter.
   */
  readonly segmentThreads?: number;
}

/** What a build did, for the admin who ran it. */
export interface BuildReport {
  readonly buildId: string;
  readonly unchanged: boolean;
  readonly stories: number;
  readonly passages: number;
  readonly embedded: number;
  readonly reused: number;
  /** Of `reused`: vectors an interrupted build had computed and checkpointed. */
  readonly resumed: number;
  readonly added: number;
  readonly changed: number;
  /** Corpus files read as stories this time (0 when the fingerprint check found nothing to do). */
  readonly parsed: number;
  readonly removed: number;
  readonly dense: boolean;
  readonly model: string | null;
  readonly seconds: number;
  readonly warnings: readonly string[];
}

/**
 * Rebuilds the index from the corpus folder. Only passages whose text is new
 * are embedded; the rest reuse the served build's vectors by content hash.
 * A bad corpus file refuses the whole build, so the served index never
 * silently loses the stories of a file that failed to parse.
 */
export async function buildIndex(opts: BuildOptions): Promise<BuildReport> {
  try {
    await mkdir(opts.indexDir, { recursive: true });
    return await withBuildLock(opts.indexDir, () => build(opts));
  } catch (error) {
    // A full disk or a read-only INDEX_DIR is not the corpus's fault: say so, by cause.
    if (isFsError(error)) throw new IndexError(opts.indexDir, `the build could not be written: ${fsCause(error)}; the served index is unchanged`, { cause: error });
    throw error;
  }
}

async function build(opts: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  opts.signal?.throwIfAborted();
  const embedding = opts.embedder
    ? { model: opts.embedder.modelId, dtype: opts.dtype ?? "fp32", dimensions: opts.embedder.dimensions }
    : null;
  const served = await checkServed(opts, embedding);
  if (served.unchanged) return { ...served.unchanged, seconds: seconds() };

  const warnings: string[] = [];
  // The served graph holds the served vectors: the vectors this build reuses are read from it, and it is rearranged rather than rebuilt.
  const graphLoader = embedding && opts.vectorFactory ? { embedding, load: (file: string, dims: number) => opts.vectorFactory!.load(file, dims) } : undefined;
  const previous = await openPrevious(opts.indexDir, warnings, graphLoader);
  if (previous && previous.damage.length > 0) warnings.push(`served build ${previous.buildId} is damaged (${describeDamage(previous.damage)}); what it holds intact is reused, the rest rebuilt`);
  const sameEmbedding = previous !== undefined && JSON.stringify(previous.manifest.embedding) === JSON.stringify(embedding);
  const lexical = reusableLexical(opts.segmenter, previous, warnings);
  const previousGraph = sameEmbedding ? previous.graph : undefined;
  // A file is carried over unparsed only when everything built from it can be carried too.
  const carried = previous?.sources !== undefined && lexical !== undefined && previous.nearDuplicates !== undefined && (embedding === null || previousGraph !== undefined)
    ? new Map(previous.sources.map((s) => [s.file, s]))
    : undefined;

  const corpus = await scanCorpus(opts, carried, previous?.manifest.builtAt);
  warnings.push(...corpus.warnings);
  const layout = lay(corpus.files, carried, previous);
  const fingerprint = corpusFingerprint(corpus.files);

  if (previous && previous.damage.length === 0 && previous.manifest.corpusFingerprint === fingerprint && servesAsIs(previous.manifest, embedding)) {
    const kept = previous.manifest.embedding;
    // An interrupted build of a corpus since reverted left vectors nothing needs.
    if (embedding) await rm(checkpointFile(opts.indexDir, embedding), { force: true });
    return { ...layout.diff, parsed: layout.parsedFiles, buildId: previous.buildId, unchanged: true, stories: layout.stories, passages: layout.count, embedded: 0, reused: kept ? layout.count : 0, resumed: 0, dense: kept !== null, model: kept?.model ?? null, seconds: seconds(), warnings };
  }

  const checkpoint = embedding ? await openCheckpoint(opts.indexDir, embedding) : undefined;
  try {
    if (embedding && opts.vectorFactory === undefined) throw new Error("buildIndex: an embedder needs a vectorFactory");
    const { vectorAt, embedded, reused, resumed } = embedding && opts.embedder && checkpoint
      ? await embedAll(opts.embedder, layout, previousGraph, checkpoint, opts.checkpointEvery ?? 64, opts.onProgress, opts.signal)
      : { vectorAt: undefined, embedded: 0, reused: 0, resumed: 0 };
    const vectorIndex = vectorAt && embedding && opts.vectorFactory ? updateGraph(opts.vectorFactory, vectorAt, embedding.dimensions, layout, previousGraph) : undefined;
    opts.signal?.throwIfAborted();
    // Segmenting (half a full build's CPU) runs on worker threads while this one groups near-duplicates.
    const additions = lexicalAdditions(layout, lexical);
    const segmenting =
      (opts.segmentThreads ?? 0) > 0 && additions.length >= MIN_PARALLEL_TEXTS
        ? segmentInWorkers(additions.flatMap((d) => [d.title, d.text]), opts.segmentThreads).catch((error: unknown) => {
            warnings.push(`segmenting on ${opts.segmentThreads} threads failed, so it ran on the build's own (${(error as Error).message})`);
            return undefined;
          })
        : undefined;
    const nearDuplicates = updateNearDuplicates(layout, previous);
    const updated = updateLexical(layout, lexical ?? createLexicalIndex(opts.segmenter), lexical !== undefined, additions, await segmenting);
    opts.signal?.throwIfAborted();

    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      builtAt: new Date().toISOString(),
      corpusFingerprint: fingerprint,
      ...(corpus.warnings.length > 0 ? { corpusWarnings: corpus.warnings } : {}),
      stories: layout.stories,
      passages: layout.count,
      embedding,
      lexical: { segmenter: SEGMENTER_ID, format: LEXICAL_FORMAT_VERSION, nearDuplicates: NEAR_DUPLICATE_FORMAT_VERSION },
    };
    const buildId = await writeIndex(
      opts.indexDir,
      {
        manifest,
        records: layout.runs.map((r) => r.records),
        extraFiles: { [SOURCES_FILE]: encodeSources(layout.runs.map((r) => r.source)) },
        lexical: updated,
        nearDuplicateBytes: encodeNearDuplicates(nearDuplicates),
        ...(vectorIndex ? { vectorIndex } : {}),
      },
      opts.beforePublish ? { beforePublish: opts.beforePublish } : {},
    );
    await checkpoint?.remove();
    return { ...layout.diff, parsed: layout.parsedFiles, buildId, unchanged: false, stories: layout.stories, passages: layout.count, embedded, reused, resumed, dense: embedding !== null, model: embedding?.model ?? null, seconds: seconds(), warnings };
  } finally {
    await checkpoint?.close();
  }
}

/** What the served build saw of each corpus file (from its `sources.json`, when intact), for the fingerprint check. */
async function readSeen(dir: string, manifest: Manifest): Promise<{ files: Map<string, SeenFile>; builtAt: string } | undefined> {
  const want = manifest.files?.[SOURCES_FILE];
  const bytes = want && (await readFile(path.join(dir, SOURCES_FILE)).catch(() => undefined));
  if (!bytes || bytes.length !== want.bytes || crc32(bytes) !== want.crc32) return undefined;
  const sources = decodeSources(bytes);
  return sources && { files: new Map(sources.map((s) => [s.file, s])), builtAt: manifest.builtAt };
}

/** The served build's BM25 index, when it can be updated in place (same segmenter and format, intact). */
function reusableLexical(segmenter: Segmenter, previous: PreviousBuild | undefined, warnings: string[]): LexicalIndex | undefined {
  if (previous?.lexicalBytes === undefined || previous.manifest.lexical.segmenter !== SEGMENTER_ID) return undefined;
  try {
    return loadLexicalIndex(segmenter, previous.lexicalBytes);
  } catch (error) {
    warnings.push(`previous lexical index rebuilt from the passages: ${(error as Error).message}`);
    return undefined;
  }
}

/** One corpus file's share of the new build: its records (new, or copied from the previous build), and where its passages come from. */
interface Run {
  readonly source: SourceRecord;
  readonly records: RecordRun;
  /** Position of its first passage in the new build. */
  readonly first: number;
  /** Carried over: position of its first passage in the previous build. */
  readonly from?: number;
  /** Parsed: its passages and its stories' titles. */
  readonly passages?: readonly Passage[];
}

/** Where every passage of the new build comes from, and what changed. */
interface Layout {
  readonly runs: readonly Run[];
  readonly count: number;
  readonly stories: number;
  readonly parsedFiles: number;
  /** Passages of parsed files, with their positions. */
  readonly fresh: readonly { readonly at: number; readonly passage: Passage; readonly title: string }[];
  /** Previous passages not carried over (of changed or removed files), by key, with their previous positions. */
  readonly retired: ReadonlyMap<string, { readonly at: number; readonly hash: string }>;
  /** Previous position of each passage whose text the previous build held (carried, or the same key and text), else −1. */
  readonly was: Int32Array;
  readonly diff: { readonly added: number; readonly changed: number; readonly removed: number };
  /** Text of passage i (a carried passage is read from the previous build when asked). */
  text(i: number): string;
}

function lay(files: readonly ParsedFile[], carried: ReadonlyMap<string, PlacedSource> | undefined, previous: PreviousBuild | undefined): Layout {
  const runs: Run[] = [];
  const fresh: { at: number; passage: Passage; title: string }[] = [];
  const keptRuns = new Set<string>();
  let at = 0;
  let stories = 0;
  let parsedFiles = 0;
  for (const f of files) {
    if (f.reused) {
      const old = carried!.get(f.file)!;
      keptRuns.add(f.file);
      const { firstPassage, firstStory, ...kept } = old;
      runs.push({
        source: { ...kept, ...f.stat },
        records: { from: previous!.records, firstStory, stories: old.ids.length, firstPassage, passages: old.passages },
        first: at,
        from: firstPassage,
      });
      at += old.passages;
      stories += old.ids.length;
      continue;
    }
    parsedFiles++;
    const passages = toPassages(f.stories);
    const titles = new Map(f.stories.map((s) => [s.id, s.title]));
    const source = { file: f.file, sha256: f.sha256, ids: f.stories.map((s) => s.id), passages: passages.length, warnings: f.warnings, ...f.stat };
    runs.push({ source, records: { stories: f.stories, passages: passages.map(({ embedText: _unused, ...stored }) => stored) }, first: at, passages });
    passages.forEach((p, j) => fresh.push({ at: at + j, passage: p, title: titles.get(p.storyId) ?? "" }));
    at += passages.length;
    stories += f.stories.length;
  }

  const retired = new Map<string, { at: number; hash: string }>();
  if (previous) {
    const carriedRanges = (carried ? [...carried.values()] : []).filter((s) => keptRuns.has(s.file));
    const isCarried = new Uint8Array(previous.count);
    for (const s of carriedRanges) isCarried.fill(1, s.firstPassage, s.firstPassage + s.passages);
    for (let i = 0; i < previous.count; i++) {
      if (isCarried[i] === 1) continue;
      const p = previous.passage(i);
      retired.set(p.key, { at: i, hash: p.hash });
    }
  }
  const was = new Int32Array(at).fill(-1);
  for (const r of runs) if (r.from !== undefined) for (let j = 0; j < r.source.passages; j++) was[r.first + j] = r.from + j;
  let added = 0;
  let changed = 0;
  const freshKeys = new Set<string>();
  for (const { at: i, passage } of fresh) {
    freshKeys.add(passage.key);
    const old = retired.get(passage.key);
    if (old === undefined) added++;
    else if (old.hash !== passage.hash) changed++;
    else was[i] = old.at;
  }
  let removed = 0;
  for (const key of retired.keys()) if (!freshKeys.has(key)) removed++;

  const freshAt = new Map(fresh.map((f) => [f.at, f.passage]));
  return {
    runs,
    count: at,
    stories,
    parsedFiles,
    fresh,
    retired,
    was,
    diff: { added, changed, removed },
    text: (i) => freshAt.get(i)?.text ?? previous!.passage(was[i]!).text,
  };
}

type Embedding = Manifest["embedding"];

/**
 * Whether the served build can stand for a corpus with its fingerprint: same
 * formats, and the same model (a lexical-only reader can serve any index,
 * so without a model an unchanged corpus keeps the vectors a model-equipped
 * build made).
 */
function servesAsIs(manifest: Manifest, embedding: Embedding): boolean {
  const sameLexical = manifest.lexical.format === LEXICAL_FORMAT_VERSION && manifest.lexical.nearDuplicates === NEAR_DUPLICATE_FORMAT_VERSION;
  return sameLexical && (embedding === null || JSON.stringify(manifest.embedding) === JSON.stringify(embedding));
}

/**
 * The cheap check first: when the corpus files' bytes hash to the served
 * build's fingerprint and the build's files still match the sizes and
 * checksums it recorded, nothing is parsed and nothing is rebuilt. A
 * damaged build falls through to the full build, which names the damage
 * and repairs it.
 */
async function checkServed(opts: BuildOptions, embedding: Embedding): Promise<{ readonly unchanged?: Omit<BuildReport, "seconds"> }> {
  const buildId = await currentBuildId(opts.indexDir).catch(() => undefined);
  const manifest = buildId === undefined ? undefined : await readManifest(opts.indexDir).catch(() => undefined);
  if (buildId === undefined || manifest?.files === undefined || !servesAsIs(manifest, embedding)) return {};
  const seen = await readSeen(buildDir(opts.indexDir, buildId), manifest);
  if ((await currentCorpusFingerprint(opts.corpusDir, seen).catch(() => undefined)) !== manifest.corpusFingerprint) return {};
  // Damage is left for the build that follows to find and name, file by file, as it reads the previous build.
  if ((await verifyFiles(buildDir(opts.indexDir, buildId), manifest.files)).length > 0) return {};
  if (embedding) await rm(checkpointFile(opts.indexDir, embedding), { force: true });
  const kept = manifest.embedding;
  return {
    unchanged: { buildId, unchanged: true, stories: manifest.stories, passages: manifest.passages, embedded: 0, reused: kept ? manifest.passages : 0, resumed: 0, added: 0, changed: 0, removed: 0, parsed: 0, dense: kept !== null, model: kept?.model ?? null, warnings: manifest.corpusWarnings ?? [] },
  };
}

/**
 * The vector of each passage: carried from the served build's graph (whole
 * runs of unchanged files, or by content hash), from the checkpoint of an
 * interrupted build, the rest embedded in slices that are appended to the
 * checkpoint (and fsync'd) as they finish. Only the vectors the served graph
 * does not hold at the passage's previous position are kept here (a few, when
 * a story was added); `vectorAt` reads the others from the graph when asked,
 * so no copy of all the vectors is made.
 */
async function embedAll(
  embedder: Embedder,
  layout: Layout,
  previous: VectorIndex | undefined,
  checkpoint: Checkpoint,
  every: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ vectorAt: (i: number) => Float32Array; embedded: number; reused: number; resumed: number }> {
  const own = new Map<number, Float32Array>();
  const oldByHash = new Map(previous ? [...layout.retired.values()].map((r) => [r.hash, r.at]) : []);
  const missing: { at: number; passage: Passage }[] = [];
  let resumed = 0;
  for (const { at, passage } of layout.fresh) {
    if (previous && layout.was[at]! >= 0) continue;
    const was = oldByHash.get(passage.hash);
    const saved = was === undefined ? checkpoint.vectors.get(passage.hash) : undefined;
    // Read now: the graph is rearranged later, and a retired passage's vector is deleted from it then.
    if (previous && was !== undefined) own.set(at, previous.vector(was));
    else if (saved) {
      own.set(at, saved);
      resumed++;
    } else missing.push({ at, passage });
  }
  const unique = [...new Map(missing.map((m) => [m.passage.hash, m.passage])).values()];
  const byHash = new Map<string, Float32Array>();
  for (let start = 0; start < unique.length; start += every) {
    signal?.throwIfAborted();
    const slice = unique.slice(start, start + every);
    const fresh = await embedder.embedPassages(
      slice.map((p) => p.embedText),
      onProgress && ((done) => onProgress(start + done, unique.length)),
    );
    const entries = slice.map((p, j) => [p.hash, fresh[j]!] as const);
    await checkpoint.append(entries);
    for (const [hash, vector] of entries) byHash.set(hash, vector);
  }
  for (const m of missing) own.set(m.at, byHash.get(m.passage.hash)!);
  const vectorAt = (i: number) => own.get(i) ?? previous!.vector(layout.was[i]!);
  return { vectorAt, embedded: unique.length, reused: layout.count - missing.length, resumed };
}

/** Above this share of deleted vectors the graph is built afresh rather than rearranged again. */
const MAX_DELETED_SHARE = 0.2;

/**
 * The served build's HNSW graph, rearranged to the new passages (a few
 * inserts and deletions), or a new graph when there is none to reuse or it
 * has gathered too many deleted vectors (its vectors are then read out of
 * the old graph, which is left as it is).
 */
function updateGraph(factory: VectorIndexFactory, vectorAt: (i: number) => Float32Array, dims: number, layout: Layout, previous: VectorIndex | undefined): VectorIndex {
  if (previous !== undefined) {
    const kept = layout.was.reduce((n, w) => n + (w >= 0 ? 1 : 0), 0);
    const deleted = previous.deleted + previous.size - kept;
    if (deleted <= MAX_DELETED_SHARE * (deleted + layout.count)) {
      previous.rearrange(layout.was, vectorAt);
      return previous;
    }
  }
  const index = factory.create(dims, Math.max(layout.count, 1));
  for (let i = 0; i < layout.count; i++) index.add(vectorAt(i));
  return index;
}

/** The passages the BM25 index lacks: new or changed ones, or all of them when there is no previous index to update. */
function lexicalAdditions(layout: Layout, previous: LexicalIndex | undefined): LexicalDoc[] {
  const same = (key: string, hash: string) => previous !== undefined && layout.retired.get(key)?.hash === hash;
  return layout.fresh.filter((f) => !same(f.passage.key, f.passage.hash)).map((f) => ({ key: f.passage.key, title: f.title, text: f.passage.text }));
}

/**
 * Updates the previous BM25 index in place: drops passages of changed or
 * removed files whose text changed or went, adds the new ones. Without a
 * reusable previous index `lexical` is empty and every passage is added (and
 * then every file was parsed: see `carried`).
 */
function updateLexical(layout: Layout, lexical: LexicalIndex, reused: boolean, additions: readonly LexicalDoc[], segmented: SegmentedTexts | undefined): LexicalIndex {
  if (reused) {
    const freshByKey = new Map(layout.fresh.map((f) => [f.passage.key, f.passage.hash]));
    lexical.remove([...layout.retired].filter(([key, old]) => freshByKey.get(key) !== old.hash).map(([key]) => ({ key })));
  }
  lexical.add(additions, segmented);
  return lexical;
}

/**
 * Near-duplicate groups over every passage, reusing the signatures of
 * passages whose text the previous build held; when passages were only
 * added, the old groups stand and only pairs with a new passage are compared.
 */
function updateNearDuplicates(layout: Layout, previous: PreviousBuild | undefined): NearDuplicates {
  const texts = { length: layout.count, at: layout.text };
  const old = previous?.nearDuplicates;
  if (old === undefined) return findNearDuplicates(texts);
  const freshHashes = new Set(layout.fresh.map((f) => f.passage.hash));
  const onlyAdded = [...layout.retired.values()].every((r) => freshHashes.has(r.hash));
  const oldByHash = new Map([...layout.retired.values()].map((r) => [r.hash, r.at]));
  const oldAt = Int32Array.from(layout.was);
  for (const f of layout.fresh) if (oldAt[f.at]! < 0) oldAt[f.at] = oldByHash.get(f.passage.hash) ?? -1;
  return findNearDuplicates(texts, (i) => {
    const o = oldAt[i]!;
    return o < 0 ? undefined : { signature: signatureOf(old, o), ...(onlyAdded ? { group: old.groups[o]! } : {}) };
  });
}
