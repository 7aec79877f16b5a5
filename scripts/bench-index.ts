/**
 * `npm run bench:index`: prints JSON with the embedding throughput of the
 * full-size fixture model through the project's pipeline beside bare
 * onnxruntime-node on the same model and batches, and HNSW build time,
 * query time and recall@10 against exact search on 100k synthetic vectors.
 * Options: --passages N (256), --batch N (16), --hnsw N (100000), --queries N (200).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { benchHnsw } from "../src/bench/hnsw-bench.js";
import { ensureFullFixture, machine, passageTexts } from "../src/bench/fixture.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createTokenizer, createTransformersEmbedder } from "../src/embed/transformers.js";
import { toPassages } from "../src/passages.js";
import { REPO_ROOT } from "../src/repo-root.js";
import { runCli } from "../src/cli/run.js";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      passages: { type: "string", default: "256" },
      batch: { type: "string", default: "16" },
      hnsw: { type: "string", default: "100000" },
      queries: { type: "string", default: "200" },
    },
  });
  const count = Number(values.passages);
  const batch = Number(values.batch);

  const { modelsDir, modelId } = await ensureFullFixture();
  const corpus = await loadCorpus(path.join(REPO_ROOT, "corpus"));
  const texts = passageTexts(toPassages(corpus.stories).map((p) => p.embedText), count);
  const batches = Array.from({ length: Math.ceil(count / batch) }, (_, i) => texts.slice(i * batch, (i + 1) * batch));

  // Ours: tokenization, inference, CLS pooling and normalization through transformers.js.
  const embedder = await createTransformersEmbedder({ modelId, modelsDir, batchSize: batch });
  await embedder.embedPassages(texts.slice(0, batch));
  let t = performance.now();
  await embedder.embedPassages(texts);
  const oursSeconds = (performance.now() - t) / 1000;
  await embedder.dispose();

  // Raw: the same batches, pre-tokenized, straight into an onnxruntime-node session.
  const tokenize = await createTokenizer({ modelId, modelsDir });
  t = performance.now();
  const tokenized = batches.map(tokenize);
  const tokenizeSeconds = (performance.now() - t) / 1000;
  const session = await ort.InferenceSession.create(path.join(modelsDir, modelId, "onnx", "model.onnx"));
  const feeds = tokenized.map((b) => ({
    input_ids: new ort.Tensor("int64", b.inputIds, [...b.dims]),
    attention_mask: new ort.Tensor("int64", b.attentionMask, [...b.dims]),
    token_type_ids: new ort.Tensor("int64", b.tokenTypeIds, [...b.dims]),
  }));
  await session.run(feeds[0]!);
  t = performance.now();
  for (const feed of feeds) await session.run(feed);
  const rawSeconds = (performance.now() - t) / 1000;
  await session.release();

  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  const hnsw = await benchHnsw({ count: Number(values.hnsw), dimensions: 512, queries: Number(values.queries), k: 10, seed: 42 });
  const meanChars = Math.round(texts.reduce((s, x) => s + x.length, 0) / texts.length);

  process.stdout.write(
    `${JSON.stringify(
      {
        machine: machine(),
        embedding: {
          model: `${modelId} (fixture, fp32)`,
          passages: count,
          batchSize: batch,
          meanPassageChars: meanChars,
          oursPassagesPerSecond: round(count / oursSeconds),
          rawOnnxruntimePassagesPerSecond: round(count / rawSeconds),
          rawPlusTokenizerPassagesPerSecond: round(count / (rawSeconds + tokenizeSeconds)),
          overheadRatio: round(oursSeconds / rawSeconds, 3),
        },
        hnsw,
      },
      null,
      2,
    )}\n`,
  );
});
