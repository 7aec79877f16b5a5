import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config.js";
import { loadCorpus } from "../corpus/load.js";
import type { Story } from "../corpus/story.js";
import { startPgliteServer } from "../db/pglite-server.js";
import { createPool } from "../db/postgres.js";
import { percentile } from "../eval/metrics.js";
import type { EvalQuestion } from "../eval/questions.js";
import { createFolderStore } from "../index/folder-store.js";
import { createHnswFactory } from "../index/hnsw.js";
import type { IndexStore } from "../index/index-store.js";
import { createPostgresStore } from "../index/postgres-store.js";
import { toPassages } from "../passages.js";
import type { Segmenter } from "../search/segment.js";
import { openNewsService } from "../service.js";
import { distractorCorpus, toJsonl } from "./distractors.js";
import { createHashEmbedder } from "./hash-embedder.js";
import { exactTopK } from "./synthetic.js";

export interface StoreCompareOptions {
  readonly passages: number;
  readonly stories: readonly Story[];
  readonly questions: readonly EvalQuestion[];
  readonly workDir: string;
  readonly segmenter: Segmenter;
  readonly rounds: number;
  /** Dense queries for recall@10 (the questions, then passages' own texts). */
  readonly recallQueries: number;
}

export interface StoreFigures {
  readonly store: "folder" | "postgres (PGlite on loopback)";
  readonly buildSeconds: number;
  readonly buildCpuSeconds: number;
  readonly addOneStorySeconds: number;
  readonly addOneStoryCpuSeconds: number;
  readonly unchangedRebuildSeconds: number;
  readonly lexicalMs: { readonly p50: number | null; readonly p95: number | null };
  readonly hybridMs: { readonly p50: number | null; readonly p95: number | null };
  readonly recallAt10: number;
  /** Postgres only: share of the folder store's lexical top 10 (over the questions) that it ranks in its own top 10. */
  readonly lexicalTop10AgreementWithFolder?: number;
}

const round = (x: number | null, d = 3) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const timed = async <T>(work: () => Promise<T>) => {
  const t = performance.now();
  const c = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(c);
  return { result, seconds: round((performance.now() - t) / 1000)!, cpuSeconds: round((cpu.user + cpu.system) / 1e6)! };
};

/**
 * The two stores on one generated corpus: build with vectors, an unchanged
 * rebuild, adding one story, warm question latency (lexical and hybrid,
 * through the whole engine), and recall@10 of each store's HNSW against
 * exact inner-product search. Vectors come from a hashing embedder (see
 * `hash-embedder.ts`): the stores are measured, not a model. PGlite runs in
 * this process, so CPU seconds include the database's work.
 */
export async function benchStores(opts: StoreCompareOptions): Promise<{ passages: number; stories: number; embedder: string; stores: StoreFigures[] }> {
  const corpusDir = path.join(opts.workDir, "corpus");
  await rm(opts.workDir, { recursive: true, force: true });
  await mkdir(corpusDir, { recursive: true });
  const records = distractorCorpus(opts.stories, opts.passages, 1);
  for (let i = 0; i < records.length; i += 5_000) {
    await writeFile(path.join(corpusDir, `part-${String(i / 5_000).padStart(3, "0")}.jsonl`), toJsonl(records.slice(i, i + 5_000)));
  }
  const embedder = createHashEmbedder();
  const vectorFactory = createHnswFactory();
  const corpus = await loadCorpus(corpusDir);
  const passages = toPassages(corpus.stories);
  const all = await embedder.embedPassages(passages.map((p) => p.embedText));
  const queryTexts = [...opts.questions.map((q) => q.question), ...passages.filter((_, i) => i % 97 === 0).map((p) => p.text.slice(0, 40))].slice(0, opts.recallQueries);
  const queries = await Promise.all(queryTexts.map((q) => embedder.embedQuery(q)));
  const exact = queries.map((q) => new Set(exactTopK(all, q, 10).map((i) => passages[i]!.key)));

  const stores: StoreFigures[] = [];
  let folderTop10: string[][] | undefined;
  for (const kind of ["folder", "postgres"] as const) {
    const server = kind === "postgres" ? await startPgliteServer() : undefined;
    const indexDir = path.join(opts.workDir, `index-${kind}`);
    const open = (): IndexStore => (server ? createPostgresStore({ pool: createPool({ url: server.url, poolMax: 4 }), ownsPool: true }) : createFolderStore(indexDir));
    const store = open();
    try {
      await rm(path.join(corpusDir, "zz-new-story.jsonl"), { force: true });
      const build = await timed(() => store.build({ corpusDir, segmenter: opts.segmenter, embedder, vectorFactory }));
      const unchanged = await timed(() => store.build({ corpusDir, segmenter: opts.segmenter, embedder, vectorFactory }));
      await writeFile(
        path.join(corpusDir, "zz-new-story.jsonl"),
        toJsonl([{ id: "new-story", title: "职工书屋正式开放", text: "本报讯 区总工会职工书屋正式开放。\n书屋藏书三千余册，职工可凭工会会员卡免费借阅。\n开放时间为每周一至周五。\n书屋还将定期举办读书分享会。" }]),
      );
      const addOne = await timed(() => store.build({ corpusDir, segmenter: opts.segmenter, embedder, vectorFactory }));
      if (addOne.result.added !== 4) throw new Error(`${kind}: adding one story added ${addOne.result.added} passages, expected 4`);

      const latency = async (retrieval: "lexical" | "hybrid") => {
        const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: retrieval, LOG_LEVEL: "silent", ...(server ? { DATABASE_URL: server.url } : {}) });
        const service = await openNewsService(config, { createEmbedder: async () => embedder, vectorFactory, segmenter: opts.segmenter, createIndexStore: open }, { build: "never" });
        try {
          const engine = service.engine();
          for (const q of opts.questions.slice(0, 5)) await engine.ask(q.question);
          const times: number[] = [];
          for (let r = 0; r < opts.rounds; r++) for (const q of opts.questions) times.push((await engine.ask(q.question)).latencyMs);
          return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
        } finally {
          await service.close();
        }
      };
      const lexicalMs = await latency("lexical");
      const hybridMs = await latency("hybrid");

      const served = (await store.load({ segmenter: opts.segmenter, embedder, vectorFactory }))!;
      let found = 0;
      for (const [i, q] of queries.entries()) {
        const hits = await served.vectors!.search(q, 10);
        for (const h of hits) if (exact[i]!.has(served.passages.key(h.label))) found++;
      }
      const top10 = await Promise.all(opts.questions.map(async (q) => (await served.lexical.search(q.question, 10)).map((h) => h.key)));
      let agreement: number | undefined;
      if (folderTop10 === undefined) folderTop10 = top10;
      else {
        let same = 0;
        let total = 0;
        top10.forEach((keys, i) => {
          const folder = folderTop10![i]!;
          total += folder.length;
          same += folder.filter((k) => keys.includes(k)).length;
        });
        agreement = round(total === 0 ? 1 : same / total)!;
      }
      stores.push({
        store: kind === "folder" ? "folder" : "postgres (PGlite on loopback)",
        buildSeconds: build.seconds,
        buildCpuSeconds: build.cpuSeconds,
        unchangedRebuildSeconds: unchanged.seconds,
        addOneStorySeconds: addOne.seconds,
        addOneStoryCpuSeconds: addOne.cpuSeconds,
        lexicalMs,
        hybridMs,
        recallAt10: round(found / (queries.length * 10))!,
        ...(agreement === undefined ? {} : { lexicalTop10AgreementWithFolder: agreement }),
      });
    } finally {
      await store.close();
      await server?.close();
    }
  }
  return { passages: passages.length, stories: corpus.stories.length, embedder: embedder.modelId, stores };
}
