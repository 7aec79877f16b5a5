import path from "node:path";
import { UsageError } from "../src/errors.js";
import { beforeAll, describe, expect, it } from "vitest";
import { type EvalQuestion, foldOf, readQuestionFile } from "../src/eval/questions.js";
import { calibrate, chooseThresholds, parseTargets, parseThresholds, serviceOpener, type SweepRow, thresholdGrid } from "../src/eval/sweep.js";
import { defaultDeps } from "../src/wiring.js";
import { ensureTinyModel } from "./support/fixture-model.js";
import { repoRoot } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

const row = (minCoverage: number, answerHit: number, falseAbstentions: number, abstentionRecall: number, handledRight: number): SweepRow => ({
  minCoverage,
  minSimilarity: 0.6,
  questions: 100,
  answerHit,
  citationPrecision: 0.9,
  falseAbstentions,
  abstentionPrecision: 0.9,
  abstentionRecall,
  handledRight,
});

let seedQuestions: EvalQuestion[];
beforeAll(async () => {
  seedQuestions = await readQuestionFile(path.join(repoRoot, "eval/questions.jsonl"));
});

describe("choosing abstention thresholds", () => {
  it("takes the pair handling the most right among those meeting the targets", () => {
    const rows = [row(0.4, 0.84, 0.02, 0.7, 0.82), row(0.5, 0.82, 0.04, 0.9, 0.85), row(0.6, 0.78, 0.09, 0.95, 0.86)];
    // 0.6 handles the most right, but by refusing a tenth of what it could answer: it misses the targets.
    expect(chooseThresholds(rows)).toEqual({ row: rows[1], meetsTargets: true });
    expect(chooseThresholds(rows, parseTargets("falseAbstentions=0.1,answerHit=0.75"))).toEqual({ row: rows[2], meetsTargets: true });
  });

  it("says so when no pair meets the targets, and takes the one handling the most right", () => {
    const rows = [row(0.4, 0.7, 0.2, 0.5, 0.6), row(0.5, 0.6, 0.3, 0.8, 0.65)];
    expect(chooseThresholds(rows)).toEqual({ row: rows[1], meetsTargets: false });
  });

  it("does not hold a figure the set cannot measure against a pair", () => {
    const noNegatives = { ...row(0.5, 0.85, 0.03, 0, 0.85), abstentionRecall: null };
    expect(chooseThresholds([noNegatives]).meetsTargets).toBe(true);
  });

  it("pairs every coverage with every similarity, and refuses bad lists naming the flag", () => {
    expect(thresholdGrid([0.4, 0.5], [0.6, 0.7])).toEqual([
      { minCoverage: 0.4, minSimilarity: 0.6 },
      { minCoverage: 0.4, minSimilarity: 0.7 },
      { minCoverage: 0.5, minSimilarity: 0.6 },
      { minCoverage: 0.5, minSimilarity: 0.7 },
    ]);
    expect(parseThresholds("--sweep-coverage", "0.3, 0.5", 0, 1)).toEqual([0.3, 0.5]);
    expect(() => parseThresholds("--sweep-coverage", "0.3,1.5", 0, 1)).toThrow(/--sweep-coverage takes numbers from 0 to 1/);
    expect(() => parseThresholds("--sweep-similarity", "0.5,", -1, 1.01)).toThrow(/--sweep-similarity/);
    expect(() => parseTargets("answerHit=high")).toThrow(/--targets/);
    expect(() => parseTargets("recall=0.9")).toThrow(/answerHit, falseAbstentions, abstentionRecall/);
  });
});

describe("a calibration sweep through the engine", () => {
  it("refuses to fit on no questions, or to report on an empty fold, before opening anything", async () => {
    const open = () => Promise.reject(new Error("nothing should be opened"));
    const points = thresholdGrid([0.5], [0.6]);
    await expect(calibrate({ points, open, questions: [], mode: "lexical", k: 10 })).rejects.toThrow(UsageError);
    await expect(calibrate({ points, open, questions: seedQuestions, heldOut: { fold: "test", questions: [] }, mode: "lexical", k: 10 })).rejects.toThrow(/no questions in the test fold/);
  });

  it("refuses more as the coverage bar rises, and reports the chosen pair on the fold it was not fitted to", async () => {
    const config = await testConfig({ RETRIEVAL: "lexical" });
    const dev = seedQuestions.filter((q) => foldOf(q.id) === "dev");
    const test = seedQuestions.filter((q) => foldOf(q.id) === "test");
    const c = await calibrate({
      points: thresholdGrid([0, 0.5, 1], [config.minSimilarity]),
      open: serviceOpener(config, lexicalDeps()),
      questions: dev,
      heldOut: { fold: "test", questions: test },
      mode: "lexical",
      k: 10,
    });
    const [none, half, all] = c.rows;
    // A bar of 0 lets through everything that names nothing missing; 1 only passages holding every word.
    expect(none!.abstentionRecall!).toBeLessThan(half!.abstentionRecall!);
    expect(half!.falseAbstentions!).toBeLessThan(all!.falseAbstentions!);
    expect(c.rows.map((r) => r.questions)).toEqual([dev.length, dev.length, dev.length]);
    expect(c.rows).toContain(c.chosen);
    expect(c.heldOut).toMatchObject({ fold: "test", questions: test.length, minCoverage: c.chosen.minCoverage });
  });

  it("sweeps the similarity bar too, which decides in hybrid mode (the generated model: the code path, not quality)", async () => {
    const { modelsDir, modelId } = await ensureTinyModel();
    const config = await testConfig({ MODELS_DIR: modelsDir, EMBEDDING_MODEL: modelId, RETRIEVAL: "hybrid" });
    // Coverage out of reach, so the model's cosine alone lets a passage through.
    const c = await calibrate({ points: thresholdGrid([1], [-1, 1.01]), open: serviceOpener(config, defaultDeps()), questions: seedQuestions, mode: "hybrid", k: 10 });
    const [any, none] = c.rows;
    // Every cosine clears −1; none reaches 1.01, so only passages holding every word answer.
    expect(any!.falseAbstentions!).toBeLessThan(none!.falseAbstentions!);
    expect(any!.abstentionRecall!).toBeLessThan(none!.abstentionRecall!);
    expect(c.heldOut).toBeUndefined();
  });
});
