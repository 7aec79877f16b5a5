import { copyFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createWorkerRunner, type BuildRunner } from "../src/build-runner.js";
import { writeSyntheticCorpus } from "../src/bench/news-corpus.js";
import { loadCorpus } from "../src/corpus/load.js";
import { buildIndex } from "../src/index/build.js";
import { createHnswFactory } from "../src/index/hnsw.js";
import { createSegmenter } from "../src/search/segment.js";
import { openNewsService } from "../src/service.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { depsWith, lexicalDeps, testConfig } from "./support/service.js";
import { WORKER_DEPS } from "./support/worker-deps.js";
import { ensureTinyModel } from "./support/fixture-model.js";
import { defaultDeps } from "../src/wiring.js";
import { checkpointFile } from "../src/index/checkpoint.js";
import { stat } from "node:fs/promises";

const seed = (await loadCorpus(seedCorpusDir)).stories;

async function seedCorpus(): Promise<string> {
  const dir = await tempDir("unb-corpus-");
  await copyFile(path.join(seedCorpusDir, seedFile), path.join(dir, seedFile));
  return dir;
}

describe("rebuilds run in a worker thread", () => {
  it("keeps answering members while a large rebuild runs, then serves the new index", async () => {
    const corpusDir = await seedCorpus();
    const worker = createWorkerRunner(WORKER_DEPS);
    let workerDone = Number.POSITIVE_INFINITY;
    const runner: BuildRunner & { stop(): Promise<void> } = Object.assign(
      async (...args: Parameters<BuildRunner>) => {
        const report = await worker(...args);
        workerDone = performance.now();
        return report;
      },
      { stop: worker.stop },
    );
    const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" });
    const service = await openNewsService(config, { ...lexicalDeps(), rebuildRunner: runner }, { build: "always" });
    // 1,200 stories (3,600 passages): segmenting and indexing them on this thread would block it for seconds.
    await writeSyntheticCorpus(corpusDir, seed, 1200);

    workerDone = Number.POSITIVE_INFINITY; // the start-up build went through the same runner
    const started = performance.now();
    let last = started;
    let maxGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      if (now < workerDone) maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const answeredDuringBuild: number[] = [];
    let rebuilding = true;
    const trickle = (async () => {
      while (rebuilding) {
        const t = performance.now();
        const answer = await service.engine().ask("公交职工收到了哪些防暑降温慰问品？");
        const done = performance.now();
        expect(answer.abstained).toBe(false);
        if (done < workerDone) answeredDuringBuild.push(done - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const report = await service.reindex();
    rebuilding = false;
    await trickle;
    clearInterval(ticker);

    expect(report).toMatchObject({ stories: 1208 });
    const buildMs = workerDone - started;
    console.log(`worker build ${Math.round(buildMs)} ms; ${answeredDuringBuild.length} questions answered meanwhile; longest event-loop gap ${Math.round(maxGap)} ms`);
    expect(buildMs).toBeGreaterThan(500);
    expect(answeredDuringBuild.length).toBeGreaterThanOrEqual(5);
    expect(maxGap).toBeLessThan(Math.max(250, buildMs / 4));
    expect(service.engine().stories).toHaveLength(1208);
    expect(service.manifest().stories).toBe(1208);
    await service.close();
  });

  it("reports a bad corpus file from the worker as the same typed error, and keeps serving", async () => {
    const corpusDir = await seedCorpus();
    const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" });
    const service = await openNewsService(config, { ...lexicalDeps(), rebuildRunner: createWorkerRunner(WORKER_DEPS) }, { build: "always" });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(corpusDir, "broken.jsonl"), "{nope}\n");
    await expect(service.reindex()).rejects.toThrow(/broken\.jsonl:1: invalid JSON/);
    expect(service.engine().stories).toHaveLength(8);
    await service.close();
  });

  it("a worker stopped mid-embedding leaves a checkpoint the next build resumes from", async () => {
    const corpusDir = await seedCorpus();
    await writeSyntheticCorpus(corpusDir, seed, 100);
    const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "hybrid" });
    // Kept set until the worker has read it: a thread copies the environment when it starts, at the first build,
    // and deleted before that (as it was) the build ran unslowed and sometimes finished before the stop.
    process.env["UNB_TEST_EMBED_DELAY_MS"] = "150";
    const worker = createWorkerRunner(WORKER_DEPS);
    let done = 0;
    const killed = worker({ config, withModel: true }, (d) => {
      done = d;
    });
    const outcome = killed.catch((e: unknown) => e);
    while (done < 128) await new Promise((r) => setTimeout(r, 10));
    delete process.env["UNB_TEST_EMBED_DELAY_MS"];
    await worker.stop();
    expect(String(await outcome)).toMatch(/the rebuild was stopped before finishing; the served index is unchanged/);

    const next = createFakeEmbedder();
    const report = await buildIndex({ corpusDir, indexDir: config.indexDir, embedder: next, vectorFactory: createHnswFactory(), segmenter: createSegmenter() });
    expect(report.passages).toBe(325);
    expect(report.resumed).toBeGreaterThanOrEqual(128);
    expect(report.embedded).toBe(325 - report.resumed);
    expect(next.embeddedTexts).toHaveLength(report.embedded);
    // The service opens on it: the worker's lease did not outlive it.
    const service = await openNewsService(config, depsWith(async () => createFakeEmbedder(), createHnswFactory()), { build: "always" });
    expect(service.manifest().passages).toBe(325);
    await service.close();
  });

  it("with the real model (tiny fixture, transformers.js in the worker), stopping mid-embedding ends cleanly and keeps the checkpoint", async () => {
    // Terminating a thread inside onnxruntime aborts the whole process; the stop must be cooperative.
    const { modelsDir, modelId } = await ensureTinyModel();
    const corpusDir = await seedCorpus();
    const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "hybrid", MODELS_DIR: modelsDir, EMBEDDING_MODEL: modelId });
    const service = await openNewsService(config, defaultDeps(), { build: "always" });
    await writeSyntheticCorpus(corpusDir, seed, 300);
    let done = 0;
    const outcome = service.reindex((d) => {
      done = d;
    }).catch((e: unknown) => e);
    while (done < 64) await new Promise((r) => setTimeout(r, 5));
    await service.close();
    expect(String(await outcome)).toMatch(/the rebuild was stopped before finishing/);
    expect(service.engine().stories).toHaveLength(8);

    const saved = (await stat(checkpointFile(config.indexDir, { model: modelId, dtype: "fp32", dimensions: 32 }))).size;
    expect(saved / (32 + 32 * 4)).toBeGreaterThanOrEqual(64);
  });

  it("a build that runs out of heap ends its thread, not the process: /reindex and npm start name it and serve the old index", async () => {
    const corpusDir = await seedCorpus();
    const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" });
    // A 24 MB heap cannot hold 8,000 stories being segmented and indexed (2,000 fit since the compact lexical index).
    const service = await openNewsService(config, { ...lexicalDeps(), rebuildRunner: createWorkerRunner(WORKER_DEPS, { maxHeapMb: 24 }) }, { build: "always" });
    await writeSyntheticCorpus(corpusDir, seed, 8000, 8000);
    const t = performance.now();
    const error = await service.reindex().catch((e: unknown) => e);
    console.log(`out of heap after ${Math.round(performance.now() - t)} ms`);
    expect(String(error)).toMatch(/the build worker failed \(.*memory.*\) before finishing; the served index is unchanged/i);
    expect(service.engine().stories).toHaveLength(8);
    expect((await service.engine().ask("杨华清是谁？")).abstained).toBe(false);
    // npm start with the same corpus: the start-up build fails the same way, and the old index serves.
    const restarted = await openNewsService(config, { ...lexicalDeps(), rebuildRunner: createWorkerRunner(WORKER_DEPS, { maxHeapMb: 24 }) }, { build: "always" });
    expect(restarted.notices.join("\n")).toMatch(/the build worker failed \(.*memory.*\)[\s\S]*Serving the previous index/i);
    expect(restarted.engine().stories).toHaveLength(8);
    await restarted.close();
    // The dead worker's lease was cleared: the next build (without the big file) goes through.
    const { rm } = await import("node:fs/promises");
    await rm(path.join(corpusDir, "generated-0000.jsonl"));
    await writeSyntheticCorpus(corpusDir, seed, 20);
    await expect(buildIndex({ corpusDir, indexDir: config.indexDir, segmenter: createSegmenter() })).resolves.toMatchObject({ stories: 28 });
    await service.close();
  });
});
