/**
 * `npm run make-fixture-model -- --size tiny|full --out DIR [--model-id ID] [--seed N]`:
 * a BERT of the bge-small-zh architecture with seeded random weights around
 * the real tokenizer (see `src/embed/fixture-model.ts`). Parses arguments only.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { makeFixtureModel } from "../src/embed/fixture-model.js";
import { UsageError } from "../src/errors.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "full" },
      out: { type: "string", default: ".cache/models" },
      "model-id": { type: "string", default: "Xenova/bge-small-zh-v1.5" },
      seed: { type: "string", default: "1" },
    },
  });
  if (values.size !== "tiny" && values.size !== "full") throw new UsageError(`--size is tiny or full, not ${values.size}`);
  const seed = Number(values.seed);
  if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed is an integer, not ${values.seed}`);
  const started = performance.now();
  const { dir, created } = await makeFixtureModel({ modelsDir: values.out, modelId: values["model-id"], size: values.size, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const megabytes = ((await stat(path.join(dir, "onnx", "model.onnx"))).size / 1e6).toFixed(1);
  process.stdout.write(
    `${created ? "created" : "already up to date:"} ${dir} (${values.size}, seed ${seed}, onnx/model.onnx ${megabytes} MB, ${seconds}s)\n` +
      `use it with MODELS_DIR=${path.resolve(values.out)} EMBEDDING_MODEL=${values["model-id"]}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
