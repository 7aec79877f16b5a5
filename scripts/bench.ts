/**
 * `npm run bench`: prints JSON.
 *
 * - `scale`: lexical retrieval on generated corpora of each `--sizes` passages
 *   (the real stories of `--corpus` plus distractors made of their sentences):
 *   build passages/s, unchanged rebuild, adding one story, warm question
 *   p50/p95 (everything after the question arrives except formatting),
 *   hit@k of `--questions`, cold start of a fresh `ask` process and its peak RSS.
 * - `burst`: `--burst` simultaneous hybrid questions (from `--questions`) on
 *   `--corpus` with the full-size fixture model (bge-small-zh architecture,
 *   random weights), distinct and repeated; `--burst-baseline` also times it
 *   without dynamic batching.
 * - `modes`: warm question latency per retrieval mode on `--corpus`, build
 *   throughput with embeddings, RSS after loading model and index.
 * - `rebuild`: members' latency (a question every 50 ms) idle vs during a
 *   rebuild of `--rebuild-stories` generated stories, in the build worker and
 *   on the answering thread.
 * - `hnsw`: HNSW figures at `--hnsw` synthetic 512-dim vectors.
 * - `bm25`: BM25 alone on the index in `--index DIR` (one `build-index` made):
 *   the pruned search against scoring every posting, alternately, at `--k`.
 * - `stores`: the folder store vs the Postgres store (PGlite with pgvector and
 *   pg_textsearch on loopback, in this process) at each `--store-sizes`
 *   passages: build with 512-dim hashed vectors, unchanged rebuild, adding one
 *   story, lexical and hybrid question p50/p95, HNSW recall@10 against exact search,
 *   lexical top-10 agreement (ties and misses apart). `--store-phases` picks
 *   the phases after the build (unchanged,add,latency,recall,agreement: all),
 *   `--store-kinds` the stores (folder,postgres); `--store-lexical` builds
 *   without vectors (no recall, no hybrid latency).
 *
 * Options: --only scale,burst,modes,rebuild,hnsw,bm25,stores (scale,burst,modes) · --index DIR · --k N (60) · --rebuild-stories N (10000) · --sizes 1000,10000,100000 ·
 * --corpus DIR (corpus) · --questions FILE (eval/questions.jsonl) · --rounds N (3) ·
 * --cold-runs N (3) · --build-threads N (cores; threads segmenting during scale builds, 0: none) ·
 * --dense-add (scale: also a dense build with 512-dim hashed stand-in vectors, and adding one story to it) · --burst N (500) · --burst-baseline · --build-passages N (240) ·
 * --hnsw 10000,100000 · --store-sizes 10000 · --store-phases … · --store-kinds folder,postgres · --store-lexical · --work DIR (a temporary folder; corpora and indexes are kept there).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchBm25 } from "../src/bench/bm25-bench.js";
import { benchBurst } from "../src/bench/burst.js";
import { ensureFullFixture, machine } from "../src/bench/fixture.js";
import { benchHnsw } from "../src/bench/hnsw-bench.js";
import { measureRebuildLatency } from "../src/bench/rebuild-latency.js";
import { benchScale } from "../src/bench/scale.js";
import { benchStores, STORE_PHASES, type StorePhase } from "../src/bench/store-compare.js";
import { loadConfig, type RetrievalMode } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createTransformersEmbedder } from "../src/embed/transformers.js";
import { percentile } from "../src/eval/metrics.js";
import { readQuestionFile } from "../src/eval/questions.js";
import { buildIndex } from "../src/index/build.js";
import { openNewsService } from "../src/service.js";
import { REPO_ROOT } from "../src/repo-root.js";
import { defaultDeps, WIRING_MODULE } from "../src/wiring.js";
import { UsageError } from "../src/errors.js";
import { runCli } from "../src/cli/run.js";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      only: { type: "string", default: "scale,burst,modes" },
      sizes: { type: "string", default: "1000,10000,100000" },
      corpus: { type: "string", default: path.join(REPO_ROOT, "corpus") },
      questions: { type: "string", default: path.join(REPO_ROOT, "eval", "questions.jsonl") },
      rounds: { type: "string", default: "3" },
      "cold-runs": { type: "string", default: "3" },
      "build-threads": { type: "string", default: String(os.availableParallelism()) },
      "dense-add": { type: "boolean", default: false },
      burst: { type: "string", default: "500" },
      "burst-baseline": { type: "boolean", default: false },
      "build-passages": { type: "string", default: "240" },
      hnsw: { type: "string", default: "10000,100000" },
      "store-sizes": { type: "string", default: "10000" },
      "store-phases": { type: "string", default: STORE_PHASES.join(",") },
      "store-kinds": { type: "string", default: "folder,postgres" },
      "store-lexical": { type: "boolean", default: false },
      "rebuild-stories": { type: "string", default: "10000" },
      work: { type: "string" },
      index: { type: "string" },
      k: { type: "string", default: "60" },
    },
  });
  const only = new Set(values.only.split(","));
  const round = (x: number | null, d = 2) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
  const deps = defaultDeps();
  const work = values.work ?? (await mkdtemp(path.join(os.tmpdir(), "unb-bench-")));
  const evalQuestions = await readQuestionFile(values.questions);
  const questions = evalQuestions.map((q) => q.question);
  const out: Record<string, unknown> = { machine: machine(), corpus: values.corpus, questions: values.questions, work };
  const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

  if (only.has("scale")) {
    const seed = await loadCorpus(values.corpus);
    if (seed.errors.length > 0) throw new Error(seed.errors.map((e) => e.message).join("\n"));
    const scale: unknown[] = [];
    for (const size of values.sizes.split(",").map(Number)) {
      progress(`scale ${size} passages`);
      scale.push(
        await benchScale({
          passages: size,
          stories: seed.stories,
          questions: evalQuestions,
          workDir: path.join(work, `scale-${size}`),
          segmenter: deps.segmenter,
          deps,
          repoRoot: REPO_ROOT,
          rounds: Number(values.rounds),
          coldRuns: Number(values["cold-runs"]),
          segmentThreads: Number(values["build-threads"]),
          ...(values["dense-add"] ? { vectorFactory: deps.vectorFactory } : {}),
        }),
      );
    }
    out["scale"] = scale;
  }

  const needsModel = only.has("burst") || only.has("modes");
  const fixture = needsModel ? await ensureFullFixture() : undefined;
  const base = loadConfig({
    CORPUS_DIR: values.corpus,
    INDEX_DIR: path.join(work, "model-index"),
    ...(fixture ? { MODELS_DIR: fixture.modelsDir, EMBEDDING_MODEL: fixture.modelId } : {}),
    LOG_LEVEL: "silent",
  });
  if (fixture) out["model"] = `${fixture.modelId} (fixture, fp32)`;

  if (only.has("burst")) {
    progress(`burst of ${values.burst} hybrid questions`);
    const count = Number(values.burst);
    const service = await openNewsService({ ...base, retrieval: "hybrid" }, deps, { build: "always" });
    const engine = service.engine();
    for (const q of questions.slice(0, 5)) await engine.ask(q);
    const burst: Record<string, unknown> = {
      batching: "dynamic: up to 32 questions a forward pass, first waits at most 3 ms; LRU cache of 1,000 question vectors",
      distinct: await benchBurst(engine, questions, count, true),
      repeated: await benchBurst(engine, questions, count, false),
    };
    await service.close();
    if (values["burst-baseline"]) {
      progress("burst without batching (baseline)");
      const unbatched = { ...deps, createEmbedder: () => createTransformersEmbedder({ modelId: base.embeddingModel, modelsDir: base.modelsDir }) };
      const plain = await openNewsService({ ...base, retrieval: "hybrid" }, unbatched, { build: "never" });
      for (const q of questions.slice(0, 5)) await plain.engine().ask(q);
      burst["withoutBatchingDistinct"] = await benchBurst(plain.engine(), questions, count, true);
      await plain.close();
    }
    out["burst"] = burst;
  }

  if (only.has("modes")) {
    progress("warm latency per mode");
    const latency: Record<string, unknown> = {};
    let rssAfterLoadMB = 0;
    for (const mode of ["lexical", "dense", "hybrid"] as const satisfies readonly RetrievalMode[]) {
      const service = await openNewsService({ ...base, retrieval: mode }, deps, { build: "always" });
      if (mode === "hybrid") rssAfterLoadMB = Math.round(process.memoryUsage().rss / 2 ** 20);
      const engine = service.engine();
      for (const q of questions.slice(0, 5)) await engine.ask(q);
      const times: number[] = [];
      for (let r = 0; r < Number(values.rounds); r++) {
        // Distinct per round, so dense and hybrid embed every question rather than hit the cache.
        for (const q of questions) times.push((await engine.ask(r === 0 ? q : `${q}（${r}）`)).latencyMs);
      }
      // The same questions again: their vectors come from the question cache, so what is timed is
      // everything but the forward pass (for hybrid, what it adds over dense's search).
      const cached: number[] = [];
      for (const q of questions) cached.push((await engine.ask(q)).latencyMs);
      latency[mode] = {
        questions: times.length,
        p50Ms: round(percentile(times, 50)),
        p95Ms: round(percentile(times, 95)),
        maxMs: round(percentile(times, 100)),
        cachedEmbedding: { p50Ms: round(percentile(cached, 50), 3), p95Ms: round(percentile(cached, 95), 3) },
      };
      await service.close();
    }
    out["warmQuestionLatency"] = latency;
    out["rssAfterLoadMB"] = rssAfterLoadMB;

    // Build throughput with embeddings: a fresh index of a synthetic corpus made from the seed's paragraphs.
    const seed = await loadCorpus(path.join(REPO_ROOT, "corpus"));
    const paragraphs = seed.stories.flatMap((s) => s.paragraphs);
    const buildCorpus = await mkdtemp(path.join(work, "embed-corpus-"));
    const count = Number(values["build-passages"]);
    const lines = Array.from({ length: Math.ceil(count / 4) }, (_, i) =>
      JSON.stringify({ id: `b${i}`, title: `${seed.stories[i % seed.stories.length]!.title}（${i}）`, text: Array.from({ length: 4 }, (_, j) => paragraphs[(i * 4 + j) % paragraphs.length]).join("\n") }),
    );
    await writeFile(path.join(buildCorpus, "bench.jsonl"), `${lines.join("\n")}\n`);
    const embedder = await deps.createEmbedder({ ...base, retrieval: "hybrid" });
    const buildDir = await mkdtemp(path.join(work, "embed-index-"));
    const build = await buildIndex({ corpusDir: buildCorpus, indexDir: buildDir, embedder, vectorFactory: deps.vectorFactory, segmenter: deps.segmenter });
    const rebuild = await buildIndex({ corpusDir: buildCorpus, indexDir: buildDir, embedder, vectorFactory: deps.vectorFactory, segmenter: deps.segmenter });
    await embedder.dispose();
    out["buildIndexWithEmbeddings"] = {
      passages: build.passages,
      seconds: build.seconds,
      passagesPerSecond: round(build.passages / build.seconds, 1),
      unchangedRebuildSeconds: rebuild.seconds,
      unchangedRebuildEmbedded: rebuild.embedded,
    };
  }

  if (only.has("rebuild")) {
    // Members' latency (a question every 50 ms) idle vs during a large rebuild, in the
    // build worker and, for comparison, on the answering thread.
    progress(`rebuild of ${values["rebuild-stories"]} stories during a question trickle`);
    const seedDir = path.join(REPO_ROOT, "corpus");
    const seed = await loadCorpus(seedDir);
    const lexicalBase = loadConfig({ CORPUS_DIR: seedDir, LOG_LEVEL: "silent" });
    out["rebuildLatency"] = await measureRebuildLatency({
      seedCorpusDir: seedDir,
      seedStories: seed.stories,
      stories: Number(values["rebuild-stories"]),
      base: lexicalBase,
      deps,
      depsModule: WIRING_MODULE,
      questions,
    });
  }

  if (only.has("hnsw")) {
    const hnsw: Record<string, unknown> = {};
    for (const n of values.hnsw.split(",").map(Number)) {
      progress(`hnsw ${n}`);
      hnsw[String(n)] = await benchHnsw({ count: n, dimensions: 512, queries: 200, k: 10, seed: 42 });
    }
    out["hnsw"] = hnsw;
  }

  if (only.has("bm25")) {
    if (values.index === undefined) throw new UsageError("--only bm25 needs --index DIR (an INDEX_DIR that npm run build-index made)");
    progress(`BM25 pruned and exhaustive on ${values.index}`);
    out["bm25"] = await benchBm25({ indexDir: values.index, questions, segmenter: deps.segmenter, k: Number(values.k), rounds: Number(values.rounds) });
  }

  if (only.has("stores")) {
    const seed = await loadCorpus(values.corpus);
    const stores: unknown[] = [];
    const isPhase = (p: string): p is StorePhase => (STORE_PHASES as readonly string[]).includes(p);
    const phases = new Set<StorePhase>();
    for (const p of values["store-phases"].split(",").filter((x) => x !== "")) {
      if (!isPhase(p)) throw new UsageError(`--store-phases: unknown phase "${p}" (${STORE_PHASES.join(", ")})`);
      phases.add(p);
    }
    const kinds = values["store-kinds"].split(",").map((k) => {
      if (k !== "folder" && k !== "postgres") throw new UsageError(`--store-kinds: unknown store "${k}" (folder, postgres)`);
      return k;
    });
    for (const size of values["store-sizes"].split(",").map(Number)) {
      progress(`stores ${size} passages`);
      stores.push(await benchStores({ passages: size, stories: seed.stories, questions: evalQuestions, workDir: path.join(work, `stores-${size}`), segmenter: deps.segmenter, rounds: Number(values.rounds), recallQueries: 200, phases, kinds, lexicalOnly: values["store-lexical"] }));
    }
    out["stores"] = stores;
  }

  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
});
