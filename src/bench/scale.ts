import { spawn } from "node:child_process";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config.js";
import type { Story } from "../corpus/story.js";
import { percentile } from "../eval/metrics.js";
import type { EvalQuestion } from "../eval/questions.js";
import { runEval } from "../eval/run.js";
import { buildIndex } from "../index/build.js";
import type { Segmenter } from "../search/segment.js";
import { openNewsService, type ServiceDeps } from "../service.js";
import type { VectorIndexFactory } from "../index/vector-index.js";
import { distractorCorpus, toJsonl } from "./distractors.js";
import { createHashEmbedder } from "./hash-embedder.js";

export interface ScaleOptions {
  readonly passages: number;
  /** The real stories the distractor corpus is grown from. */
  readonly stories: readonly Story[];
  readonly questions: readonly EvalQuestion[];
  /** Folder for this size's corpus and index (emptied first). */
  readonly workDir: string;
  readonly segmenter: Segmenter;
  readonly deps: ServiceDeps;
  readonly repoRoot: string;
  /** Timed rounds over the questions for latency. */
  readonly rounds: number;
  /** Cold starts measured (median reported). */
  readonly coldRuns: number;
  /** Threads that segment during builds (BUILD_THREADS; 0: on the build's own thread). */
  readonly segmentThreads: number;
  /** Also time adding one story to a dense index of this size (built with a hashing stand-in for the model). */
  readonly vectorFactory?: VectorIndexFactory;
}

export interface ScaleResult {
  readonly passages: number;
  readonly stories: number;
  /** Wall seconds, and CPU seconds (user + system) of this process: on a shared machine the second says what the work costs. */
  readonly build: {
    readonly seconds: number;
    readonly cpuSeconds: number;
    readonly passagesPerSecond: number;
    readonly segmentThreads: number;
    readonly unchangedRebuildSeconds: number;
    readonly unchangedRebuildCpuSeconds: number;
    readonly addOneStorySeconds: number;
    readonly addOneStoryCpuSeconds: number;
  };
  readonly lexicalQuestion: { readonly questions: number; readonly p50Ms: number | null; readonly p95Ms: number | null; readonly maxMs: number | null };
  readonly quality: { readonly answerable: number; readonly hitAt1: number | null; readonly hitAt5: number | null; readonly mrrAt10: number | null; readonly answerHit: number | null };
  readonly coldStart: { readonly runs: number; readonly medianSeconds: number | null; readonly maxRssMB: number | null; readonly command: string };
  readonly indexBytes: { readonly lexical: number; readonly nearDuplicates: number; readonly passages: number; readonly texts: number; readonly stories: number };
  /**
   * With `vectorFactory`: a dense build of the same corpus (512-dim vectors from a hashing
   * stand-in, not a model) and adding the one story to it, wall and CPU seconds; the
   * forward pass of the model for its passages is not included.
   */
  readonly dense?: { readonly buildSeconds: number; readonly addOneStorySeconds: number; readonly addOneStoryCpuSeconds: number; readonly embedded: number; readonly graphRearranged: boolean };
}

const NEW_STORY_FILE = "zz-new-story.jsonl";
const round = (x: number | null, d = 2) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const seconds = (t: number) => round((performance.now() - t) / 1000, 3)!;
const cpuSince = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return round((d.user + d.system) / 1e6, 3)!;
};

/**
 * Lexical retrieval at one corpus size, on a corpus generated from real
 * stories (see `distractorCorpus`): build throughput, an unchanged rebuild,
 * adding one story, warm question latency and quality over the question
 * set, and cold start (a fresh `ask` process, start to answer, with its peak RSS).
 */
export async function benchScale(opts: ScaleOptions): Promise<ScaleResult> {
  const corpusDir = path.join(opts.workDir, "corpus");
  const indexDir = path.join(opts.workDir, "index");
  await rm(opts.workDir, { recursive: true, force: true });
  await writeCorpus(corpusDir, opts);
  const build = () => buildIndex({ corpusDir, indexDir, segmenter: opts.segmenter, segmentThreads: opts.segmentThreads });
  let t = performance.now();
  let c = process.cpuUsage();
  const first = await build();
  const buildSeconds = seconds(t);
  const buildCpu = cpuSince(c);
  t = performance.now();
  c = process.cpuUsage();
  await build();
  const unchanged = seconds(t);
  const unchangedCpu = cpuSince(c);
  await writeFile(
    path.join(corpusDir, NEW_STORY_FILE),
    toJsonl([{ id: "new-story", title: "职工书屋正式开放", text: "本报讯 区总工会职工书屋正式开放。\n书屋藏书三千余册，职工可凭工会会员卡免费借阅。\n开放时间为每周一至周五。\n书屋还将定期举办读书分享会。" }]),
  );
  t = performance.now();
  c = process.cpuUsage();
  const added = await build();
  const addOne = seconds(t);
  const addOneCpu = cpuSince(c);
  if (added.added !== 4) throw new Error(`adding one story added ${added.added} passages, expected 4`);

  const { report, times } = await askAll(corpusDir, indexDir, opts);

  const cold = await coldStarts(opts, corpusDir, indexDir);
  const dense = opts.vectorFactory ? await denseAddOne(corpusDir, path.join(opts.workDir, "index-dense"), opts, opts.vectorFactory) : undefined;
  const buildDir = path.join(indexDir, "builds", added.buildId);
  const size = async (f: string) => (await stat(path.join(buildDir, f)).catch(() => ({ size: 0 }))).size;
  return {
    passages: first.passages,
    stories: first.stories,
    build: {
      seconds: buildSeconds,
      cpuSeconds: buildCpu,
      passagesPerSecond: Math.round(first.passages / buildSeconds),
      segmentThreads: opts.segmentThreads,
      unchangedRebuildSeconds: unchanged,
      unchangedRebuildCpuSeconds: unchangedCpu,
      addOneStorySeconds: addOne,
      addOneStoryCpuSeconds: addOneCpu,
    },
    lexicalQuestion: { questions: times.length, p50Ms: round(percentile(times, 50), 3), p95Ms: round(percentile(times, 95), 3), maxMs: round(percentile(times, 100), 3) },
    quality: {
      answerable: report.answerable,
      hitAt1: report.retrieval.hitAt1,
      hitAt5: report.retrieval.hitAt5,
      mrrAt10: report.retrieval.mrrAt10,
      answerHit: report.answers.answerHit,
    },
    coldStart: cold,
    indexBytes: { lexical: await size("lexical.bin"), nearDuplicates: await size("near-duplicates.bin"), passages: await size("passages.bin"), texts: await size("texts.bin"), stories: await size("stories.jsonl") },
    ...(dense ? { dense } : {}),
  };
}

/**
 * The question figures: one pass for quality, then `rounds` timed passes.
 * A function of its own so the loaded index (its maps of keys and terms, its
 * stories) is garbage before the dense build and addition that follow: a
 * real rebuild runs in a process or thread of its own, not beside a loaded
 * engine whose objects every collection would mark again.
 */
async function askAll(corpusDir: string, indexDir: string, opts: ScaleOptions): Promise<{ report: Awaited<ReturnType<typeof runEval>>; times: number[] }> {
  const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical", LOG_LEVEL: "silent" });
  const service = await openNewsService(config, opts.deps, { build: "never" });
  try {
    const engine = service.engine();
    const report = await runEval(opts.questions, (q, k) => engine.ask(q, { k }), { mode: "lexical", k: 10 });
    const times: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      for (const q of opts.questions) times.push((await engine.ask(q.question)).latencyMs);
    }
    return { report, times };
  } finally {
    await service.close();
  }
}

/**
 * Writes the generated corpus in files of 5,000 stories (about 20 MB, well
 * under CORPUS_MAX_FILE_MB's default of 50 MB). A function of its own so
 * the records (about 80 MB of heap at 100k passages) are garbage once it
 * returns: held by the caller through the build, every collection during
 * the build marked them too (a 100k build took 29.5 s of CPU beside them, 25.7 s without, one pair of runs).
 */
async function writeCorpus(corpusDir: string, opts: Pick<ScaleOptions, "stories" | "passages">): Promise<void> {
  await mkdir(corpusDir, { recursive: true });
  const records = distractorCorpus(opts.stories, opts.passages, 1);
  const perFile = 5_000;
  for (let i = 0; i < records.length; i += perFile) {
    await writeFile(path.join(corpusDir, `part-${String(i / perFile).padStart(3, "0")}.jsonl`), toJsonl(records.slice(i, i + perFile)));
  }
}

/** The dense figures of `ScaleResult.dense`: the corpus without the new story, built; then with it. */
async function denseAddOne(corpusDir: string, indexDir: string, opts: ScaleOptions, vectorFactory: VectorIndexFactory): Promise<NonNullable<ScaleResult["dense"]>> {
  const newStory = path.join(corpusDir, NEW_STORY_FILE);
  const aside = path.join(opts.workDir, NEW_STORY_FILE);
  await rename(newStory, aside);
  const build = () => buildIndex({ corpusDir, indexDir, segmenter: opts.segmenter, segmentThreads: opts.segmentThreads, embedder: createHashEmbedder(), vectorFactory });
  let t = performance.now();
  await build();
  const buildSeconds = seconds(t);
  await rename(aside, newStory);
  t = performance.now();
  const c = process.cpuUsage();
  const added = await build();
  const addOneStorySeconds = seconds(t);
  const addOneStoryCpuSeconds = cpuSince(c);
  const graph = (await stat(path.join(indexDir, "builds", added.buildId, "vectors.hnsw.labels")).catch(() => undefined)) !== undefined;
  return { buildSeconds, addOneStorySeconds, addOneStoryCpuSeconds, embedded: added.embedded, graphRearranged: graph };
}

/** `node --import tsx scripts/ask.ts --json <question>` under /usr/bin/time: wall seconds and peak RSS. */
async function coldStarts(opts: ScaleOptions, corpusDir: string, indexDir: string): Promise<ScaleResult["coldStart"]> {
  const question = opts.questions.find((q) => q.unanswerable !== true)?.question ?? "工会";
  const args = ["-f", "%e %M", process.execPath, "--import", "tsx", path.join(opts.repoRoot, "scripts", "ask.ts"), "--json", question];
  const walls: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < opts.coldRuns; i++) {
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn("/usr/bin/time", args, {
        cwd: opts.repoRoot,
        env: { ...process.env, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical", LOG_LEVEL: "silent" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(err) : reject(new Error(`cold ask exited ${code}: ${err.slice(-500)}`))));
    });
    const [wall, kb] = stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    walls.push(wall!);
    rss.push(kb! / 1024);
  }
  return {
    runs: walls.length,
    medianSeconds: round(percentile(walls, 50)),
    maxRssMB: rss.length === 0 ? null : Math.round(Math.max(...rss)),
    command: `node --import tsx scripts/ask.ts --json "${question}" (RETRIEVAL=lexical), under /usr/bin/time`,
  };
}
