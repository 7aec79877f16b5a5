/**
 * No model weights can be downloaded on these machines, so tests and
 * benchmarks use a BERT encoder with seeded random weights built here, in the
 * folder layout transformers.js loads from `MODELS_DIR`: the real
 * bge-small-zh tokenizer and config shipped in `assets/models/`, plus
 * `onnx/model.onnx`. It exercises the real loading and inference path at
 * realistic speed ("full" is the exact bge-small-zh architecture) and carries
 * no meaning at all.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import onnxProto from "onnx-proto";
import { gaussian, mulberry32 } from "../bench/synthetic.js";
import { REPO_ROOT } from "../repo-root.js";

const { onnx } = onnxProto;

/** The real bge-small-zh tokenizer and config, shipped with the repository (see its SOURCE.md). */
export const TOKENIZER_DIR = path.join(REPO_ROOT, "assets", "models", "bge-small-zh-v1.5");
const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"] as const;
/** Bumped whenever the graph or the weights change, so stale fixtures are rebuilt. */
const GENERATOR_VERSION = 2;

export interface BertShape {
  readonly vocab_size: number;
  readonly hidden_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly intermediate_size: number;
  readonly max_position_embeddings: number;
  readonly type_vocab_size: number;
  readonly layer_norm_eps: number;
}

export type FixtureSize = "tiny" | "full" | { readonly hidden: number; readonly layers: number; readonly heads: number; readonly intermediate: number };

export interface FixtureOptions {
  readonly modelsDir: string;
  readonly modelId: string;
  readonly size: FixtureSize;
  readonly seed?: number;
  readonly tokenizerDir?: string;
}

/**
 * Writes `<modelsDir>/<modelId>/` unless an identical fixture is already
 * there (`fixture.json` records generator, seed, size and source hashes), so
 * tests and benchmarks can call it every run. Built in a temporary folder
 * and renamed into place, so concurrent or interrupted runs never leave half
 * a model; a folder this script did not write (real weights) is never replaced.
 */
export async function makeFixtureModel(opts: FixtureOptions): Promise<{ dir: string; created: boolean }> {
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new Error(`the seed must be an integer, got ${seed}`);
  const sources = await readSources(opts.tokenizerDir ?? TOKENIZER_DIR);
  const config = { ...(JSON.parse(sources.config.toString("utf8")) as Record<string, unknown>), ...sizeOverrides(opts.size) };
  const stamp = `${JSON.stringify(
    {
      generator: GENERATOR_VERSION,
      seed,
      size: opts.size,
      configSha256: sha256(JSON.stringify(config)),
      tokenizerSha256: sha256(Buffer.concat(TOKENIZER_FILES.map((f) => sources.tokenizer[f]))),
    },
    null,
    2,
  )}\n`;
  const dir = path.join(opts.modelsDir, opts.modelId);
  if ((await folderState(dir, stamp)) === "current") return { dir, created: false };

  const tmp = `${dir}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await mkdir(path.join(tmp, "onnx"), { recursive: true });
    await writeFile(path.join(tmp, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
    for (const f of TOKENIZER_FILES) await writeFile(path.join(tmp, f), sources.tokenizer[f]);
    await writeFile(path.join(tmp, "onnx", "model.onnx"), buildBertOnnx(config as unknown as BertShape, seed));
    await writeFile(path.join(tmp, "fixture.json"), stamp);
    return { dir, created: await install(tmp, dir, stamp) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

type FolderState = "absent" | "current" | "stale" | "foreign";

async function folderState(dir: string, stamp: string): Promise<FolderState> {
  const entries = await readdir(dir).catch(() => undefined);
  if (entries === undefined || entries.length === 0) return "absent";
  const existing = await readFile(path.join(dir, "fixture.json"), "utf8").catch(() => undefined);
  if (existing === undefined) return "foreign";
  const complete = await stat(path.join(dir, "onnx", "model.onnx")).then(
    (s) => s.isFile(),
    () => false,
  );
  return existing === stamp && complete ? "current" : "stale";
}

/** Renames the finished temporary folder into place; false when another process got there first. */
async function install(tmp: string, dir: string, stamp: string): Promise<boolean> {
  const state = await folderState(dir, stamp);
  if (state === "current") return false;
  if (state === "foreign") {
    throw new Error(`${dir} holds a model this script did not generate (no fixture.json); refusing to replace it with random weights`);
  }
  const old = `${dir}.old-${process.pid}-${randomUUID().slice(0, 8)}`;
  if (state === "stale") await rename(dir, old).catch(() => undefined);
  else await mkdir(path.dirname(dir), { recursive: true });
  try {
    await rename(tmp, dir);
    return true;
  } catch (error) {
    // A concurrent run renamed an identical fixture into place meanwhile.
    if ((await folderState(dir, stamp)) === "current") return false;
    throw error;
  } finally {
    await rm(old, { recursive: true, force: true });
  }
}

async function readSources(tokenizerDir: string): Promise<{ config: Buffer; tokenizer: Record<(typeof TOKENIZER_FILES)[number], Buffer> }> {
  try {
    const [config, ...files] = await Promise.all(["config.json", ...TOKENIZER_FILES].map((f) => readFile(path.join(tokenizerDir, f))));
    const [tokenizer, tokenizerConfig, specialTokens] = files as [Buffer, Buffer, Buffer];
    return {
      config: config!,
      tokenizer: { "tokenizer.json": tokenizer, "tokenizer_config.json": tokenizerConfig, "special_tokens_map.json": specialTokens },
    };
  } catch (error) {
    throw new Error(
      `the real config and tokenizer of bge-small-zh (config.json, ${TOKENIZER_FILES.join(", ")}) are expected in ${tokenizerDir} ` +
        "(shipped in assets/models; see its SOURCE.md): the fixture model is built around the real tokenizer, whose vocabulary its embedding table must match",
      { cause: error },
    );
  }
}

function sizeOverrides(size: FixtureSize): Record<string, number> {
  if (size === "full") return {};
  const s = size === "tiny" ? { hidden: 32, layers: 1, heads: 2, intermediate: 64 } : size;
  return { hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads, intermediate_size: s.intermediate };
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Serialized ONNX ModelProto of a BERT encoder (opset 17) with seeded random
 * weights. Embeddings use BERT's N(0, 0.02) init; dense layers use
 * N(0, 1/fan_in) so attention and FFN contribute as much as the residual.
 * With 0.02 everywhere every text would get nearly the same CLS vector
 * (cosine ≈ 0.99999), hiding padding or batching bugs and passing every
 * similarity threshold; this way vectors depend on the text (not its meaning).
 */
export function buildBertOnnx(c: BertShape, seed: number): Uint8Array {
  const H = c.hidden_size;
  const heads = c.num_attention_heads;
  const headDim = H / heads;
  if (!Number.isInteger(headDim)) throw new Error(`hidden_size ${H} is not divisible by ${heads} heads`);
  const normal = gaussian(mulberry32(seed));
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  let counter = 0;

  const floats = (name: string, dims: number[], fill: () => number) => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = fill();
    initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) }));
    return name;
  };
  const ints = (name: string, values: number[], dims = [values.length]) => {
    const data = BigInt64Array.from(values.map(BigInt));
    initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(data.buffer) }));
    return name;
  };
  const random = (name: string, dims: number[], std: number) => floats(name, dims, () => std * normal());
  const constant = (name: string, dims: number[], value: number) => floats(name, dims, () => value);
  const node = (opType: string, inputs: string[], attrs: InstanceType<typeof onnx.AttributeProto>[] = [], output = `${opType.toLowerCase()}_${counter++}`) => {
    nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [output], name: output, attribute: attrs }));
    return output;
  };
  const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT });
  const intsAttr = (name: string, values: number[]) => onnx.AttributeProto.create({ name, ints: values, type: onnx.AttributeProto.AttributeType.INTS });
  const floatAttr = (name: string, f: number) => onnx.AttributeProto.create({ name, f, type: onnx.AttributeProto.AttributeType.FLOAT });
  const layerNorm = (x: string, prefix: string) =>
    node("LayerNormalization", [x, constant(`${prefix}.gamma`, [H], 1), constant(`${prefix}.beta`, [H], 0)], [floatAttr("epsilon", c.layer_norm_eps), intAttr("axis", -1)]);
  const dense = (x: string, prefix: string, inDim: number, outDim: number) =>
    node("Add", [node("MatMul", [x, random(`${prefix}.weight`, [inDim, outDim], 1 / Math.sqrt(inDim))]), constant(`${prefix}.bias`, [outDim], 0)]);

  // Embeddings: word + position (0..seq-1 from the input's shape) + token type, then LayerNorm.
  const word = node("Gather", [random("embeddings.word", [c.vocab_size, H], 0.02), "input_ids"]);
  const seqLen = node("Gather", [node("Shape", ["input_ids"]), ints("one_scalar", [1], [])], [intAttr("axis", 0)]);
  const positions = node("Range", [ints("zero_scalar", [0], []), seqLen, ints("step_scalar", [1], [])]);
  const position = node("Gather", [random("embeddings.position", [c.max_position_embeddings, H], 0.02), positions]);
  const tokenType = node("Gather", [random("embeddings.token_type", [c.type_vocab_size, H], 0.02), "token_type_ids"]);
  let x = layerNorm(node("Add", [node("Add", [word, position]), tokenType]), "embeddings.norm");

  // Additive attention mask: 0 where attended, -10000 where padded; [B, 1, 1, S].
  const maskFloat = node("Cast", ["attention_mask"], [intAttr("to", onnx.TensorProto.DataType.FLOAT)]);
  const maskBias = node("Unsqueeze", [node("Mul", [node("Sub", [constant("one", [], 1), maskFloat]), constant("neg_large", [], -10000)]), ints("mask_axes", [1, 2])]);
  const headsShape = ints("heads_shape", [0, 0, heads, headDim]);
  const hiddenShape = ints("hidden_shape", [0, 0, H]);
  const scale = constant("attention_scale", [], 1 / Math.sqrt(headDim));

  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `layer${l}`;
    const split = (t: string, perm: number[]) => node("Transpose", [node("Reshape", [t, headsShape])], [intsAttr("perm", perm)]);
    const q = split(dense(x, `${p}.query`, H, H), [0, 2, 1, 3]);
    const k = split(dense(x, `${p}.key`, H, H), [0, 2, 3, 1]);
    const v = split(dense(x, `${p}.value`, H, H), [0, 2, 1, 3]);
    const scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), maskBias]);
    const probs = node("Softmax", [scores], [intAttr("axis", -1)]);
    const context = node("Reshape", [node("Transpose", [node("MatMul", [probs, v])], [intsAttr("perm", [0, 2, 1, 3])]), hiddenShape]);
    const attended = layerNorm(node("Add", [dense(context, `${p}.attention_output`, H, H), x]), `${p}.attention_norm`);
    const inner = dense(attended, `${p}.intermediate`, H, c.intermediate_size);
    // GELU, erf form: 0.5 · x · (1 + erf(x / √2)).
    const gelu = node("Mul", [node("Mul", [inner, constant(`${p}.half`, [], 0.5)]), node("Add", [node("Erf", [node("Div", [inner, constant(`${p}.sqrt2`, [], Math.SQRT2)])]), constant(`${p}.gelu_one`, [], 1)])]);
    x = layerNorm(node("Add", [dense(gelu, `${p}.output`, c.intermediate_size, H), attended]), `${p}.output_norm`);
  }
  node("Identity", [x], [], "last_hidden_state");

  const tokens = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: "batch_size" }, { dimParam: "sequence_length" }] } } },
    });
  const graph = onnx.GraphProto.create({
    name: "bert_fixture",
    node: nodes,
    initializer: initializers,
    input: [tokens("input_ids"), tokens("attention_mask"), tokens("token_type_ids")],
    output: [
      onnx.ValueInfoProto.create({
        name: "last_hidden_state",
        type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: "batch_size" }, { dimParam: "sequence_length" }, { dimValue: H }] } } },
      }),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "union-news-bot make-fixture-model",
    opsetImport: [{ domain: "", version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** A short fingerprint of a model folder's weights, for benchmark reports. */
export async function modelFingerprint(dir: string): Promise<string> {
  return sha256(await readFile(path.join(dir, "onnx", "model.onnx"))).slice(0, 16);
}
