import path from "node:path";
import { makeFixtureModel } from "../../src/embed/fixture-model.js";
import { repoRoot } from "./paths.js";

/** Generated once into the git-ignored .cache; vitest workers may race, the rename makes that safe. */
export const TEST_MODELS_DIR = path.join(repoRoot, ".cache", "test-models");

/** A tiny BERT with the real bge-small-zh tokenizer: the real transformers.js path, fast, meaningless. */
export async function ensureTinyModel(): Promise<{ modelsDir: string; modelId: string; dimensions: number }> {
  await makeFixtureModel({ modelsDir: TEST_MODELS_DIR, modelId: "fixture/bge-small-zh-tiny", size: "tiny", seed: 1 });
  return { modelsDir: TEST_MODELS_DIR, modelId: "fixture/bge-small-zh-tiny", dimensions: 32 };
}

/** A second, different tiny model, for refusing an index built by another model. */
export async function ensureTinyModelB(): Promise<{ modelsDir: string; modelId: string; dimensions: number }> {
  await makeFixtureModel({ modelsDir: TEST_MODELS_DIR, modelId: "fixture/other-tiny", size: { hidden: 48, layers: 1, heads: 2, intermediate: 96 }, seed: 2 });
  return { modelsDir: TEST_MODELS_DIR, modelId: "fixture/other-tiny", dimensions: 48 };
}
