import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type BuildRunner, createWorkerRunner, inProcessRunner } from "../build-runner.js";
import type { Config } from "../config.js";
import type { Story } from "../corpus/story.js";
import { percentile } from "../eval/metrics.js";
import { openNewsService, type ServiceDeps } from "../service.js";
import { writeSyntheticCorpus } from "./news-corpus.js";

export interface TrickleFigures {
  readonly questions: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly maxMs: number | null;
}

export interface RebuildLatency {
  readonly mode: "lexical";
  readonly corpusStories: number;
  readonly passages: number;
  readonly intervalMs: number;
  readonly idle: TrickleFigures;
  readonly duringWorkerRebuild: TrickleFigures & { readonly buildSeconds: number };
  readonly duringInProcessRebuild: (TrickleFigures & { readonly buildSeconds: number }) | null;
  /** p95 during the worker rebuild over p95 idle (the target is at most 2). */
  readonly p95RatioWorker: number | null;
}

export interface RebuildLatencyOptions {
  readonly seedCorpusDir: string;
  readonly seedStories: readonly Story[];
  readonly stories: number;
  readonly base: Config;
  readonly deps: ServiceDeps;
  /** The module the worker imports its deps from (`src/wiring.ts`). */
  readonly depsModule: string;
  readonly questions: readonly string[];
  readonly intervalMs?: number;
  readonly idleSeconds?: number;
  /** Also measure the old way (build on the answering thread), for comparison. */
  readonly compareInProcess?: boolean;
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/**
 * A trickle of questions (one every `intervalMs`, each timed from when it
 * "arrived", so time spent waiting for a frozen event loop counts) while
 * the service is idle, then while `reindex` rebuilds a large generated
 * corpus — in the worker thread, and, for comparison, on the answering
 * thread as before. Lexical mode: the synchronous parts (parsing,
 * segmentation, BM25, writing) are what froze answers; no model needed.
 */
export async function measureRebuildLatency(opts: RebuildLatencyOptions): Promise<RebuildLatency> {
  const intervalMs = opts.intervalMs ?? 50;
  const corpusDir = await mkdtemp(path.join(os.tmpdir(), "unb-bench-rebuild-corpus-"));
  for (const f of await readdir(opts.seedCorpusDir)) if (/\.(txt|jsonl)$/.test(f)) await copyFile(path.join(opts.seedCorpusDir, f), path.join(corpusDir, f));

  const run = async (runner: BuildRunner | undefined) => {
    const indexDir = await mkdtemp(path.join(os.tmpdir(), "unb-bench-rebuild-index-"));
    const config: Config = { ...opts.base, corpusDir, indexDir, retrieval: "lexical" };
    const service = await openNewsService(config, { ...opts.deps, rebuildRunner: runner }, { build: "always" });
    const ask = (q: string) => service.engine().ask(q);
    for (const q of opts.questions) await ask(q); // warm-up: JIT, caches
    const idle = await trickle(ask, opts.questions, intervalMs, () => sleep((opts.idleSeconds ?? 10) * 1000));
    await writeSyntheticCorpus(corpusDir, opts.seedStories, opts.stories);
    const started = performance.now();
    let passages = 0;
    let buildSeconds = 0;
    const during = await trickle(ask, opts.questions, intervalMs, async () => {
      passages = (await service.reindex()).passages;
      buildSeconds = (performance.now() - started) / 1000;
    });
    await service.close();
    await rm(indexDir, { recursive: true, force: true });
    for (const f of await readdir(corpusDir)) if (f.startsWith("generated-")) await rm(path.join(corpusDir, f));
    return { idle, during: { ...during, buildSeconds: Math.round(buildSeconds * 10) / 10 }, passages };
  };

  const worker = createWorkerRunner(opts.depsModule);
  const viaWorker = await run(worker);
  const inProcess = opts.compareInProcess === false ? undefined : await run(inProcessRunner(opts.deps, undefined));
  await rm(corpusDir, { recursive: true, force: true });
  return {
    mode: "lexical",
    corpusStories: opts.stories,
    passages: viaWorker.passages,
    intervalMs,
    idle: viaWorker.idle,
    duringWorkerRebuild: viaWorker.during,
    duringInProcessRebuild: inProcess?.during ?? null,
    p95RatioWorker: viaWorker.idle.p95Ms && viaWorker.during.p95Ms ? round(viaWorker.during.p95Ms / viaWorker.idle.p95Ms) : null,
  };
}

/** Asks questions at a steady rate until `during` settles; latency counts from each question's arrival. */
async function trickle(ask: (q: string) => Promise<unknown>, questions: readonly string[], intervalMs: number, during: () => Promise<void>): Promise<TrickleFigures> {
  const times: number[] = [];
  let running = true;
  const asking = (async () => {
    const t0 = performance.now();
    for (let k = 0; running; k++) {
      const arrival = t0 + k * intervalMs;
      const wait = arrival - performance.now();
      if (wait > 0) await sleep(wait);
      if (!running) break;
      await ask(questions[k % questions.length]!);
      times.push(performance.now() - arrival);
    }
  })();
  await during();
  running = false;
  await asking;
  return { questions: times.length, p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), maxMs: round(percentile(times, 100)) };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
