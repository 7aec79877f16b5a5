import { describe, expect, it } from "vitest";
import { mulberry32 } from "../src/bench/synthetic.js";
import { createBatchingEmbedder, LruCache } from "../src/embed/batching.js";
import type { Embedder } from "../src/embed/embedder.js";
import { createTransformersEmbedder } from "../src/embed/transformers.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { ensureTinyModel } from "./support/fixture-model.js";

const words = ["工会", "职工", "夏送清凉", "公交", "慰问", "竞赛", "杨华清", "疗养", "11311", "驾驶员", "北京", "通州区"];

/** Counts forward passes and their sizes, so the tests see the batching, not just the answers. */
function counting(inner: Embedder) {
  const batches: number[] = [];
  const embedder: Embedder = {
    ...inner,
    embedQuery: (t) => inner.embedQuery(t),
    async embedQueries(texts) {
      batches.push(texts.length);
      await new Promise((r) => setTimeout(r, 2));
      return Promise.all(texts.map((t) => inner.embedQuery(t)));
    },
  };
  return { embedder, batches };
}

describe("dynamic batching of question embeddings", () => {
  it("returns each caller its own vector, as one-at-a-time would (property over random bursts)", async () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 25; trial++) {
      const reference = createFakeEmbedder();
      const { embedder, batches } = counting(createFakeEmbedder());
      const maxBatch = 1 + Math.floor(random() * 8);
      const batching = createBatchingEmbedder(embedder, { maxBatch, maxWaitMs: Math.floor(random() * 4), cacheSize: trial % 2 === 0 ? 0 : 16 });
      const n = 1 + Math.floor(random() * 40);
      const questions = Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => words[Math.floor(random() * words.length)]).join(""));
      const delays = questions.map(() => (random() < 0.3 ? Math.floor(random() * 6) : 0));
      const got = await Promise.all(questions.map((q, i) => new Promise<Float32Array>((r) => setTimeout(() => r(batching.embedQuery(q)), delays[i]))));
      for (const [i, q] of questions.entries()) expect(Array.from(got[i]!), `trial ${trial}, question ${i} ${q}`).toEqual(Array.from(await reference.embedQuery(q)));
      expect(Math.max(...batches)).toBeLessThanOrEqual(maxBatch);
      // Never more passes over a text than questions; with a cache that holds them all, at most once per distinct text.
      const embedded = batches.reduce((a, b) => a + b, 0);
      expect(embedded).toBeLessThanOrEqual(n);
      if (trial % 2 === 1 && new Set(questions).size <= 16) expect(embedded).toBeLessThanOrEqual(new Set(questions).size);
    }
  });

  it("gathers simultaneous questions into few forward passes and embeds a repeated question once", async () => {
    const { embedder, batches } = counting(createFakeEmbedder());
    const batching = createBatchingEmbedder(embedder, { maxBatch: 16, maxWaitMs: 5 });
    const questions = Array.from({ length: 40 }, (_, i) => `问题${i}`);
    await Promise.all(questions.map((q) => batching.embedQuery(q)));
    expect(batches).toEqual([16, 16, 8]);
    await batching.embedQuery("问题3");
    await Promise.all([batching.embedQuery("新问题"), batching.embedQuery("新问题")]);
    expect(batches).toEqual([16, 16, 8, 1]);
  });

  it("rejects every question of a failed pass, and recovers for the next", async () => {
    let fail = true;
    const inner = createFakeEmbedder();
    const batching = createBatchingEmbedder({
      ...inner,
      async embedQueries(texts) {
        if (fail) throw new Error("model crashed");
        return Promise.all(texts.map((t) => inner.embedQuery(t)));
      },
    });
    const results = await Promise.allSettled([batching.embedQuery("甲"), batching.embedQuery("乙")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(Array.from(await batching.embedQuery("甲"))).toEqual(Array.from(await inner.embedQuery("甲")));
  });

  it("batches the real model's forward pass without changing any caller's vector", async () => {
    const { modelsDir, modelId } = await ensureTinyModel();
    const model = await createTransformersEmbedder({ modelId, modelsDir });
    const batching = createBatchingEmbedder(model, { maxBatch: 8, maxWaitMs: 5, cacheSize: 0 });
    const questions = ["杨华清是谁？", "公交职工收到了哪些防暑降温慰问品？", "11311", "通州区中式烹调师职业技能竞赛有多少人报名参加了比赛？", "工会"];
    const batched = await Promise.all(questions.map((q) => batching.embedQuery(q)));
    for (const [i, q] of questions.entries()) {
      const single = await model.embedQuery(q);
      for (let d = 0; d < single.length; d++) expect(batched[i]![d]).toBeCloseTo(single[d]!, 5);
    }
    await model.dispose();
  });
});

describe("the LRU cache", () => {
  it("forgets the least recently used entry first", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });
});
