import type { Migration } from "../db/migrate.js";
import { query } from "../db/postgres.js";

/**
 * The index's tables in PostgreSQL (migration component `index`).
 *
 * Passages are versioned rows: a row is part of every build from
 * `first_build` up to (not including) `last_build`. A rebuild inserts the
 * rows of new and changed passages and closes those of changed and removed
 * ones, so it writes only what changed, and a reader that loaded build B
 * keeps searching exactly B (its queries filter on B) while B+1 is
 * published. Rows no build still served needs are pruned.
 *
 * Lexical search uses pg_textsearch's `bm25` indexes over words jieba cut at
 * build time (joined by spaces, `simple` configuration), one for the title
 * and one for the paragraph, as the in-memory BM25 has two fields. Without
 * pg_textsearch (it needs PostgreSQL 17+) GIN indexes over `tsvector`s serve
 * instead, ranked by ts_rank_cd: a weaker ranking, warned about at start.
 * HNSW indexes (inner product) are made per embedding dimension on first use.
 *
 * `index_sources` records, for the published build, each corpus file's
 * fingerprint (hash, size, modification time), the ids of the stories it
 * gave (in order), its passage count, its parser warnings and where its
 * stories start in corpus order, as the folder store's `sources.json` does:
 * a rebuild parses only new and changed files and touches only the rows of
 * their stories. `index_builds.sources` says a build recorded them (builds
 * made before version 3 did not: the next build then parses every file).
 */
export const INDEX_COMPONENT = "index";

export const TEXT_BM25 = "index_passages_text_bm25";
export const TITLE_BM25 = "index_passages_title_bm25";

export const INDEX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "builds, stories and versioned passages",
    up: `
      create extension if not exists vector;
      create table index_builds (
        id bigint generated always as identity primary key,
        built_at timestamptz not null default now(),
        manifest jsonb not null
      );
      create table index_current (
        one boolean primary key default true check (one),
        build_id bigint not null
      );
      create table index_stories (
        id text primary key,
        position int not null,
        digest text not null,
        story jsonb not null
      );
      create table index_passages (
        id bigint generated always as identity primary key,
        key text not null,
        story_id text not null,
        paragraph int not null,
        part int not null,
        text text not null,
        hash text not null,
        title_words text not null,
        text_words text not null,
        embedding vector,
        first_build bigint not null,
        last_build bigint
      );
      create unique index index_passages_live_key on index_passages (key) where last_build is null;
      create index index_passages_hash on index_passages (hash);
      create index index_passages_last_build on index_passages (last_build);
    `,
  },
  {
    version: 2,
    name: "lexical indexes: pg_textsearch bm25, or tsvector GIN without it",
    up: async (client) => {
      const { rows } = await query(client, "select 1 from pg_available_extensions where name = 'pg_textsearch'");
      if (rows.length > 0) {
        await query(client, "create extension if not exists pg_textsearch");
        await query(client, `create index ${TEXT_BM25} on index_passages using bm25 (text_words) with (text_config = 'simple')`);
        await query(client, `create index ${TITLE_BM25} on index_passages using bm25 (title_words) with (text_config = 'simple')`);
      } else {
        await query(client, "create index index_passages_text_tsv on index_passages using gin (to_tsvector('simple', text_words))");
        await query(client, "create index index_passages_title_tsv on index_passages using gin (to_tsvector('simple', title_words))");
      }
    },
  },
  {
    version: 3,
    name: "corpus files of the published build, so rebuilds parse only changed files",
    up: `
      alter table index_builds add column sources boolean not null default false;
      create table index_sources (
        file text primary key,
        sha256 text not null,
        bytes bigint,
        mtime_ms double precision,
        story_ids text[] not null,
        passages int not null,
        warnings text[] not null,
        first_story int not null
      );
      create index index_passages_live_story on index_passages (story_id) where last_build is null;
    `,
  },
];
