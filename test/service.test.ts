import { describe, expect, it } from "vitest";
import { ModelError } from "../src/errors.js";
import { createHnswFactory } from "../src/index/hnsw.js";
import { LEXICAL_FALLBACK_NOTICE, openNewsService } from "../src/service.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { depsWith, testConfig } from "./support/service.js";

const noModel = () => Promise.reject(new ModelError("Xenova/bge-small-zh-v1.5", "not found under MODELS_DIR=/nowhere"));

describe("choosing the retrieval mode", () => {
  it("falls back to lexical with a loud warning when RETRIEVAL is unset and no model loads", async () => {
    const service = await openNewsService(await testConfig(), depsWith(noModel, createHnswFactory()), { build: "always" });
    expect(service.mode).toBe("lexical");
    expect(service.notices[0]).toContain(LEXICAL_FALLBACK_NOTICE);
    expect(service.notices[0]).toContain("MODELS_DIR=/nowhere");
    expect(service.manifest().embedding).toBeNull();
    expect((await service.engine().ask("杨华清是谁？")).abstained).toBe(false);
  });

  it("fails instead when hybrid is asked for explicitly", async () => {
    const config = await testConfig({ RETRIEVAL: "hybrid" });
    await expect(openNewsService(config, depsWith(noModel, createHnswFactory()), { build: "always" })).rejects.toThrow(
      /Xenova\/bge-small-zh-v1\.5: not found under MODELS_DIR=\/nowhere/,
    );
  });

  it("serves hybrid when the model loads, and rebuilds a lexical-only index with vectors", async () => {
    const config = await testConfig();
    await openNewsService(config, depsWith(noModel, createHnswFactory()), { build: "always" });
    const service = await openNewsService(config, depsWith(async () => createFakeEmbedder(), createHnswFactory()), { build: "if-missing" });
    expect(service.mode).toBe("hybrid");
    expect(service.notices).toEqual([]);
    expect(service.manifest().embedding).toMatchObject({ model: "fake/bigram-hash", dimensions: 32 });
    const answer = await service.engine().ask("公交职工收到了哪些防暑降温慰问品？");
    expect(answer.mode).toBe("hybrid");
    expect(answer.answer).toContain("毛巾、茶叶、绿茶饮料");
  });

  it("swaps in a rebuilt index while the old engine keeps answering", async () => {
    const config = await testConfig({ RETRIEVAL: "lexical" });
    const service = await openNewsService(config, depsWith(noModel, createHnswFactory()), { build: "always" });
    const before = service.engine();
    const report = await service.reindex();
    expect(report.unchanged).toBe(true);
    expect(service.engine()).toBe(before);
    expect((await before.ask("杨华清是谁？")).abstained).toBe(false);
  });
});
