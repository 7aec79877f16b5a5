import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CmsRecord, distractorCorpus, toJsonl } from "../src/bench/distractors.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createPool, type Pool, query } from "../src/db/postgres.js";
import { CorpusRejectedError } from "../src/errors.js";
import type { BuildReport } from "../src/index/build.js";
import type { IndexStore, ServedIndex } from "../src/index/index-store.js";
import { createPostgresStore } from "../src/index/postgres-store.js";
import { splitSentences } from "../src/passages.js";
import { createSegmenter } from "../src/search/segment.js";
import { usePgliteServer } from "./helpers/pglite-server.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { seedCorpusDir, tempDir } from "./support/paths.js";

/**
 * A Postgres rebuild parses only new and changed corpus files (see
 * `postgres-sources.ts`): after each change its rows and what it serves
 * must be what a full build of the same corpus into an empty database gives.
 */
const segmenter = createSegmenter();
const server = usePgliteServer();
const reference = usePgliteServer();
const FILES = 4;
const fileOf = (i: number) => `part-${i}.jsonl`;
let records: CmsRecord[];
let questions: string[];
let corpusDir: string;
let pool: Pool;
let store: IndexStore;

beforeAll(async () => {
  const seed = (await loadCorpus(seedCorpusDir)).stories;
  records = distractorCorpus(seed, 300, 11);
  const sentences = seed.flatMap((s) => s.paragraphs.flatMap((p) => splitSentences(p)));
  questions = sentences.filter((_, i) => i % 7 === 0).slice(0, 40);
});

beforeEach(async () => {
  corpusDir = await tempDir("unb-pginc-corpus-");
  const per = Math.ceil(records.length / FILES);
  for (let f = 0; f < FILES; f++) await writeFile(path.join(corpusDir, fileOf(f)), toJsonl(records.slice(f * per, (f + 1) * per)));
  pool = createPool({ url: server().url, poolMax: 2 });
  await dropIndexTables(pool);
  store = createPostgresStore({ pool, ownsPool: true });
  return () => store.close();
});

/** An empty database as far as the index is concerned (the migrations run again on the next use). */
async function dropIndexTables(p: Pool): Promise<void> {
  await query(p, "drop table if exists index_passages, index_stories, index_builds, index_current, index_sources cascade");
  await query(p, "create table if not exists schema_migrations (component text not null, version int not null, name text not null, applied_at timestamptz not null default now(), primary key (component, version))");
  await query(p, "delete from schema_migrations where component = 'index'");
}

const build = (s: IndexStore) => s.build({ corpusDir, segmenter, embedder: createFakeEmbedder() });

/** What a build leaves in the database, in an order that does not depend on how it got there. */
async function tables(p: Pool) {
  const rows = async (sql: string) => (await query(p, sql)).rows;
  return {
    passages: await rows("select key, story_id, paragraph, part, text, hash, title_words, text_words, embedding::text as embedding from index_passages where last_build is null order by key"),
    stories: await rows("select id, position, digest, story from index_stories order by position"),
    sources: await rows("select file, sha256, bytes, mtime_ms, story_ids, passages, warnings, first_story from index_sources order by file"),
  };
}

/** What a served build answers: stories, passages, lexical rankings (keys and scores) and idf. */
async function served(index: ServedIndex) {
  const list = index.passages;
  const rankings = [];
  for (const q of questions) rankings.push((await index.lexical.search(q, 10)).map((h) => [h.key, h.score.toPrecision(12)]));
  return {
    stories: index.stories,
    passages: Array.from({ length: list.length }, (_, i) => [list.key(i), list.storyId(i), list.text(i)]),
    rankings,
    idf: questions.map((q) => index.idf(q.slice(0, 2))),
    manifest: { stories: index.manifest.stories, passages: index.manifest.passages, fingerprint: index.manifest.corpusFingerprint },
  };
}

/** A full build of the corpus as it is now, into an empty database, compared with the incremental one. */
async function expectSameAsFullBuild(incremental: BuildReport): Promise<void> {
  const refPool = createPool({ url: reference().url, poolMax: 2 });
  await dropIndexTables(refPool);
  const ref = createPostgresStore({ pool: refPool, ownsPool: true });
  try {
    const full = await build(ref);
    expect(full.parsed).toBe((await loadCorpus(corpusDir)).files.length);
    expect({ stories: incremental.stories, passages: incremental.passages }).toEqual({ stories: full.stories, passages: full.passages });
    expect(await tables(pool)).toEqual(await tables(refPool));
    expect(await served((await store.load({ segmenter }))!)).toEqual(await served((await ref.load({ segmenter }))!));
  } finally {
    await ref.close();
  }
}

const count = async (sql: string, values: unknown[] = []) => Number((await query<{ n: string }>(pool, sql, values)).rows[0]!.n);

describe("a Postgres rebuild parses only new and changed files", () => {
  it("adds, changes, removes and moves files as a full build would, parsing only what changed", async () => {
    const first = await build(store);
    expect(first).toMatchObject({ unchanged: false, parsed: FILES });
    await expect(build(store)).resolves.toMatchObject({ unchanged: true, parsed: 0, buildId: first.buildId });

    // A new file: only it is parsed, and only its rows are written.
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "new-1", title: "职工书屋正式开放", text: "区总工会职工书屋正式开放。\n书屋藏书三千余册。" }]));
    const added = await build(store);
    expect(added).toMatchObject({ unchanged: false, parsed: 1, added: 2, changed: 0, removed: 0, embedded: 2 });
    expect(await count("select count(*) as n from index_passages where first_build = $1", [added.buildId])).toBe(2);
    await expectSameAsFullBuild(added);

    // A changed file: one story's text edited, one story appended.
    const lines = (await readFile(path.join(corpusDir, fileOf(1)), "utf8")).trimEnd().split("\n");
    const edited = JSON.parse(lines[1]!) as CmsRecord;
    lines[1] = JSON.stringify({ ...edited, text: `${edited.text}\n补充一段新的内容。` });
    lines.push(JSON.stringify({ id: "appended-1", title: "新增报道", text: "工会为一线职工送清凉。" }));
    await writeFile(path.join(corpusDir, fileOf(1)), `${lines.join("\n")}\n`);
    const changed = await build(store);
    expect(changed).toMatchObject({ parsed: 1, added: 2, removed: 0 });
    await expectSameAsFullBuild(changed);

    // A removed file: nothing parsed, its stories and passages gone.
    const gone = (await loadCorpus(corpusDir)).files.find((f) => f.file === fileOf(2))!;
    await rm(path.join(corpusDir, fileOf(2)));
    const removed = await build(store);
    expect(removed).toMatchObject({ parsed: 0, added: 0, changed: 0 });
    expect(removed.removed).toBeGreaterThan(0);
    expect(await count("select count(*) as n from index_stories where id = any($1::text[])", [gone.stories.map((s) => s.id)])).toBe(0);
    await expectSameAsFullBuild(removed);

    // A file sorting first moves every carried story: their places are rewritten, they are not parsed.
    await writeFile(path.join(corpusDir, "a-first.jsonl"), toJsonl([{ id: "first-1", title: "开篇报道", text: "劳模工作室揭牌。" }]));
    const moved = await build(store);
    expect(moved).toMatchObject({ parsed: 1, added: 1 });
    await expectSameAsFullBuild(moved);
  });

  it("refuses a new file that reuses a story id of a carried file, naming both places, and keeps serving the build", async () => {
    const first = await build(store);
    const taken = JSON.parse((await readFile(path.join(corpusDir, fileOf(0)), "utf8")).split("\n")[2]!) as CmsRecord;
    await writeFile(path.join(corpusDir, "zz-dup.jsonl"), toJsonl([{ id: taken.id, title: "另一篇", text: "正文。" }]));
    const error = await build(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusRejectedError);
    expect((error as Error).message).toContain(`story id "${taken.id}" is also used in ${fileOf(0)}:3`);
    expect(await store.currentBuildId()).toBe(first.buildId);
  });

  it("parses every file once after a build that recorded no files (made before schema version 3), then only changed ones", async () => {
    await build(store);
    await query(pool, "update index_builds set sources = false");
    await query(pool, "delete from index_sources");
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "new-1", title: "职工书屋正式开放", text: "区总工会职工书屋正式开放。" }]));
    const upgraded = await build(store);
    expect(upgraded).toMatchObject({ parsed: FILES + 1, added: 1, changed: 0, removed: 0, embedded: 1 });
    await expectSameAsFullBuild(upgraded);
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "new-1", title: "职工书屋正式开放", text: "区总工会职工书屋今天正式开放。" }]));
    await expect(build(store)).resolves.toMatchObject({ parsed: 1, changed: 1, embedded: 1 });
  });

  it("repeats a carried file's parser warnings", async () => {
    await writeFile(path.join(corpusDir, "zz-warn.jsonl"), `${JSON.stringify({ id: "w-1", title: "标题", text: "正文。", date: "某天" })}\n`);
    const first = await build(store);
    const own = (r: BuildReport) => r.warnings.filter((w) => w.startsWith("zz-warn.jsonl"));
    expect(own(first).length).toBeGreaterThan(0);
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "n-1", title: "新闻", text: "新的正文。" }]));
    const next = await build(store);
    expect(next.parsed).toBe(1);
    expect(own(next)).toEqual(own(first));
  });
});
