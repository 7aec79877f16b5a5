/**
 * Entry of the build worker thread (see `createWorkerRunner`): builds the
 * index from the configuration it is given and posts progress, then the
 * report or the typed error. Nothing here touches the served index in memory.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type BuildDeps, buildOptions, serializeError, type WorkerJob, type WorkerMessage } from "./build-runner.js";
import { buildIndex } from "./index/build.js";

const job = workerData as WorkerJob;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const { defaultDeps } = (await import(job.depsModule)) as { defaultDeps(): BuildDeps };
  const deps = defaultDeps();
  const embedder = job.request.withModel ? await deps.createEmbedder(job.request.config) : undefined;
  try {
    const report = await buildIndex(buildOptions(job.request.config, deps, embedder, (done, total) => post({ type: "progress", done, total })));
    post({ type: "done", report });
  } finally {
    await embedder?.dispose();
  }
} catch (error) {
  post({ type: "error", error: serializeError(error) });
}
