/**
 * `npm run bench`: prints JSON with warm question latency (p50/p95) per
 * retrieval mode, build-index throughput and RSS after load, all with the
 * full-size fixture model (bge-small-zh architecture, random weights), and
 * HNSW figures at 10k and 100k synthetic 512-dim vectors, and members'
 * latency (a question every 50 ms) idle vs during a large rebuild, in the
 * worker thread and, for comparison, on the answering thread.
 * Options: --rounds N (3) question rounds per mode, --build-passages N (240), --hnsw 10000,100000,
 * --rebuild-stories N (10000; 0 skips), --only-rebuild (just that measurement).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ensureFullFixture, machine } from "../src/bench/fixture.js";
import { benchHnsw } from "../src/bench/hnsw-bench.js";
import { measureRebuildLatency } from "../src/bench/rebuild-latency.js";
import { loadConfig, type RetrievalMode } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";
import { percentile } from "../src/eval/metrics.js";
import { readQuestionFile } from "../src/eval/questions.js";
import { buildIndex } from "../src/index/build.js";
import { openNewsService } from "../src/service.js";
import { defaultDeps, WIRING_MODULE } from "../src/wiring.js";
import { REPO_ROOT } from "../src/repo-root.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    "build-passages": { type: "string", default: "240" },
    hnsw: { type: "string", default: "10000,100000" },
    "rebuild-stories": { type: "string", default: "10000" },
    "only-rebuild": { type: "boolean", default: false },
  },
});
const round = (x: number | null, d = 2) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const deps = defaultDeps();
const corpusDir = path.join(REPO_ROOT, "corpus");
const questions = (await readQuestionFile(path.join(REPO_ROOT, "eval", "questions.jsonl"))).map((q) => q.question);
const seed = await loadCorpus(corpusDir);

// Members' latency while a large corpus is rebuilt (lexical: the synchronous work is what froze answers).
const rebuildLatency = async () => {
  const stories = Number(values["rebuild-stories"]);
  if (stories <= 0) return null;
  const base = loadConfig({ CORPUS_DIR: corpusDir, LOG_LEVEL: "silent" });
  return measureRebuildLatency({ seedCorpusDir: corpusDir, seedStories: seed.stories, stories, base, deps, depsModule: WIRING_MODULE, questions });
};
if (values["only-rebuild"]) {
  process.stdout.write(`${JSON.stringify({ machine: machine(), rebuildLatency: await rebuildLatency() }, null, 2)}\n`);
  process.exit(0);
}

const { modelsDir, modelId } = await ensureFullFixture();
const base = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: await mkdtemp(path.join(os.tmpdir(), "unb-bench-")), MODELS_DIR: modelsDir, EMBEDDING_MODEL: modelId, LOG_LEVEL: "silent" });

// Warm question latency: the model and index load once, then every question is timed end to end.
const latency: Record<string, unknown> = {};
let rssAfterLoadMB = 0;
for (const mode of ["lexical", "dense", "hybrid"] as const satisfies readonly RetrievalMode[]) {
  const service = await openNewsService({ ...base, retrieval: mode }, deps, { build: "always" });
  if (mode === "hybrid") rssAfterLoadMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const engine = service.engine();
  for (const q of questions.slice(0, 5)) await engine.ask(q);
  const times: number[] = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const q of questions) {
      const t = performance.now();
      await engine.ask(q);
      times.push(performance.now() - t);
    }
  }
  latency[mode] = { questions: times.length, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), maxMs: round(percentile(times, 100)) };
  await service.close();
}

// Build throughput: a fresh index of a synthetic corpus made from the seed's paragraphs.
const paragraphs = seed.stories.flatMap((s) => s.paragraphs);
const buildCorpus = await mkdtemp(path.join(os.tmpdir(), "unb-bench-corpus-"));
const count = Number(values["build-passages"]);
const lines = Array.from({ length: Math.ceil(count / 4) }, (_, i) =>
  JSON.stringify({ id: `b${i}`, title: `${seed.stories[i % seed.stories.length]!.title}（${i}）`, text: Array.from({ length: 4 }, (_, j) => paragraphs[(i * 4 + j) % paragraphs.length]).join("\n") }),
);
await writeFile(path.join(buildCorpus, "bench.jsonl"), `${lines.join("\n")}\n`);
const embedder = await deps.createEmbedder({ ...base, retrieval: "hybrid" });
const buildDir = await mkdtemp(path.join(os.tmpdir(), "unb-bench-index-"));
const build = await buildIndex({ corpusDir: buildCorpus, indexDir: buildDir, embedder, vectorFactory: deps.vectorFactory, segmenter: deps.segmenter });
const rebuild = await buildIndex({ corpusDir: buildCorpus, indexDir: buildDir, embedder, vectorFactory: deps.vectorFactory, segmenter: deps.segmenter });
await embedder.dispose();

const duringRebuild = await rebuildLatency();

const hnsw: Record<string, unknown> = {};
for (const n of values.hnsw.split(",").map(Number)) hnsw[String(n)] = await benchHnsw({ count: n, dimensions: 512, queries: 200, k: 10, seed: 42 });

process.stdout.write(
  `${JSON.stringify(
    {
      machine: machine(),
      model: `${modelId} (fixture, fp32)`,
      warmQuestionLatency: latency,
      rssAfterLoadMB,
      buildIndex: {
        passages: build.passages,
        seconds: build.seconds,
        passagesPerSecond: round(build.passages / build.seconds, 1),
        unchangedRebuildSeconds: rebuild.seconds,
        unchangedRebuildEmbedded: rebuild.embedded,
      },
      rebuildLatency: duringRebuild,
      hnsw,
    },
    null,
    2,
  )}\n`,
);
