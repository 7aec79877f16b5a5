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
import type { BuildReport } from "../index/build.js";
import type { IndexStore } from "../index/index-store.js";
import { createPostgresStore } from "../index/postgres-store.js";
import { toPassages } from "../passages.js";
import type { Segmenter } from "../search/segment.js";
import { openNewsService } from "../service.js";
import { distractorCorpus, toJsonl } from "./distractors.js";
import { createHashEmbedder } from "./hash-embedder.js";
import { compareTopK, type ReferenceTopK, referenceTopK, type TopKAgreement } from "./lexical-ties.js";
import { exactTopK } from "./synthetic.js";

/** Parts of the stores bench after the build, each skippable (`--store-phases`): at 100k the latency rounds over many questions take most of the run. */
export const STORE_PHASES = ["unchanged", "add", "latency", "recall", "agreement"] as const;
export type StorePhase = (typeof STORE_PHASES)[number];

export interface StoreCompareOptions {
  readonly passages: number;
  readonly stories: readonly Story[];
  readonly questions: readonly EvalQuestion[];
  readonly workDir: string;
  readonly segmenter: Segmenter;
  readonly rounds: number;
  /** Dense queries for recall@10 (the questions, then passages' own texts). */
  readonly recallQueries: number;
  /** Default: every phase. */
  readonly phases?: ReadonlySet<StorePhase>;
  /** Default: both, folder first (the agreement needs the folder store's rankings). */
  readonly kinds?: readonly ("folder" | "postgres")[];
  /** Builds without vectors (much quicker in PGlite, whose HNSW build dominates): for the lexical phases alone. */
  readonly lexicalOnly?: boolean;
}

export interface StoreFigures {
  readonly store: "folder" | "postgres (PGlite on loopback)";
  readonly buildSeconds: number;
  readonly buildCpuSeconds: number;
  readonly addOneStorySeconds?: number;
  readonly addOneStoryCpuSeconds?: number;
  /** Corpus files the add-one build parsed. */
  readonly addOneStoryParsedFiles?: number;
  readonly unchangedRebuildSeconds?: number;
  readonly lexicalMs?: { readonly p50: number | null; readonly p95: number | null };
  readonly hybridMs?: { readonly p50: number | null; readonly p95: number | null };
  readonly recallAt10?: number;
  /** Postgres only: share of the folder store's lexical top 10 (over the questions) that it ranks in its own top 10. */
  readonly lexicalTop10AgreementWithFolder?: number;
  /** Postgres only: that agreement taken apart into ties and misses (see `lexical-ties.ts`). */
  readonly lexicalTop10Ties?: TopKAgreement;
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
 * this process, so CPU seconds include the database's work. Every phase after
 * the build can be left out (`phases`), and either store (`kinds`).
 */
export async function benchStores(opts: StoreCompareOptions): Promise<{ passages: number; stories: number; embedder: string; stores: StoreFigures[] }> {
  const corpusDir = path.join(opts.workDir, "corpus");
  await rm(opts.workDir, { recursive: true, force: true });
  await mkdir(corpusDir, { recursive: true });
  const records = distractorCorpus(opts.stories, opts.passages, 1);
  for (let i = 0; i < records.length; i += 5_000) {
    await writeFile(path.join(corpusDir, `part-${String(i / 5_000).padStart(3, "0")}.jsonl`), toJsonl(records.slice(i, i + 5_000)));
  }
  if (opts.lexicalOnly && (opts.phases?.has("recall") ?? true)) throw new Error("stores bench: recall needs vectors; leave it out of the phases of a lexical-only run");
  const embedder = createHashEmbedder();
  const buildWith = opts.lexicalOnly ? {} : { embedder };
  const vectorFactory = createHnswFactory();
  const corpus = await loadCorpus(corpusDir);
  const passages = toPassages(corpus.stories);
  const phases = opts.phases ?? new Set(STORE_PHASES);
  // Exact search over every vector only when recall is measured.
  const all = phases.has("recall") ? await embedder.embedPassages(passages.map((p) => p.embedText)) : [];
  const queryTexts = [...opts.questions.map((q) => q.question), ...passages.filter((_, i) => i % 97 === 0).map((p) => p.text.slice(0, 40))].slice(0, opts.recallQueries);
  const queries = await Promise.all(queryTexts.map((q) => embedder.embedQuery(q)));
  const exact = (phases.has("recall") ? queries : []).map((q) => new Set(exactTopK(all, q, 10).map((i) => passages[i]!.key)));

  const stores: StoreFigures[] = [];
  let folderTop10: ReferenceTopK[] | undefined;
  for (const kind of opts.kinds ?? (["folder", "postgres"] as const)) {
    const server = kind === "postgres" ? await startPgliteServer() : undefined;
    const indexDir = path.join(opts.workDir, `index-${kind}`);
    const open = (): IndexStore => (server ? createPostgresStore({ pool: createPool({ url: server.url, poolMax: 4 }), ownsPool: true }) : createFolderStore(indexDir));
    const store = open();
    try {
      await rm(path.join(corpusDir, "zz-new-story.jsonl"), { force: true });
      const build = await timed(() => store.build({ corpusDir, segmenter: opts.segmenter, ...buildWith, vectorFactory }));
      const unchanged = phases.has("unchanged") ? await timed(() => store.build({ corpusDir, segmenter: opts.segmenter, ...buildWith, vectorFactory })) : undefined;
      let addOne: { result: BuildReport; seconds: number; cpuSeconds: number } | undefined;
      if (phases.has("add")) {
        await writeFile(
          path.join(corpusDir, "zz-new-story.jsonl"),
          toJsonl([{ id: "new-story", title: "职工书屋正式开放", text: "本报讯 区总工会职工书屋正式开放。\n书屋藏书三千余册，职工可凭工会会员卡免费借阅。\n开放时间为每周一至周五。\n书屋还将定期举办读书分享会。" }]),
        );
        addOne = await timed(() => store.build({ corpusDir, segmenter: opts.segmenter, ...buildWith, vectorFactory }));
        if (addOne.result.added !== 4) throw new Error(`${kind}: adding one story added ${addOne.result.added} passages, expected 4`);
      }

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
      const lexicalMs = phases.has("latency") ? await latency("lexical") : undefined;
      const hybridMs = phases.has("latency") && !opts.lexicalOnly ? await latency("hybrid") : undefined;

      const served = phases.has("recall") || phases.has("agreement") ? (await store.load({ segmenter: opts.segmenter, ...buildWith, vectorFactory }))! : undefined;
      let recallAt10: number | undefined;
      if (served && phases.has("recall")) {
        let found = 0;
        for (const [i, q] of queries.entries()) {
          const hits = await served.vectors!.search(q, 10);
          for (const h of hits) if (exact[i]!.has(served.passages.key(h.label))) found++;
        }
        recallAt10 = round(found / (queries.length * 10))!;
      }
      let ties: TopKAgreement | undefined;
      if (served && phases.has("agreement")) {
        if (kind === "folder") {
          // The whole ranking, to count the passages tying at the 10th score past it.
          folderTop10 = [];
          for (const q of opts.questions) folderTop10.push(referenceTopK(await served.lexical.search(q.question, served.passages.length), 10));
        } else if (folderTop10 !== undefined) {
          const runs = [];
          for (const [i, q] of opts.questions.entries()) runs.push({ reference: folderTop10[i]!, other: await served.lexical.search(q.question, 10) });
          ties = compareTopK(10, runs);
        }
      }
      stores.push({
        store: kind === "folder" ? "folder" : "postgres (PGlite on loopback)",
        buildSeconds: build.seconds,
        buildCpuSeconds: build.cpuSeconds,
        ...(unchanged ? { unchangedRebuildSeconds: unchanged.seconds } : {}),
        ...(addOne ? { addOneStorySeconds: addOne.seconds, addOneStoryCpuSeconds: addOne.cpuSeconds, addOneStoryParsedFiles: addOne.result.parsed } : {}),
        ...(lexicalMs ? { lexicalMs } : {}),
        ...(hybridMs ? { hybridMs } : {}),
        ...(recallAt10 === undefined ? {} : { recallAt10 }),
        ...(ties ? { lexicalTop10AgreementWithFolder: ties.agreement, lexicalTop10Ties: ties } : {}),
      });
    } finally {
      await store.close();
      await server?.close();
    }
  }
  return { passages: passages.length, stories: corpus.stories.length, embedder: opts.lexicalOnly ? "none (lexical only)" : embedder.modelId, stores };
}
