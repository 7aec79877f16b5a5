import { createRequire } from "node:module";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import type { Config } from "./config.js";
import { describeDatabase } from "./db/postgres.js";
import type { Embedder } from "./embed/embedder.js";
import { CorpusError, CorpusRejectedError, DatabaseError, IndexError, ModelError } from "./errors.js";
import type { BuildOptions, BuildReport } from "./index/build.js";
import { createFolderStore } from "./index/folder-store.js";
import type { IndexStore } from "./index/index-store.js";
import { LOCK_FILE, ownLease } from "./index/lock.js";
import type { VectorIndexFactory } from "./index/vector-index.js";
import type { Segmenter } from "./search/segment.js";

export type Progress = (done: number, total: number) => void;

/** The native pieces a build needs, created in `wiring.ts`; tests pass fakes. */
export interface BuildDeps {
  createEmbedder(config: Config): Promise<Embedder>;
  readonly vectorFactory: VectorIndexFactory;
  readonly segmenter: Segmenter;
  /** Where the index lives (chosen in `wiring.ts`); unset: the folder INDEX_DIR. */
  createIndexStore?(config: Config): IndexStore;
}

/** Where the configured index lives, for messages: INDEX_DIR, or the database's host:port/db (never its password). */
export function indexLocation(config: Config): string {
  return config.databaseUrl === undefined ? config.indexDir : `database ${describeDatabase(config.databaseUrl)}`;
}

/** The store a configuration names, as the wiring chooses it. */
export function openIndexStore(config: Config, deps: Pick<BuildDeps, "createIndexStore">): IndexStore {
  return deps.createIndexStore?.(config) ?? createFolderStore(config.indexDir);
}

/** Builds into the configured store, opened for this build only. */
export async function buildInStore(config: Config, deps: BuildDeps, opts: BuildOptions): Promise<BuildReport> {
  const store = openIndexStore(config, deps);
  try {
    return await store.build(opts);
  } finally {
    await store.close();
  }
}

/** What a rebuild is asked to do: build from `config`, with the model or lexical only. */
export interface BuildRequest {
  readonly config: Config;
  readonly withModel: boolean;
}

/** Runs one build somewhere (this thread, a worker) and reports it. */
export type BuildRunner = (request: BuildRequest, onProgress?: Progress) => Promise<BuildReport>;

/** The one translation from configuration to build options, shared by every runner. */
export function buildOptions(config: Config, deps: BuildDeps, embedder: Embedder | undefined, onProgress?: Progress): BuildOptions {
  return {
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    dtype: config.embeddingDtype,
    vectorFactory: deps.vectorFactory,
    segmenter: deps.segmenter,
    maxFileBytes: config.corpusMaxFileMb * 2 ** 20,
    ...(onProgress ? { onProgress } : {}),
  };
}

/** Builds on the caller's thread with an embedder it already holds (start-up, tests with fakes). */
export function inProcessRunner(deps: BuildDeps, embedder: Embedder | undefined): BuildRunner {
  return (request, onProgress) => buildInStore(request.config, deps, buildOptions(request.config, deps, request.withModel ? embedder : undefined, onProgress));
}

/** Messages from the build worker. */
export type WorkerMessage =
  | { readonly type: "progress"; readonly done: number; readonly total: number }
  | { readonly type: "done"; readonly report: BuildReport }
  | { readonly type: "error"; readonly error: SerializedError };

export type SerializedError =
  | { readonly kind: "corpus"; readonly errors: readonly { file: string; reason: string; line?: number | undefined }[] }
  | { readonly kind: "index"; readonly dir: string; readonly reason: string }
  | { readonly kind: "model"; readonly model: string; readonly reason: string }
  | { readonly kind: "database"; readonly server: string; readonly reason: string }
  | { readonly kind: "other"; readonly message: string };

export interface WorkerJob {
  readonly request: BuildRequest;
  /** URL of a module exporting `defaultDeps(): BuildDeps` (`wiring.ts`; tests name their own). */
  readonly depsModule: string;
}

/**
 * Builds in a worker thread, so the event loop that answers members stays
 * free while corpus parsing, segmentation, BM25 and file writing run (a
 * large rebuild on the main thread once froze answers for 40 s). The worker
 * loads its own model and native pieces from `depsModule`; it shares only
 * files with this thread. The caller reloads the published build after.
 * `stop()` asks a running build to stop between embedding batches (its
 * checkpoint survives for the next build) and waits for the thread to end.
 */
export function createWorkerRunner(depsModule: string | URL, opts: { maxHeapMb?: number } = {}): BuildRunner & { stop(): Promise<void> } {
  const limits = opts.maxHeapMb === undefined ? undefined : { maxOldGenerationSizeMb: opts.maxHeapMb };
  const running = new Map<Worker, boolean>();
  const run: BuildRunner = (request, onProgress) =>
    new Promise<BuildReport>((resolve, reject) => {
      const job: WorkerJob = { request, depsModule: String(depsModule) };
      const worker = startWorker(job, limits);
      const threadId = worker.threadId; // reads -1 once the worker has exited
      running.set(worker, request.withModel);
      let settled = false;
      let crash: Error | undefined;
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "progress") return onProgress?.(message.done, message.total);
        settled = true;
        if (message.type === "done") resolve(message.report);
        else reject(revive(message.error));
      });
      // An uncaught error (a heap out of memory included) ends the thread, not the process; "exit" follows.
      worker.on("error", (error) => {
        crash = error;
      });
      worker.on("exit", (code) => {
        running.delete(worker);
        if (settled) return;
        settled = true;
        // A terminated or crashed worker cannot release its lease itself.
        const why = crash ? `failed (${crash.message})` : `stopped (exit code ${code})`;
        void releaseLease(request.config.indexDir, threadId).finally(() =>
          reject(new IndexError(request.config.indexDir, `the build worker ${why} before finishing; the served index is unchanged`, crash ? { cause: crash } : undefined)),
        );
      });
    });
  return Object.assign(run, {
    async stop() {
      await Promise.all([...running].map(([w, withModel]) => stopWorker(w, withModel)));
    },
  });
}

/**
 * A lexical build holds no native session and may be terminated at once; one
 * with a model is asked to stop (terminating inside onnxruntime aborts the
 * process) and terminated only if it has not ended after `graceMs`.
 */
async function stopWorker(worker: Worker, withModel: boolean, graceMs = 60_000): Promise<void> {
  if (!withModel) return void (await worker.terminate());
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.postMessage({ type: "stop" });
  const timer = setTimeout(() => void worker.terminate(), graceMs);
  await exited;
  clearTimeout(timer);
}

const WORKER_ENTRY = new URL(`./build-worker${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url);

/**
 * Under tsx (how this project runs) the worker must register tsx's loader
 * before importing TypeScript; a compiled build would import the .js directly.
 */
function startWorker(job: WorkerJob, resourceLimits: ResourceLimits | undefined): Worker {
  const options = { workerData: job, ...(resourceLimits ? { resourceLimits } : {}) };
  if (!WORKER_ENTRY.pathname.endsWith(".ts")) return new Worker(WORKER_ENTRY, options);
  const bootstrap = `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_ENTRY.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function tsxApi(): string {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve("tsx/package.json"));
  const exports = (require("tsx/package.json") as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(path.join(root, exports["./esm/api"]!.import.default)).href;
}

/** Removes the lock file if the worker that died holds it. */
async function releaseLease(indexDir: string, threadId: number): Promise<void> {
  const file = path.join(indexDir, LOCK_FILE);
  const text = await readFile(file, "utf8").catch(() => "");
  const mine = await ownLease();
  try {
    const held = JSON.parse(text) as { pid?: number; started?: string; host?: string; thread?: number };
    if (held.pid === mine.pid && held.started === mine.started && held.host === mine.host && held.thread === threadId) await rm(file, { force: true });
  } catch {
    // Not our lease, or none.
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof CorpusRejectedError) return { kind: "corpus", errors: error.errors.map((e) => ({ file: e.file, reason: e.reason, line: e.line })) };
  if (error instanceof IndexError) return { kind: "index", dir: error.dir, reason: error.reason };
  if (error instanceof ModelError) return { kind: "model", model: error.model, reason: error.reason };
  if (error instanceof DatabaseError) return { kind: "database", server: error.server, reason: error.reason };
  return { kind: "other", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** The worker's error as the same typed error a build on this thread would throw. */
export function revive(error: SerializedError): Error {
  switch (error.kind) {
    case "corpus":
      return new CorpusRejectedError(error.errors.map((e) => new CorpusError(e.file, e.reason, e.line)));
    case "index":
      return new IndexError(error.dir, error.reason);
    case "model":
      return new ModelError(error.model, error.reason);
    case "database":
      return new DatabaseError(error.server, error.reason);
    default:
      return new Error(`the build failed in its worker: ${error.message}`);
  }
}
