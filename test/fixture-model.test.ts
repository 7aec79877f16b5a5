import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { makeFixtureModel } from "../src/embed/fixture-model.js";
import { tempDir } from "./support/paths.js";

const tiny = { hidden: 32, layers: 2, heads: 4, intermediate: 64 };

describe("the fixture model generator", () => {
  it("builds a BERT graph that onnxruntime runs, with finite [batch, seq, hidden] output", async () => {
    const dir = await tempDir();
    const { dir: model, created } = await makeFixtureModel({ modelsDir: dir, modelId: "t/m", size: tiny, seed: 3 });
    expect(created).toBe(true);
    const session = await ort.InferenceSession.create(path.join(model, "onnx", "model.onnx"));
    expect([...session.inputNames].sort()).toEqual(["attention_mask", "input_ids", "token_type_ids"]);
    const ids = new ort.Tensor("int64", BigInt64Array.from([101n, 2769n, 102n, 0n, 101n, 872n, 1962n, 102n]), [2, 4]);
    const mask = new ort.Tensor("int64", BigInt64Array.from([1n, 1n, 1n, 0n, 1n, 1n, 1n, 1n]), [2, 4]);
    const types = new ort.Tensor("int64", new BigInt64Array(8), [2, 4]);
    const out = (await session.run({ input_ids: ids, attention_mask: mask, token_type_ids: types }))["last_hidden_state"]!;
    expect(out.dims).toEqual([2, 4, 32]);
    expect(Array.from(out.data as Float32Array).every(Number.isFinite)).toBe(true);
    const config = JSON.parse(await readFile(path.join(model, "config.json"), "utf8")) as Record<string, unknown>;
    expect(config).toMatchObject({ hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 21128, model_type: "bert" });
  });

  it("is deterministic for a seed and differs across seeds; an identical fixture is not rebuilt", async () => {
    const dir = await tempDir();
    const a = await makeFixtureModel({ modelsDir: dir, modelId: "t/a", size: tiny, seed: 5 });
    const b = await makeFixtureModel({ modelsDir: dir, modelId: "t/b", size: tiny, seed: 5 });
    const c = await makeFixtureModel({ modelsDir: dir, modelId: "t/c", size: tiny, seed: 6 });
    const bytes = (d: string) => readFile(path.join(d, "onnx", "model.onnx"));
    expect((await bytes(a.dir)).equals(await bytes(b.dir))).toBe(true);
    expect((await bytes(a.dir)).equals(await bytes(c.dir))).toBe(false);
    expect((await makeFixtureModel({ modelsDir: dir, modelId: "t/a", size: tiny, seed: 5 })).created).toBe(false);
  });

  it("says where the real tokenizer is expected when it is missing", async () => {
    await expect(makeFixtureModel({ modelsDir: await tempDir(), modelId: "t/x", size: "tiny", tokenizerDir: "/nowhere" })).rejects.toThrow(
      /expected in \/nowhere/,
    );
  });
});

describe("what the tests need ships with the repository", () => {
  it("holds the bge-small-zh tokenizer and config, byte-identical to the hashes in its SOURCE.md", async () => {
    const { createHash } = await import("node:crypto");
    const { TOKENIZER_DIR } = await import("../src/embed/fixture-model.js");
    const { repoRoot } = await import("./support/paths.js");
    expect(path.relative(repoRoot, TOKENIZER_DIR)).toBe(path.join("assets", "models", "bge-small-zh-v1.5"));
    const source = await readFile(path.join(TOKENIZER_DIR, "SOURCE.md"), "utf8");
    const listed = [...source.matchAll(/^- (\S+): ([0-9a-f]{64})$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(listed.map(([f]) => f).sort()).toEqual(["config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
    for (const [file, sha] of listed) {
      expect(createHash("sha256").update(await readFile(path.join(TOKENIZER_DIR, file))).digest("hex"), file).toBe(sha);
    }
  });

  it("no source, test or script reads the shared folder beside the repository", async () => {
    const { readdir } = await import("node:fs/promises");
    const { repoRoot } = await import("./support/paths.js");
    const offenders: string[] = [];
    for (const top of ["src", "test", "scripts"]) {
      for (const entry of await readdir(path.join(repoRoot, top), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
        const file = path.join(entry.parentPath, entry.name);
        if (/\.\.\/shared\b|["'`]shared\/(models|data)/.test(await readFile(file, "utf8"))) offenders.push(path.relative(repoRoot, file));
      }
    }
    expect(offenders).toEqual([]);
  });
});
