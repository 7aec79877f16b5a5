import type { PassageList } from "../src/passages.js";
import { appendFile, copyFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createPool, type Pool, query } from "../src/db/postgres.js";
import { createFolderStore } from "../src/index/folder-store.js";
import type { IndexStore, ServedIndex } from "../src/index/index-store.js";
import { createPostgresStore, TSVECTOR_FALLBACK_NOTICE } from "../src/index/postgres-store.js";
import { createSegmenter } from "../src/search/segment.js";
import { openNewsService } from "../src/service.js";
import { startPgliteServer, type PgliteServer } from "./helpers/pglite-server.js";
import { seededDirs, seedFile, seedCorpusDir, tempDir } from "./support/paths.js";
import { lexicalDeps } from "./support/service.js";
import { readFileSync } from "node:fs";
import { createHnswFactory } from "../src/index/hnsw.js";
import { ensureTinyModel } from "./support/fixture-model.js";

/** A passage list's rows as plain objects, to compare two stores' lists. */
function rowsOf(list: PassageList) {
  return Array.from({ length: list.length }, (_, i) => ({ key: list.key(i), storyId: list.storyId(i), paragraph: list.paragraph(i), text: list.text(i) }));
}

const segmenter = createSegmenter();
const questions = readFileSync(path.join(seedCorpusDir, "..", "eval", "questions.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => (JSON.parse(l) as { question: string }).question);

/** A page added to the corpus: one new story. */
const EXTRA = `2024年7月20日 星期六

环卫工人喜获清凉驿站
本报讯（记者 测试）7月19日，朝阳区总工会为环卫工人新建清凉驿站12座，配备冰柜和药箱。
驿站向户外劳动者全天开放，提供饮用水和休息座椅。
`;

let server: PgliteServer;
let pool: Pool;
let pg: IndexStore;

beforeAll(async () => {
  server = await startPgliteServer();
  pool = createPool({ url: server.url, poolMax: 4 });
  pg = createPostgresStore({ pool });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await server?.close();
});

/** Top-k keys of both stores' lexical rankings, and the folder store's scores of every key, for comparing up to ties. */
async function rankings(a: ServedIndex, b: ServedIndex, q: string, k: number) {
  const ka = (await a.lexical.search(q, k)).map((h) => h.key);
  const kb = (await b.lexical.search(q, k)).map((h) => h.key);
  const scoreA = new Map((await a.lexical.search(q, 10_000)).map((h) => [h.key, h.score]));
  return { ka, kb, scoreA };
}

describe("the Postgres store against the folder store on the seed corpus", () => {
  let folder: ServedIndex;
  let served: ServedIndex;

  beforeAll(async () => {
    const { corpusDir, indexDir } = await seededDirs();
    const folderStore = createFolderStore(indexDir);
    await folderStore.build({ corpusDir, segmenter });
    folder = (await folderStore.load({ segmenter }))!;
    const report = await pg.build({ corpusDir, segmenter });
    expect(report).toMatchObject({ unchanged: false, stories: 8, passages: 25, added: 25 });
    served = (await pg.load({ segmenter }))!;
  });

  it("serves the same stories and passages, in the same order", () => {
    expect(served.manifest).toMatchObject({ stories: 8, passages: 25, embedding: null, corpusFingerprint: folder.manifest.corpusFingerprint });
    expect(served.stories).toEqual(folder.stories);
    expect(rowsOf(served.passages)).toEqual(rowsOf(folder.passages));
    expect(served.notices ?? []).toEqual([]);
  });

  it("gives every word the same idf, for judging evidence alike", () => {
    for (const w of ["工会", "送清凉", "公交", "职工", "从未出现的词"]) expect(served.idf(w)).toBeCloseTo(folder.idf(w), 10);
  });

  it("ranks every seed question's passages lexically as the folder store does, up to ties", async () => {
    let compared = 0;
    for (const q of questions) {
      const { ka, kb, scoreA } = await rankings(folder, served, q, 10);
      expect(kb.length, q).toBe(ka.length);
      for (let i = 0; i < ka.length; i++) {
        if (ka[i] === kb[i]) continue;
        // A different key at a rank must score the same in the folder store: a tie.
        const a = scoreA.get(ka[i]!)!;
        const b = scoreA.get(kb[i]!) ?? 0;
        expect(Math.abs(a - b), `${q} rank ${i + 1}: ${ka[i]} ${a} vs ${kb[i]} ${b}`).toBeLessThan(1e-9);
      }
      compared++;
    }
    expect(compared).toBe(questions.length);
  });
});

describe("dense retrieval with the generated model", () => {
  it("ranks every seed question's passages as the folder store's HNSW does, up to ties", async () => {
    const { modelsDir, modelId } = await ensureTinyModel();
    const { createTransformersEmbedder } = await import("../src/embed/transformers.js");
    const embedder = await createTransformersEmbedder({ modelId, modelsDir, dtype: "fp32" });
    const srv = await startPgliteServer();
    const p = createPool({ url: srv.url, poolMax: 2 });
    try {
      const { corpusDir, indexDir } = await seededDirs();
      const vectorFactory = createHnswFactory();
      const folderStore = createFolderStore(indexDir);
      const pgStore = createPostgresStore({ pool: p });
      await folderStore.build({ corpusDir, segmenter, embedder, vectorFactory });
      const built = await pgStore.build({ corpusDir, segmenter, embedder, vectorFactory });
      expect(built).toMatchObject({ dense: true, embedded: 25 });
      const a = (await folderStore.load({ segmenter, embedder, vectorFactory }))!;
      const b = (await pgStore.load({ segmenter, embedder, vectorFactory }))!;
      expect(b.manifest.embedding).toEqual(a.manifest.embedding);
      for (const q of questions) {
        const v = await embedder.embedQuery(q);
        const ha = await a.vectors!.search(v, 10);
        const hb = await b.vectors!.search(v, 10);
        expect(hb.length).toBe(ha.length);
        hb.forEach((h, i) => {
          expect(h.score, q).toBeCloseTo(ha[i]!.score, 5);
          if (h.label !== ha[i]!.label) expect(Math.abs(h.score - ha[i]!.score)).toBeLessThan(1e-5);
        });
      }
      // A rebuild reuses every stored vector: nothing is embedded again.
      await appendFile(path.join(corpusDir, "extra.txt"), EXTRA);
      const again = await pgStore.build({ corpusDir, segmenter, embedder, vectorFactory });
      expect(again).toMatchObject({ added: 2, embedded: 2, reused: 25 });
    } finally {
      await embedder.dispose();
      await p.end();
      await srv.close();
    }
  });
});

describe("rebuilding in Postgres", () => {
  it("writes only the rows of new passages, keeps readers of the old build on it, and prunes what no build needs", async () => {
    const srv = await startPgliteServer();
    const p = createPool({ url: srv.url, poolMax: 2 });
    const store = createPostgresStore({ pool: p });
    try {
      const { corpusDir } = await seededDirs();
      const first = await store.build({ corpusDir, segmenter });
      const old = (await store.load({ segmenter }))!;
      const unchanged = await store.build({ corpusDir, segmenter });
      expect(unchanged).toMatchObject({ unchanged: true, buildId: first.buildId });

      await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, "copy-to-remove.txt"));
      await appendFile(path.join(corpusDir, "extra.txt"), EXTRA);
      const second = await store.build({ corpusDir, segmenter });
      expect(second).toMatchObject({ unchanged: false, added: 25 + 2, changed: 0, removed: 0 });
      const rows = async (sql: string, values: unknown[]) => Number((await query<{ n: string }>(p, sql, values)).rows[0]!.n);
      expect(await rows("select count(*) as n from index_passages where first_build = $1", [second.buildId])).toBe(27);
      expect(await rows("select count(*) as n from index_passages where first_build = $1", [first.buildId])).toBe(25);
      expect(await rows("select count(*) as n from index_passages where last_build is not null", [])).toBe(0);

      // The reader still on the first build finds only its own passages.
      const hits = await old.lexical.search("环卫工人 清凉驿站", 10);
      const oldKeys = new Set(rowsOf(old.passages).map((p) => p.key));
      expect(hits.map((h) => h.key).every((k) => oldKeys.has(k))).toBe(true);
      const now = (await store.load({ segmenter }))!;
      expect((await now.lexical.search("环卫工人 清凉驿站", 3))[0]!.key).toMatch(/:1$|:2$/);
      expect(now.stories.find((s) => s.title === "环卫工人喜获清凉驿站")).toBeDefined();

      // Removing the copy closes its 25 rows and touches no other.
      const { rm } = await import("node:fs/promises");
      await rm(path.join(corpusDir, "copy-to-remove.txt"));
      const third = await store.build({ corpusDir, segmenter });
      expect(third).toMatchObject({ added: 0, changed: 0, removed: 25 });
      expect(await rows("select count(*) as n from index_passages where last_build = $1", [third.buildId])).toBe(25);
      expect(await rows("select count(*) as n from index_passages where first_build = $1", [third.buildId])).toBe(0);
      const latest = (await store.load({ segmenter }))!;
      expect(latest.passages).toHaveLength(27);
      // A fourth build prunes the rows the second build's readers needed.
      await appendFile(path.join(corpusDir, "extra.txt"), "\n环卫工人再获慰问\n本报讯（记者 测试）7月25日，工会再次慰问环卫工人，送去西瓜。\n");
      const fourth = await store.build({ corpusDir, segmenter });
      expect(fourth.added).toBe(1);
      expect(await rows("select count(*) as n from index_passages where last_build is not null", [])).toBe(0);
      expect(await rows("select count(*) as n from index_builds", [])).toBe(2);
    } finally {
      await p.end();
      await srv.close();
    }
  });
});

describe("without pg_textsearch", () => {
  it("falls back to built-in full text search with a notice, and still finds the passage", async () => {
    const srv = await startPgliteServer({ extensions: ["vector"] });
    const p = createPool({ url: srv.url, poolMax: 2 });
    const store = createPostgresStore({ pool: p });
    try {
      const { corpusDir } = await seededDirs();
      await store.build({ corpusDir, segmenter });
      const served = (await store.load({ segmenter }))!;
      expect(served.notices).toEqual([TSVECTOR_FALLBACK_NOTICE]);
      const hits = await served.lexical.search("公交职工 防暑降温 慰问品", 5);
      const text = rowsOf(served.passages).find((p) => p.key === hits[0]!.key)!.text;
      expect(text).toContain("防暑降温慰问品");
      expect(hits.length).toBeGreaterThan(1);
    } finally {
      await p.end();
      await srv.close();
    }
  });
});

describe("the bot on a Postgres store", () => {
  it("loads a build another instance published, without a restart", async () => {
    const srv = await startPgliteServer();
    const { corpusDir } = await seededDirs();
    const env = { CORPUS_DIR: corpusDir, INDEX_DIR: await tempDir("unb-unused-"), LOG_LEVEL: "silent", RETRIEVAL: "lexical", DATABASE_URL: srv.url, BUILD_CHECK_SECONDS: "0.2" };
    const deps = () => ({ ...lexicalDeps(), createIndexStore: () => createPostgresStore({ pool: createPool({ url: srv.url, poolMax: 2 }), ownsPool: true }) });
    const a = await openNewsService(loadConfig(env), deps(), { build: "always" });
    const b = await openNewsService(loadConfig(env), deps(), { build: "never" });
    try {
      const question = "朝阳区总工会为环卫工人新建了多少座清凉驿站？";
      expect((await a.engine().ask(question)).abstained).toBe(true);
      await appendFile(path.join(corpusDir, "extra.txt"), EXTRA);
      const report = await b.reindex();
      expect(report.added).toBe(2);
      const deadline = Date.now() + 10_000;
      while (a.manifest().passages !== 27 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(a.manifest().passages).toBe(27);
      const answer = await a.engine().ask(question);
      expect(answer.abstained).toBe(false);
      expect(answer.answer).toContain("12座");
    } finally {
      await a.close();
      await b.close();
      await srv.close();
    }
  });

  it("answers from the database, and keeps answering from memory when the database goes away", async () => {
    const srv = await startPgliteServer();
    const config = loadConfig({ CORPUS_DIR: seedCorpusDir, INDEX_DIR: await tempDir("unb-unused-"), LOG_LEVEL: "silent", RETRIEVAL: "lexical", DATABASE_URL: srv.url, DATABASE_CONNECT_TIMEOUT_MS: "1000" });
    const deps = { ...lexicalDeps(), createIndexStore: () => createPostgresStore({ pool: createPool({ url: srv.url, poolMax: 2, connectTimeoutMs: 1000 }), ownsPool: true }) };
    const service = await openNewsService(config, deps, { build: "always" });
    try {
      const before = await service.engine().ask("公交职工收到了哪些防暑降温慰问品？");
      expect(before.abstained).toBe(false);
      expect(before.answer).toContain("毛巾、茶叶、绿茶饮料");
      await srv.close();
      const after = await service.engine().ask("公交职工收到了哪些防暑降温慰问品？");
      expect(after.answer).toBe(before.answer);
      expect(after.citations.map((c) => c.storyId)).toEqual(before.citations.map((c) => c.storyId));
    } finally {
      await service.close();
    }
  });
});
