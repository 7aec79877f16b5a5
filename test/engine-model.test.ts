import { beforeAll, describe, expect, it } from "vitest";
import { IndexError } from "../src/errors.js";
import { openNewsService, type NewsService } from "../src/service.js";
import { defaultDeps } from "../src/wiring.js";
import { ensureTinyModel, ensureTinyModelB } from "./support/fixture-model.js";
import { testConfig } from "./support/service.js";

/**
 * The real code path (transformers.js + HNSW) with a random-weight model: it
 * proves the wiring, not the quality. Nothing here expects the dense ranking
 * to mean anything.
 */
let hybrid: NewsService;
let dense: NewsService;
let modelEnv: Record<string, string>;

beforeAll(async () => {
  const { modelsDir, modelId } = await ensureTinyModel();
  modelEnv = { MODELS_DIR: modelsDir, EMBEDDING_MODEL: modelId };
  hybrid = await openNewsService(await testConfig({ ...modelEnv, RETRIEVAL: "hybrid" }), defaultDeps(), { build: "always" });
  dense = await openNewsService(await testConfig({ ...modelEnv, RETRIEVAL: "dense" }), defaultDeps(), { build: "always" });
});

describe("the engine with the generated model", () => {
  it("builds an index recording the model and its dimensions", () => {
    expect(hybrid.mode).toBe("hybrid");
    expect(hybrid.manifest()).toMatchObject({ stories: 8, passages: 25, embedding: { model: "fixture/bge-small-zh-tiny", dimensions: 32, dtype: "fp32" } });
  });

  it("dense mode returns k passages ranked by cosine, repeatably", async () => {
    const a = await dense.engine().ask("公交职工收到了哪些防暑降温慰问品？", { k: 7 });
    expect(a.mode).toBe("dense");
    expect(a.passages).toHaveLength(7);
    const scores = a.passages.map((p) => p.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    for (const s of scores) expect(Math.abs(s)).toBeLessThanOrEqual(1.0001);
    const again = await dense.engine().ask("公交职工收到了哪些防暑降温慰问品？", { k: 7 });
    expect(again.passages).toEqual(a.passages);
  });

  it("hybrid keeps exact names and numbers on top whatever the dense ranking says", async () => {
    for (const [question, needle] of [
      ["11311工作体系", "11311"],
      ["杨华清是谁？", "杨华清"],
      ["“清凉小屋”", "清凉小屋"],
    ] as const) {
      const a = await hybrid.engine().ask(question);
      expect(a.passages[0]!.text, question).toContain(needle);
    }
  });

  it("hybrid answers cite what they quote", async () => {
    const a = await hybrid.engine().ask("公交职工收到了哪些防暑降温慰问品？");
    expect(a.abstained).toBe(false);
    // The random model decides which passages are fused in, not the wording: every
    // quoted sentence must stand verbatim in the passage its marker cites.
    for (const line of a.answer.split("\n")) {
      const m = /^(.*)\[(\d+)\]$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(a.citations.find((c) => c.n === Number(m![2]))!.text).toContain(m![1]!);
    }
    const markers = new Set([...a.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    expect(markers).toEqual(new Set(a.citations.map((c) => c.n)));
    for (const c of a.citations) expect(hybrid.engine().story(c.storyId)!.paragraphs[c.paragraph - 1]).toContain(c.text);
  });

  it("refuses to serve an index built by another model", async () => {
    const config = await testConfig({ ...modelEnv, RETRIEVAL: "hybrid" });
    await openNewsService(config, defaultDeps(), { build: "always" });
    const other = await ensureTinyModelB();
    const mismatched = { ...config, embeddingModel: other.modelId };
    const error = await openNewsService(mismatched, defaultDeps(), { build: "never" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toContain("built with fixture/bge-small-zh-tiny (32 dimensions)");
    expect((error as Error).message).toContain("EMBEDDING_MODEL is fixture/other-tiny (48 dimensions)");
  });
});
