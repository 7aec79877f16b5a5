/**
 * Entry of the build worker thread (see `createWorkerRunner`): builds the
 * index from the configuration it is given and posts progress, then the
 * report or the typed error. Nothing here touches the served index in memory.
 */
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type BuildDeps, buildInStore, buildOptions, serializeError, type WorkerJob, type WorkerMessage } from "./build-runner.js";
import { IndexError } from "./errors.js";

const job = workerData as WorkerJob;
// On two cores the build and the answers compete for CPU: the build yields.
// Linux keeps nice values per thread, so this lowers only this thread (and
// the threads it starts, such as onnxruntime's), not the answering one.
try {
  os.setPriority(10);
} catch {
  // Not permitted here: the build runs at normal priority.
}
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
// Asked to stop, the build ends between embedding batches; terminating the
// thread inside onnxruntime would abort the whole process.
const stopping = new AbortController();
parentPort!.on("message", (message: { type?: string }) => {
  if (message.type === "stop") stopping.abort();
});
parentPort!.unref();

try {
  const { defaultDeps } = (await import(job.depsModule)) as { defaultDeps(): BuildDeps };
  const deps = defaultDeps();
  const embedder = job.request.withModel ? await deps.createEmbedder(job.request.config) : undefined;
  let report;
  try {
    report = await buildInStore(job.request.config, deps, {
      ...buildOptions(job.request.config, deps, embedder, (done, total) => post({ type: "progress", done, total })),
      signal: stopping.signal,
    });
  } finally {
    // Released before answering: the thread then ends by itself, with no native session alive.
    await embedder?.dispose();
  }
  post({ type: "done", report });
} catch (error) {
  const stopped = stopping.signal.aborted ? new IndexError(job.request.config.indexDir, "the rebuild was stopped before finishing; the served index is unchanged (vectors embedded so far are kept for the next build)") : error;
  post({ type: "error", error: serializeError(stopped) });
}
