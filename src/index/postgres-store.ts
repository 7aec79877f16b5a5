import { passageListOf } from "../passages.js";
import type { Story } from "../corpus/story.js";
import { migrate } from "../db/migrate.js";
import { type Pool, type PoolClient, query, serverOf, withTransaction } from "../db/postgres.js";
import { DatabaseError, IndexError } from "../errors.js";
import { createFieldScorer, type FieldScorer } from "../search/bm25-rescore.js";
import { createLexicalIndex, type LexicalHit, type LexicalIndex } from "../search/lexical.js";
import { findNearDuplicates } from "../search/near-duplicates.js";
import type { Segmenter } from "../search/segment.js";
import type { IndexStore, LexicalSearcher, ServedIndex, VectorSearcher } from "./index-store.js";
import { buildInPostgres, readPublished, vectorLiteral } from "./postgres-build.js";
import { INDEX_COMPONENT, INDEX_MIGRATIONS, TEXT_BM25, TITLE_BM25 } from "./postgres-schema.js";
import type { StoredPassage } from "./store.js";
import type { VectorHit } from "./vector-index.js";
import { pollBuildId } from "./watch.js";

export interface PostgresStoreOptions {
  readonly pool: Pool;
  /** End the pool on close (the store made it). */
  readonly ownsPool?: boolean;
  /** After a failed query, questions are answered from memory for this long before the database is tried again. */
  readonly retryAfterMs?: number;
}

/** Fallback ranking where pg_textsearch is missing: a startup notice says so. */
export const TSVECTOR_FALLBACK_NOTICE =
  "⚠ WARNING: the database has no pg_textsearch (BM25, PostgreSQL 17+): lexical candidates come from PostgreSQL's built-in full text search (GIN, ts_rank_cd), which scans every passage holding a word and may miss some BM25 would find. Install pg_textsearch and recreate the index tables for BM25.";

const LIVE = "first_build <= $2 and (last_build is null or last_build > $2)";

/**
 * The index in PostgreSQL: stories and versioned passage rows (see
 * `postgres-schema.ts`), vectors in pgvector's HNSW, BM25 in pg_textsearch.
 * A served build keeps the stories and passages in memory (the engine cites
 * them) with the words stored for each, and per-field word statistics: the
 * database's indexes find candidates (HNSW; BM25 per field), and lexical
 * candidates are ranked here with the folder store's exact two-field BM25,
 * which also gives evidence its idf. When a
 * search query fails (the database is down), the lexical ranking is answered
 * from memory, built once from the words stored with each passage, and dense
 * search contributes nothing until the database is back.
 */
export function createPostgresStore(opts: PostgresStoreOptions): IndexStore {
  const { pool } = opts;
  const where = serverOf(pool);
  let migrated: Promise<unknown> | undefined;
  const ready = async () => {
    migrated ??= migrate(pool, INDEX_COMPONENT, INDEX_MIGRATIONS).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    await migrated;
  };
  return {
    kind: "postgres",
    where,
    async currentBuildId() {
      await ready();
      return (await readPublished(pool))?.buildId;
    },
    async readManifest() {
      await ready();
      return (await readPublished(pool))?.manifest;
    },
    async build(buildOpts) {
      await ready();
      return buildInPostgres(pool, where, buildOpts);
    },
    watch: (onBuild, everyMs = 5_000) =>
      pollBuildId(async () => (await query<{ build_id: string }>(pool, "select build_id from index_current")).rows[0]?.build_id, onBuild, everyMs),
    async close() {
      if (opts.ownsPool) await pool.end();
    },
    async load(loadOpts) {
      await ready();
      const snapshot = await withTransaction(pool, (client) => readSnapshot(client, where), { isolation: "repeatable read", readOnly: true });
      if (snapshot === undefined) return undefined;
      return serve(pool, snapshot, loadOpts.segmenter, opts.retryAfterMs ?? 10_000);
    },
  };
}

interface Snapshot {
  readonly buildId: string;
  readonly manifest: NonNullable<Awaited<ReturnType<typeof readPublished>>>["manifest"];
  readonly stories: Story[];
  readonly passages: StoredPassage[];
  readonly titleWords: string[];
  readonly textWords: string[];
  readonly lexicalKind: "bm25" | "tsvector";
}

/** One build, read in one repeatable-read snapshot: a build published meanwhile is not mixed in. */
async function readSnapshot(client: PoolClient, where: string): Promise<Snapshot | undefined> {
  const published = await readPublished(client);
  if (published === undefined) return undefined;
  const { buildId, manifest } = published;
  const stories = (await query<{ story: Story }>(client, "select story from index_stories order by position")).rows.map((r) => r.story);
  const { rows } = await query<{ key: string; story_id: string; paragraph: number; part: number; text: string; hash: string; title_words: string; text_words: string }>(
    client,
    `select p.key, p.story_id, p.paragraph, p.part, p.text, p.hash, p.title_words, p.text_words
     from index_passages p join index_stories s on s.id = p.story_id
     where p.first_build <= $1 and (p.last_build is null or p.last_build > $1)
     order by s.position, p.paragraph, p.part`,
    [buildId],
  );
  if (rows.length !== manifest.passages || stories.length !== manifest.stories) {
    throw new IndexError(where, `build ${buildId} holds ${rows.length} passages and ${stories.length} stories, its manifest says ${manifest.passages} and ${manifest.stories}; rebuild with npm run build-index`);
  }
  const bm25 = await query(client, "select 1 from pg_indexes where indexname = $1", [TEXT_BM25]);
  return {
    buildId,
    manifest,
    stories,
    passages: rows.map((r) => ({ key: r.key, storyId: r.story_id, paragraph: r.paragraph, part: r.part, text: r.text, hash: r.hash })),
    titleWords: rows.map((r) => r.title_words),
    textWords: rows.map((r) => r.text_words),
    lexicalKind: bm25.rowCount ? "bm25" : "tsvector",
  };
}

function serve(pool: Pool, snap: Snapshot, segmenter: Segmenter, retryAfterMs: number): ServedIndex {
  const { buildId, passages } = snap;
  const labelOf = new Map(passages.map((p, i) => [p.key, i]));
  const scorer = createFieldScorer(snap.titleWords, snap.textWords);
  const groups = findNearDuplicates(passages.map((p) => p.text)).groups;
  let downUntil = 0;
  let memory: LexicalIndex | undefined;
  /** Runs a search in the database unless it failed a moment ago; undefined means "answer without it". */
  const tryDb = async <T>(run: () => Promise<T>): Promise<T | undefined> => {
    if (Date.now() < downUntil) return undefined;
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
      downUntil = Date.now() + retryAfterMs;
      return undefined;
    }
  };
  const lexical: LexicalSearcher = {
    async search(question, k) {
      const terms = [...new Set(segmenter.words(question))];
      if (terms.length === 0) return [];
      const fetch = Math.max(200, 4 * k);
      const keys = await tryDb(() => (snap.lexicalKind === "bm25" ? candidatesBm25(pool, terms, buildId, fetch) : candidatesTsvector(pool, terms, buildId, fetch)));
      if (keys !== undefined) return rescore(scorer, new Set(terms), keys, labelOf, passages, k);
      memory ??= memoryLexical(segmenter, snap);
      return memory.search(question, k);
    },
  };
  const dims = snap.manifest.embedding?.dimensions;
  const vectors: VectorSearcher | undefined =
    dims === undefined
      ? undefined
      : {
          async search(q, k) {
            const hits = await tryDb(() => searchVectors(pool, q, dims, buildId, k));
            return (hits ?? []).flatMap((h) => {
              const label = labelOf.get(h.key);
              return label === undefined ? [] : [{ label, score: h.score } satisfies VectorHit];
            });
          },
        };
  return {
    buildId,
    manifest: snap.manifest,
    stories: snap.stories,
    passages: passageListOf(passages),
    lexical,
    idf: (word) => scorer.idf(word),
    vectors,
    nearDuplicateGroup: (i) => groups[i]!,
    notices: snap.lexicalKind === "tsvector" ? [TSVECTOR_FALLBACK_NOTICE] : [],
  };
}

/** The in-memory BM25 over the words stored with each passage (no segmentation needed): the fallback while the database is down. */
function memoryLexical(segmenter: Segmenter, snap: Snapshot): LexicalIndex {
  const titles = new Map(snap.stories.map((s) => [s.id, s.title]));
  const known = new Map<string, string[]>();
  snap.passages.forEach((p, i) => {
    known.set(p.text, snap.textWords[i] === "" ? [] : snap.textWords[i]!.split(" "));
    const title = titles.get(p.storyId) ?? "";
    if (!known.has(title)) known.set(title, snap.titleWords[i] === "" ? [] : snap.titleWords[i]!.split(" "));
  });
  const stored: Segmenter = { words: (text) => known.get(text) ?? segmenter.words(text), tagged: (text) => segmenter.tagged(text) };
  const index = createLexicalIndex(stored);
  index.add(snap.passages.map((p) => ({ key: p.key, title: titles.get(p.storyId) ?? "", text: p.text })));
  return index;
}

/**
 * Ranks the database's candidates with the in-memory index's two-field BM25
 * (same statistics, same ties: by score, then corpus order), so the stores
 * differ only where a passage of the true top k was in neither candidate list.
 */
function rescore(scorer: FieldScorer, words: ReadonlySet<string>, keys: readonly string[], labelOf: ReadonlyMap<string, number>, passages: readonly StoredPassage[], k: number): LexicalHit[] {
  const scored: { i: number; s: number }[] = [];
  for (const key of new Set(keys)) {
    const i = labelOf.get(key);
    if (i === undefined) continue;
    const s = scorer.score(words, i);
    if (s > 0) scored.push({ i, s });
  }
  // Summation order differs from the in-memory index's in the last bits: compare at 12 significant digits.
  const key = (s: number) => Number(s.toPrecision(12));
  scored.sort((a, b) => key(b.s) - key(a.s) || a.i - b.i);
  // No slots in a database: the retriever finds each hit's passage by key.
  return scored.slice(0, k).map(({ i, s }) => ({ key: passages[i]!.key, slot: -1, score: s }));
}

/**
 * Candidates from pg_textsearch: the best `fetch` passages of this build by
 * BM25 on the text field and on the title field (each an index scan).
 */
async function candidatesBm25(pool: Pool, terms: readonly string[], buildId: string, fetch: number): Promise<string[]> {
  const { rows } = await query<{ key: string }>(
    pool,
    `(select key from index_passages where ${LIVE} order by text_words <@> to_bm25query($1, '${TEXT_BM25}') limit $3)
     union all
     (select key from index_passages where ${LIVE} order by title_words <@> to_bm25query($1, '${TITLE_BM25}') limit $3)`,
    [terms.join(" "), buildId, fetch],
  );
  return rows.map((r) => r.key);
}

/** Without pg_textsearch: passages holding any of the words, the best `fetch` by ts_rank_cd over both fields. */
async function candidatesTsvector(pool: Pool, terms: readonly string[], buildId: string, fetch: number): Promise<string[]> {
  const q = terms.map((t) => `"${t.replace(/"/g, "")}"`).join(" or ");
  const { rows } = await query<{ key: string }>(
    pool,
    `with q as (select websearch_to_tsquery('simple', $1) as q)
     select p.key from index_passages p, q
     where ${LIVE} and (to_tsvector('simple', p.text_words) @@ q.q or to_tsvector('simple', p.title_words) @@ q.q)
     order by ts_rank_cd(to_tsvector('simple', p.text_words), q.q) + ts_rank_cd(to_tsvector('simple', p.title_words), q.q) desc, p.id limit $3`,
    [q, buildId, fetch],
  );
  return rows.map((r) => r.key);
}

/**
 * HNSW search for this build's rows. ef_search is raised to the candidate
 * pool (at least 100, like the folder store's graph) and scans continue past
 * rows of other builds in strict order (pgvector 0.8's iterative scans), in
 * a transaction so the settings stay local to this query.
 */
async function searchVectors(pool: Pool, q: Float32Array, dims: number, buildId: string, k: number): Promise<{ key: string; score: number }[]> {
  const v = `$1::vector(${dims})`;
  return withTransaction(pool, async (client) => {
    await query(client, `set local hnsw.ef_search = ${Math.max(100, Math.min(1000, Math.ceil(k)))}`);
    await query(client, "set local hnsw.iterative_scan = strict_order");
    const { rows } = await query<{ key: string; score: number }>(
      client,
      `select key, -(embedding::vector(${dims}) <#> ${v}) as score from index_passages
       where vector_dims(embedding) = ${dims} and ${LIVE}
       order by embedding::vector(${dims}) <#> ${v} limit $3`,
      [vectorLiteral(q), buildId, k],
    );
    return rows.map((r) => ({ key: r.key, score: Number(r.score) }));
  });
}

