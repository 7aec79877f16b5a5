import { beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../src/embed/embedder.js";
import { createTransformersEmbedder } from "../src/embed/transformers.js";
import { ModelError } from "../src/errors.js";
import { ensureTinyModel } from "./support/fixture-model.js";

const texts = ["北京公交集团工会全面启动“夏送清凉”活动", "杨华清是全国先进工作者。", "通州区中式烹调师职业技能竞赛举办", "职工"];
const norm = (v: Float32Array) => Math.hypot(...v);

let embedder: Embedder;
beforeAll(async () => {
  const { modelsDir, modelId } = await ensureTinyModel();
  embedder = await createTransformersEmbedder({ modelId, modelsDir, batchSize: 3 });
});

describe("embedding through transformers.js with the generated model", () => {
  it("gives normalized vectors of the model's hidden size", async () => {
    expect(embedder.dimensions).toBe(32);
    const vectors = await embedder.embedPassages(texts);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(32);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it("gives the same vectors in batches as one by one", async () => {
    const batched = await embedder.embedPassages(texts);
    for (const [i, text] of texts.entries()) {
      const [single] = await embedder.embedPassages([text]);
      for (let d = 0; d < 32; d++) expect(single![d]).toBeCloseTo(batched[i]![d]!, 5);
    }
  });

  it("reports progress batch by batch up to the total", async () => {
    const seen: [number, number][] = [];
    await embedder.embedPassages(texts, (done, total) => seen.push([done, total]));
    expect(seen).toEqual([
      [3, 4],
      [4, 4],
    ]);
  });

  it("embeds a question with the query instruction, unlike the same text as a passage", async () => {
    const [passage] = await embedder.embedPassages(["杨华清是谁"]);
    const query = await embedder.embedQuery("杨华清是谁");
    expect(norm(query)).toBeCloseTo(1, 5);
    expect(Array.from(query)).not.toEqual(Array.from(passage!));
  });

  it("names the model and the folder when the model is not in MODELS_DIR", async () => {
    const { modelsDir } = await ensureTinyModel();
    const error = await createTransformersEmbedder({ modelId: "fixture/not-there", modelsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toContain("fixture/not-there");
    expect((error as Error).message).toContain(`MODELS_DIR=${modelsDir}`);
    expect((error as Error).message).toContain("onnx/model.onnx");
  });
});
