import os from "node:os";
import path from "node:path";
import { makeFixtureModel } from "../embed/fixture-model.js";
import { REPO_ROOT } from "../repo-root.js";

/** Where benchmarks keep the full-size random-weight model (git-ignored). */
export const BENCH_MODELS_DIR = path.join(REPO_ROOT, ".cache", "models");
export const BENCH_MODEL_ID = "Xenova/bge-small-zh-v1.5";

/**
 * The exact bge-small-zh architecture with seeded random weights, under the
 * real model's id so the project's default configuration loads it from
 * MODELS_DIR. Realistic speed, no meaning.
 */
export async function ensureFullFixture(): Promise<{ modelsDir: string; modelId: string }> {
  await makeFixtureModel({ modelsDir: BENCH_MODELS_DIR, modelId: BENCH_MODEL_ID, size: "full", seed: 1 });
  return { modelsDir: BENCH_MODELS_DIR, modelId: BENCH_MODEL_ID };
}

/** Machine facts printed with every benchmark, so figures are read against the hardware. */
export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    note: "full-size fixture model: bge-small-zh-v1.5 architecture with seeded random weights (speed is real, meaning is not)",
  };
}

/** Realistic passage texts: the seed corpus's paragraphs, cycled and varied to the count wanted. */
export function passageTexts(paragraphs: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${paragraphs[i % paragraphs.length]!}（${i}）`);
}
