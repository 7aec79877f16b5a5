import { createHash } from "node:crypto";
import type { Story } from "../corpus/story.js";
import { lockKey } from "../db/migrate.js";
import { type Pool, type PoolClient, query, withTransaction } from "../db/postgres.js";
import type { Embedder } from "../embed/embedder.js";
import { DatabaseError } from "../errors.js";
import type { Passage } from "../passages.js";
import type { Segmenter } from "../search/segment.js";
import { type BuildReport, SEGMENTER_ID } from "./build.js";
import { corpusFingerprint } from "./fingerprint.js";
import type { StoreBuildOptions } from "./index-store.js";
import { layOutSources, type PostgresLayout, readSources, writeSources } from "./postgres-sources.js";
import { scanCorpus } from "./scan.js";
import { INDEX_FORMAT_VERSION, type Manifest, parseManifest } from "./manifest.js";

/** Rows sent in one INSERT: large enough to be quick, small enough for any server's parameter limit. */
const INSERT_BATCH = 500;

/** pgvector's text form of a vector. */
export function vectorLiteral(v: Float32Array): string {
  return `[${Array.from(v).join(",")}]`;
}

/**
 * Builds into PostgreSQL. Everything slow (parsing, embedding, segmenting)
 * happens before the transaction; the transaction then closes the rows of
 * changed and removed passages, inserts those of new and changed ones,
 * updates the stories whose content or place changed, records the corpus
 * files (`index_sources`), publishes the new build id and prunes rows no
 * served build needs, all at once: readers see the old build or the new
 * one. Only new and changed corpus files are parsed, and only the stored
 * rows of their stories (and of the stories removed files held) are read
 * and compared: adding a story to a large corpus costs what the story and
 * its file cost, not the corpus. Vectors are reused by content hash from
 * the rows already stored. Unlike the folder store there is no embedding
 * checkpoint: a build stopped midway embeds its passages again next time.
 */
export async function buildInPostgres(pool: Pool, server: string, opts: StoreBuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  opts.signal?.throwIfAborted();
  const embedding = opts.embedder ? { model: opts.embedder.modelId, dtype: opts.dtype ?? "fp32", dimensions: opts.embedder.dimensions } : null;
  // The published build and its files' records, in one snapshot.
  const { before, recorded } = await withTransaction(
    pool,
    async (client) => {
      const published = await readPublished(client);
      return { before: published, recorded: published?.sourcesRecorded ? await readSources(client) : undefined };
    },
    { isolation: "repeatable read", readOnly: true },
  );
  const sameEmbedding = JSON.stringify(before?.manifest.embedding ?? null) === JSON.stringify(embedding);
  // Another model, dimension or dtype (or a lexical-only build after a dense one) rewrites every row.
  const rewriteAll = before !== undefined && (!sameEmbedding || before.manifest.lexical.segmenter !== SEGMENTER_ID);
  const carried = rewriteAll ? undefined : recorded;
  const corpus = await scanCorpus(opts, carried, before?.manifest.builtAt);
  const warnings = [...corpus.warnings];
  const layout = layOutSources(corpus.files, carried);
  const fingerprint = corpusFingerprint(corpus.files);
  const report = { parsed: layout.parsedFiles, stories: layout.stories, passages: layout.passages, resumed: 0, warnings };
  if (before && recorded && before.manifest.corpusFingerprint === fingerprint && (sameEmbedding || embedding === null) && before.manifest.lexical.segmenter === SEGMENTER_ID) {
    const kept = before.manifest.embedding;
    return { ...report, added: 0, changed: 0, removed: 0, buildId: before.buildId, unchanged: true, embedded: 0, reused: kept ? layout.passages : 0, dense: kept !== null, model: kept?.model ?? null, seconds: seconds() };
  }

  const live = before ? await liveHashes(pool, layout.affected) : new Map<string, string>();
  const passages = layout.parsedPassages;
  const diff = diffPassages(live, passages);
  const fresh = passages.filter((p) => rewriteAll || live.get(p.key) !== p.hash);
  const current = new Set(passages.map((p) => `${p.key}\u0000${p.hash}`));
  const retire = rewriteAll ? [...live.keys()] : [...live].filter(([key, hash]) => !current.has(`${key}\u0000${hash}`)).map(([key]) => key);

  const { vectors, embedded, reused } = opts.embedder && sameEmbedding
    ? await embedFresh(pool, opts.embedder, fresh, layout.passages, opts.onProgress, opts.signal)
    : opts.embedder
      ? await embedFresh(undefined, opts.embedder, fresh, layout.passages, opts.onProgress, opts.signal)
      : { vectors: new Map<string, Float32Array>(), embedded: 0, reused: 0 };
  const titles = new Map(layout.parsedStories.map(({ story }) => [story.id, story.title]));
  const rows = fresh.map((p) => ({ p, title: words(opts.segmenter, titles.get(p.storyId) ?? "", p.storyId), text: opts.segmenter.words(p.text).join(" "), vector: vectors.get(p.hash) }));
  const stories = await changedStories(pool, layout);
  opts.signal?.throwIfAborted();

  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    corpusFingerprint: fingerprint,
    stories: layout.stories,
    passages: layout.passages,
    embedding,
    lexical: { segmenter: SEGMENTER_ID },
  };
  const buildId = await withTransaction(pool, async (client) => {
    // One build at a time across instances; the loser then sees the winner's build as "before" changed.
    await query(client, "select pg_advisory_xact_lock($1)", [lockKey("index-build")]);
    const now = await currentId(client);
    if (now !== before?.buildId) throw new DatabaseError(server, `another build (${now ?? "none"}) was published while this one ran; run the rebuild again`);
    if (embedding) await ensureHnsw(client, embedding.dimensions);
    const { rows: made } = await query<{ id: string }>(client, "insert into index_builds (manifest, sources) values ($1, true) returning id", [JSON.stringify(manifest)]);
    const id = made[0]!.id;
    if (retire.length > 0) await query(client, "update index_passages set last_build = $1 where last_build is null and key = any($2::text[])", [id, retire]);
    for (let i = 0; i < rows.length; i += INSERT_BATCH) await insertPassages(client, id, rows.slice(i, i + INSERT_BATCH));
    if (stories.removed.length > 0) await query(client, "delete from index_stories where id = any($1::text[])", [stories.removed]);
    for (let i = 0; i < stories.upsert.length; i += INSERT_BATCH) await upsertStories(client, stories.upsert.slice(i, i + INSERT_BATCH));
    // A story added before others moves them: only their place is rewritten.
    if (stories.moved.length > 0) await query(client, "update index_stories s set position = u.p from unnest($1::text[], $2::int[]) as u(i, p) where s.id = u.i", [stories.moved.map((m) => m.id), stories.moved.map((m) => m.position)]);
    await writeSources(client, layout.sources);
    await query(client, "insert into index_current (one, build_id) values (true, $1) on conflict (one) do update set build_id = excluded.build_id", [id]);
    // The build just replaced stays searchable (an instance may still serve it); anything older goes.
    if (before) {
      await query(client, "delete from index_passages where last_build is not null and last_build <= $1", [before.buildId]);
      await query(client, "delete from index_builds where id < $1", [before.buildId]);
    }
    return id;
  });
  return { ...report, ...diff, buildId, unchanged: false, embedded, reused, dense: embedding !== null, model: embedding?.model ?? null, seconds: seconds() };
}

/** The title's words, segmented once per story. */
const titleMemo = new WeakMap<Segmenter, Map<string, string>>();
function words(segmenter: Segmenter, title: string, storyId: string): string {
  let memo = titleMemo.get(segmenter);
  if (memo === undefined) titleMemo.set(segmenter, (memo = new Map()));
  if (memo.size > 10_000) memo.clear();
  const k = `${storyId}\u0000${title}`;
  let w = memo.get(k);
  if (w === undefined) memo.set(k, (w = segmenter.words(title).join(" ")));
  return w;
}

export interface Published {
  readonly buildId: string;
  readonly manifest: Manifest;
  /** Whether the build recorded its corpus files (`index_sources`); builds before schema version 3 did not. */
  readonly sourcesRecorded: boolean;
}

/** The published build and its manifest, or undefined before the first build. */
export async function readPublished(db: Pool | PoolClient): Promise<Published | undefined> {
  const { rows } = await query<{ id: string; manifest: unknown; sources: boolean }>(db, "select b.id, b.manifest, b.sources from index_current c join index_builds b on b.id = c.build_id");
  const row = rows[0];
  if (row === undefined) return undefined;
  const manifest = parseManifest(JSON.stringify(row.manifest));
  if (typeof manifest === "string") throw new Error(`build ${row.id}: ${manifest}`);
  return { buildId: row.id, manifest, sourcesRecorded: row.sources };
}

async function currentId(db: Pool | PoolClient): Promise<string | undefined> {
  const { rows } = await query<{ build_id: string }>(db, "select build_id from index_current");
  return rows[0]?.build_id;
}

/** Live passages' hashes by key: of the given stories' passages, or of every passage. */
async function liveHashes(pool: Pool, storyIds: readonly string[] | undefined): Promise<Map<string, string>> {
  const { rows } =
    storyIds === undefined
      ? await query<{ key: string; hash: string }>(pool, "select key, hash from index_passages where last_build is null")
      : storyIds.length === 0
        ? { rows: [] }
        : await query<{ key: string; hash: string }>(pool, "select key, hash from index_passages where last_build is null and story_id = any($1::text[])", [storyIds]);
  return new Map(rows.map((r) => [r.key, r.hash]));
}

function diffPassages(before: ReadonlyMap<string, string>, passages: readonly Passage[]) {
  let added = 0;
  let changed = 0;
  const now = new Set<string>();
  for (const p of passages) {
    now.add(p.key);
    const old = before.get(p.key);
    if (old === undefined) added++;
    else if (old !== p.hash) changed++;
  }
  let removed = 0;
  for (const k of before.keys()) if (!now.has(k)) removed++;
  return { added, changed, removed };
}

/** Vectors for the passages to insert: stored ones by content hash (same model), the rest embedded. */
async function embedFresh(
  pool: Pool | undefined,
  embedder: Embedder,
  fresh: readonly Passage[],
  total: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ vectors: Map<string, Float32Array>; embedded: number; reused: number }> {
  const vectors = new Map<string, Float32Array>();
  const hashes = [...new Set(fresh.map((p) => p.hash))];
  if (pool && hashes.length > 0) {
    const { rows } = await query<{ hash: string; v: string }>(pool, "select distinct on (hash) hash, embedding::text as v from index_passages where embedding is not null and hash = any($1::text[])", [hashes]);
    for (const r of rows) vectors.set(r.hash, Float32Array.from(JSON.parse(r.v) as number[]));
  }
  const missing = [...new Map(fresh.filter((p) => !vectors.has(p.hash)).map((p) => [p.hash, p])).values()];
  const every = 64;
  for (let start = 0; start < missing.length; start += every) {
    signal?.throwIfAborted();
    const slice = missing.slice(start, start + every);
    const out = await embedder.embedPassages(slice.map((p) => p.embedText), onProgress && ((done) => onProgress(start + done, missing.length)));
    slice.forEach((p, j) => vectors.set(p.hash, out[j]!));
  }
  return { vectors, embedded: missing.length, reused: total - fresh.length + (fresh.length - missing.length) };
}

async function ensureHnsw(client: PoolClient, dims: number): Promise<void> {
  if (!Number.isInteger(dims) || dims <= 0 || dims > 16_000) throw new Error(`bad vector dimension ${dims}`);
  // m 16 / ef_construction 200: the folder store's hnswlib parameters, so both graphs are alike.
  await query(
    client,
    `create index if not exists index_passages_hnsw_${dims} on index_passages using hnsw ((embedding::vector(${dims})) vector_ip_ops) with (m = 16, ef_construction = 200) where vector_dims(embedding) = ${dims}`,
  );
}

type Row = { p: Passage; title: string; text: string; vector: Float32Array | undefined };

async function insertPassages(client: PoolClient, build: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await query(
    client,
    `insert into index_passages (key, story_id, paragraph, part, text, hash, title_words, text_words, embedding, first_build)
     select k, s, pa, pt, t, h, tw, xw, e::vector, $10 from unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) as u(k, s, pa, pt, t, h, tw, xw, e)`,
    [
      rows.map((r) => r.p.key),
      rows.map((r) => r.p.storyId),
      rows.map((r) => r.p.paragraph),
      rows.map((r) => r.p.part),
      rows.map((r) => r.p.text),
      rows.map((r) => r.p.hash),
      rows.map((r) => r.title),
      rows.map((r) => r.text),
      rows.map((r) => (r.vector ? vectorLiteral(r.vector) : null)),
      build,
    ],
  );
}

/**
 * Stories whose content or place in the corpus changed, and those gone:
 * only they are written. Only the stored rows of `affected` stories are
 * read (all of them when nothing was carried); carried files' stories that
 * moved come from the layout.
 */
async function changedStories(pool: Pool, layout: PostgresLayout): Promise<{ upsert: { story: Story; position: number; digest: string }[]; moved: { id: string; position: number }[]; removed: string[] }> {
  const { rows } =
    layout.affected === undefined
      ? await query<{ id: string; position: number; digest: string }>(pool, "select id, position, digest from index_stories")
      : layout.affected.length === 0
        ? { rows: [] }
        : await query<{ id: string; position: number; digest: string }>(pool, "select id, position, digest from index_stories where id = any($1::text[])", [layout.affected]);
  const stored = new Map(rows.map((r) => [r.id, r]));
  const upsert: { story: Story; position: number; digest: string }[] = [];
  const moved: { id: string; position: number }[] = [...layout.carriedMoves];
  for (const { story, position } of layout.parsedStories) {
    const digest = createHash("sha256").update(JSON.stringify(story)).digest("hex");
    const old = stored.get(story.id);
    if (old === undefined || old.digest !== digest) upsert.push({ story, position, digest });
    else if (old.position !== position) moved.push({ id: story.id, position });
  }
  return { upsert, moved, removed: rows.filter((r) => !layout.ids.has(r.id)).map((r) => r.id) };
}

async function upsertStories(client: PoolClient, stories: readonly { story: Story; position: number; digest: string }[]): Promise<void> {
  await query(
    client,
    `insert into index_stories (id, position, digest, story)
     select i, p, d, s::jsonb from unnest($1::text[], $2::int[], $3::text[], $4::text[]) as u(i, p, d, s)
     on conflict (id) do update set position = excluded.position, digest = excluded.digest, story = excluded.story`,
    [stories.map((s) => s.story.id), stories.map((s) => s.position), stories.map((s) => s.digest), stories.map((s) => JSON.stringify(s.story))],
  );
}
