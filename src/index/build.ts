import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { loadCorpus } from "../corpus/load.js";
import type { Story } from "../corpus/story.js";
import type { Embedder } from "../embed/embedder.js";
import { CorpusRejectedError, IndexError } from "../errors.js";
import { type Passage, toPassages, MAX_EMBED_CHARS } from "../passages.js";
import { createLexicalIndex, LEXICAL_FORMAT_VERSION, type LexicalIndex, loadLexicalIndex } from "../search/lexical.js";
import { decodeNearDuplicates, encodeNearDuplicates, findNearDuplicates, NEAR_DUPLICATE_FORMAT_VERSION, type NearDuplicates, signatureOf } from "../search/near-duplicates.js";
import type { Segmenter } from "../search/segment.js";
import { INDEX_FORMAT_VERSION, type Manifest } from "./manifest.js";
import { withBuildLock } from "./lock.js";
import { readIndex, type StoredIndex, writeIndex } from "./store.js";
import type { VectorIndexFactory } from "./vector-index.js";

const SEGMENTER_ID = "jieba-cut-for-search/1";

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
}

/** What a build did, for the admin who ran it. */
export interface BuildReport {
  readonly buildId: string;
  readonly unchanged: boolean;
  readonly stories: number;
  readonly passages: number;
  readonly embedded: number;
  readonly reused: number;
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
  await mkdir(opts.indexDir, { recursive: true });
  return withBuildLock(opts.indexDir, () => build(opts));
}

async function build(opts: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const corpus = await loadCorpus(opts.corpusDir);
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
    return { ...diff, buildId: previous.buildId, unchanged: true, stories: corpus.stories.length, passages: passages.length, embedded: 0, reused: kept ? passages.length : 0, dense: kept !== null, model: kept?.model ?? null, seconds: seconds(), warnings };
  }

  const { vectors, embedded, reused } = embedding && opts.embedder
    ? await embedAll(opts.embedder, passages, sameEmbedding ? previous : undefined, opts.onProgress)
    : { vectors: undefined, embedded: 0, reused: 0 };
  if (vectors && opts.vectorFactory === undefined) throw new Error("buildIndex: an embedder needs a vectorFactory");
  const vectorIndex = vectors && embedding && opts.vectorFactory ? indexVectors(opts.vectorFactory, vectors, embedding.dimensions, passages.length) : undefined;
  const lexical = updateLexical(opts.segmenter, corpus.stories, passages, previous, warnings);
  const nearDuplicates = updateNearDuplicates(passages, previous);

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
      lexicalBytes: Buffer.concat(lexical.toChunks()),
      nearDuplicateBytes: encodeNearDuplicates(nearDuplicates),
      ...(vectors ? { vectors } : {}),
      ...(vectorIndex ? { vectorIndex } : {}),
    },
    opts.beforePublish ? { beforePublish: opts.beforePublish } : {},
  );
  return { ...diff, buildId, unchanged: false, stories: corpus.stories.length, passages: passages.length, embedded, reused, dense: embedding !== null, model: embedding?.model ?? null, seconds: seconds(), warnings };
}

/** Files and the passage-splitting rule decide the content; the order of files does not. */
function corpusFingerprint(files: readonly { file: string; sha256: string }[]): string {
  const hash = createHash("sha256").update(`format ${INDEX_FORMAT_VERSION} chars ${MAX_EMBED_CHARS}\n`);
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) hash.update(`${f.file}\t${f.sha256}\n`);
  return hash.digest("hex");
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

async function embedAll(
  embedder: Embedder,
  passages: readonly Passage[],
  previous: StoredIndex | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ vectors: Float32Array; embedded: number; reused: number }> {
  const dims = embedder.dimensions;
  const cache = new Map<string, Float32Array>();
  if (previous?.vectors) {
    previous.passages.forEach((p, i) => cache.set(p.hash, previous.vectors!.subarray(i * dims, (i + 1) * dims)));
  }
  const vectors = new Float32Array(passages.length * dims);
  const missing: number[] = [];
  passages.forEach((p, i) => {
    const hit = cache.get(p.hash);
    if (hit) vectors.set(hit, i * dims);
    else missing.push(i);
  });
  const unique = [...new Map(missing.map((i) => [passages[i]!.hash, i])).values()];
  const fresh = await embedder.embedPassages(unique.map((i) => passages[i]!.embedText), onProgress);
  const byHash = new Map(unique.map((i, j) => [passages[i]!.hash, fresh[j]!]));
  for (const i of missing) vectors.set(byHash.get(passages[i]!.hash)!, i * dims);
  return { vectors, embedded: unique.length, reused: passages.length - missing.length };
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
function updateLexical(segmenter: Segmenter, stories: readonly Story[], passages: readonly Passage[], previous: StoredIndex | undefined, warnings: string[]): LexicalIndex {
  const titles = new Map(stories.map((s) => [s.id, s.title]));
  let lexical: LexicalIndex | undefined;
  if (previous?.manifest.lexical.segmenter === SEGMENTER_ID) {
    try {
      lexical = loadLexicalIndex(segmenter, previous.lexicalBytes);
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
