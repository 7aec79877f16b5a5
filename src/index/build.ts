import { mkdir, rm } from "node:fs/promises";
import { loadCorpus } from "../corpus/load.js";
import type { Story } from "../corpus/story.js";
import type { Embedder } from "../embed/embedder.js";
import { CorpusRejectedError, IndexError } from "../errors.js";
import { type Passage, toPassages } from "../passages.js";
import { createLexicalIndex, LEXICAL_FORMAT_VERSION, type LexicalIndex } from "../search/lexical.js";
import { decodeNearDuplicates, encodeNearDuplicates, findNearDuplicates, NEAR_DUPLICATE_FORMAT_VERSION, type NearDuplicates, signatureOf } from "../search/near-duplicates.js";
import type { Segmenter } from "../search/segment.js";
import { type Checkpoint, checkpointFile, openCheckpoint } from "./checkpoint.js";
import { corpusFingerprint } from "./fingerprint.js";
import { fsCause, isFsError } from "./fs-errors.js";
import { loadLexical } from "./lexical-file.js";
import { INDEX_FORMAT_VERSION, type Manifest } from "./manifest.js";
import { withBuildLock } from "./lock.js";
import { readIndex, type StoredIndex, writeIndex } from "./store.js";
import type { VectorIndexFactory } from "./vector-index.js";

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
  opts.signal?.throwIfAborted();
  const corpus = await loadCorpus(opts.corpusDir, opts.maxFileBytes === undefined ? {} : { maxFileBytes: opts.maxFileBytes });
  if (corpus.errors.length > 0) throw new CorpusRejectedError(corpus.errors);
  const warnings = [...corpus.warnings];
  const passages = toPassages(corpus.stories);
  const fingerprint = corpusFingerprint(corpus.files);
  const embedding = opts.embedder
    ? { model: opts.embedder.modelId, dtype: opts.dtype ?? "fp32", dimensions: opts.embedder.dimensions }
    : null;

  const previous = await readIndex(opts.indexDir).catch((error: unknown) => {
    if (!(error instanceof IndexError)) throw error;
    warnings.push(`previous index ignored: ${error.message}`);
    return undefined;
  });
  const diff = diffPassages(previous, passages);
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  const sameEmbedding = JSON.stringify(previous?.manifest.embedding ?? null) === JSON.stringify(embedding);

  // A lexical-only reader can serve any index, so without a model an
  // unchanged corpus keeps the vectors a model-equipped build made.
  const sameLexical = previous?.manifest.lexical.format === LEXICAL_FORMAT_VERSION && previous.manifest.lexical.nearDuplicates === NEAR_DUPLICATE_FORMAT_VERSION;
  if (previous && previous.manifest.corpusFingerprint === fingerprint && (sameEmbedding || embedding === null) && sameLexical) {
    const kept = previous.manifest.embedding;
    // An interrupted build of a corpus since reverted left vectors nothing needs.
    if (embedding) await rm(checkpointFile(opts.indexDir, embedding), { force: true });
    return { ...diff, buildId: previous.buildId, unchanged: true, stories: corpus.stories.length, passages: passages.length, embedded: 0, reused: kept ? passages.length : 0, resumed: 0, dense: kept !== null, model: kept?.model ?? null, seconds: seconds(), warnings };
  }

  const checkpoint = embedding ? await openCheckpoint(opts.indexDir, embedding) : undefined;
  try {
    const { vectors, embedded, reused, resumed } = embedding && opts.embedder && checkpoint
      ? await embedAll(opts.embedder, passages, sameEmbedding ? previous : undefined, checkpoint, opts.checkpointEvery ?? 64, opts.onProgress, opts.signal)
      : { vectors: undefined, embedded: 0, reused: 0, resumed: 0 };
    if (vectors && opts.vectorFactory === undefined) throw new Error("buildIndex: an embedder needs a vectorFactory");
    const vectorIndex = vectors && embedding && opts.vectorFactory ? indexVectors(opts.vectorFactory, vectors, embedding.dimensions, passages.length) : undefined;
    opts.signal?.throwIfAborted();
    const lexical = await updateLexical(opts.segmenter, corpus.stories, passages, previous, warnings);
    const nearDuplicates = updateNearDuplicates(passages, previous);
    opts.signal?.throwIfAborted();

    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      builtAt: new Date().toISOString(),
      corpusFingerprint: fingerprint,
      stories: corpus.stories.length,
      passages: passages.length,
      embedding,
      lexical: { segmenter: SEGMENTER_ID, format: LEXICAL_FORMAT_VERSION, nearDuplicates: NEAR_DUPLICATE_FORMAT_VERSION },
    };
    const buildId = await writeIndex(
      opts.indexDir,
      {
        manifest,
        stories: corpus.stories,
        passages: passages.map(({ embedText: _unused, ...stored }) => stored),
        lexical,
        nearDuplicateBytes: encodeNearDuplicates(nearDuplicates),
        ...(vectors ? { vectors } : {}),
        ...(vectorIndex ? { vectorIndex } : {}),
      },
      opts.beforePublish ? { beforePublish: opts.beforePublish } : {},
    );
    await checkpoint?.remove();
    return { ...diff, buildId, unchanged: false, stories: corpus.stories.length, passages: passages.length, embedded, reused, resumed, dense: embedding !== null, model: embedding?.model ?? null, seconds: seconds(), warnings };
  } finally {
    await checkpoint?.close();
  }
}

function diffPassages(previous: StoredIndex | undefined, passages: readonly Passage[]) {
  const before = new Map((previous?.passages ?? []).map((p) => [p.key, p.hash]));
  const now = new Set(passages.map((p) => p.key));
  let added = 0;
  let changed = 0;
  for (const p of passages) {
    const old = before.get(p.key);
    if (old === undefined) added++;
    else if (old !== p.hash) changed++;
  }
  const removed = [...before.keys()].filter((k) => !now.has(k)).length;
  return { added, changed, removed };
}

/**
 * Fills one vector per passage: reused from the served build or from the
 * checkpoint of an interrupted build by content hash, the rest embedded in
 * slices that are appended to the checkpoint (and fsync'd) as they finish.
 */
async function embedAll(
  embedder: Embedder,
  passages: readonly Passage[],
  previous: StoredIndex | undefined,
  checkpoint: Checkpoint,
  every: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ vectors: Float32Array; embedded: number; reused: number; resumed: number }> {
  const dims = embedder.dimensions;
  const cache = new Map<string, Float32Array>();
  if (previous?.vectors) {
    previous.passages.forEach((p, i) => cache.set(p.hash, previous.vectors!.subarray(i * dims, (i + 1) * dims)));
  }
  const vectors = new Float32Array(passages.length * dims);
  const missing: number[] = [];
  let resumed = 0;
  passages.forEach((p, i) => {
    const hit = cache.get(p.hash);
    const saved = hit ? undefined : checkpoint.vectors.get(p.hash);
    if (hit) vectors.set(hit, i * dims);
    else if (saved) {
      vectors.set(saved, i * dims);
      resumed++;
    } else missing.push(i);
  });
  const unique = [...new Map(missing.map((i) => [passages[i]!.hash, i])).values()];
  const byHash = new Map<string, Float32Array>();
  for (let start = 0; start < unique.length; start += every) {
    signal?.throwIfAborted();
    const slice = unique.slice(start, start + every);
    const fresh = await embedder.embedPassages(
      slice.map((i) => passages[i]!.embedText),
      onProgress && ((done) => onProgress(start + done, unique.length)),
    );
    const entries = slice.map((i, j) => [passages[i]!.hash, fresh[j]!] as const);
    await checkpoint.append(entries);
    for (const [hash, vector] of entries) byHash.set(hash, vector);
  }
  for (const i of missing) vectors.set(byHash.get(passages[i]!.hash)!, i * dims);
  return { vectors, embedded: unique.length, reused: passages.length - missing.length, resumed };
}

function indexVectors(factory: VectorIndexFactory, vectors: Float32Array, dims: number, count: number) {
  const index = factory.create(dims, Math.max(count, 1));
  for (let i = 0; i < count; i++) index.add(vectors.subarray(i * dims, (i + 1) * dims));
  return index;
}

/**
 * Updates the previous BM25 index in place: drops removed or changed
 * passages, adds new ones. A previous index in another format (or made with
 * another segmenter) is rebuilt from the passages, keeping the vectors.
 */
async function updateLexical(segmenter: Segmenter, stories: readonly Story[], passages: readonly Passage[], previous: StoredIndex | undefined, warnings: string[]): Promise<LexicalIndex> {
  const titles = new Map(stories.map((s) => [s.id, s.title]));
  let lexical: LexicalIndex | undefined;
  if (previous?.manifest.lexical.segmenter === SEGMENTER_ID) {
    try {
      lexical = await loadLexical(previous.lexicalFile, segmenter);
    } catch (error) {
      warnings.push(`previous lexical index rebuilt from the passages: ${(error as Error).message}`);
    }
  }
  const before = new Map(lexical && previous ? previous.passages.map((p) => [p.key, p.hash]) : []);
  const current = new Map(passages.map((p) => [p.key, p.hash]));
  if (lexical && previous) lexical.remove(previous.passages.filter((p) => current.get(p.key) !== p.hash));
  lexical ??= createLexicalIndex(segmenter);
  lexical.add(
    passages
      .filter((p) => before.get(p.key) !== p.hash)
      .map((p) => ({ key: p.key, title: titles.get(p.storyId) ?? "", text: p.text })),
  );
  return lexical;
}

/**
 * Near-duplicate groups over every passage, reusing the signatures of
 * passages whose text is unchanged; when passages were only added, the old
 * groups stand and only the new passages are compared.
 */
function updateNearDuplicates(passages: readonly Passage[], previous: StoredIndex | undefined): NearDuplicates {
  let old: NearDuplicates | undefined;
  try {
    if (previous?.nearDuplicateBytes) old = decodeNearDuplicates(previous.nearDuplicateBytes, previous.passages.length);
  } catch {
    old = undefined;
  }
  const current = new Set(passages.map((p) => p.hash));
  const onlyAdded = previous !== undefined && previous.passages.every((p) => current.has(p.hash));
  const byHash = new Map(old && previous ? previous.passages.map((p, i) => [p.hash, { signature: signatureOf(old!, i), ...(onlyAdded ? { group: old!.groups[i]! } : {}) }]) : []);
  return findNearDuplicates(
    passages.map((p) => p.text),
    (i) => byHash.get(passages[i]!.hash),
  );
}
