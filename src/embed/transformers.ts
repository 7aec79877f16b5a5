import path from "node:path";
import { AutoTokenizer, env, type FeatureExtractionPipeline, pipeline } from "@huggingface/transformers";
import { ModelError } from "../errors.js";
import type { Embedder } from "./embedder.js";

/** bge-*-zh models were trained with this instruction before queries (not passages). */
export const BGE_ZH_QUERY_PREFIX = "为这个句子生成表示以用于检索相关文章：";

export interface TransformersEmbedderOptions {
  readonly modelId: string;
  /** A local models folder; when set nothing is downloaded. */
  readonly modelsDir?: string | undefined;
  readonly dtype?: string;
  readonly batchSize?: number;
  /** Defaults to the bge-zh instruction for bge-*-zh models, none otherwise. */
  readonly queryPrefix?: string;
}

type Dtype = NonNullable<NonNullable<Parameters<typeof pipeline<"feature-extraction">>[2]>["dtype"]>;

/**
 * The only file that imports transformers.js. Loads a model the normal way
 * (hub id, downloaded and cached) or from MODELS_DIR, and embeds with CLS
 * pooling and normalization, as bge models are meant to be used.
 */
export async function createTransformersEmbedder(opts: TransformersEmbedderOptions): Promise<Embedder> {
  const dtype = opts.dtype ?? "fp32";
  if (opts.modelsDir !== undefined) {
    env.localModelPath = path.resolve(opts.modelsDir);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  } else {
    env.allowRemoteModels = true;
  }
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline("feature-extraction", opts.modelId, { dtype: dtype as Dtype });
  } catch (error) {
    throw new ModelError(opts.modelId, loadFailure(opts, dtype, error), { cause: error });
  }
  const dimensions = Number((extractor.model.config as { hidden_size?: unknown }).hidden_size);
  if (!Number.isInteger(dimensions) || dimensions <= 0) {
    throw new ModelError(opts.modelId, "its config.json has no hidden_size, so the embedding size is unknown");
  }
  const batchSize = opts.batchSize ?? 16;
  const queryPrefix = opts.queryPrefix ?? (/bge/i.test(opts.modelId) && /zh/i.test(opts.modelId) ? BGE_ZH_QUERY_PREFIX : "");

  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const output = await extractor([...texts], { pooling: "cls", normalize: true });
    const data = output.data as Float32Array;
    const vectors = texts.map((_, i) => data.slice(i * dimensions, (i + 1) * dimensions));
    output.dispose();
    return vectors;
  };

  return {
    modelId: opts.modelId,
    dimensions,
    async embedPassages(texts, onProgress) {
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        vectors.push(...(await embed(texts.slice(i, i + batchSize))));
        onProgress?.(vectors.length, texts.length);
      }
      return vectors;
    },
    async embedQuery(text) {
      return (await embed([`${queryPrefix}${text}`]))[0]!;
    },
    async embedQueries(texts) {
      return texts.length === 0 ? [] : embed(texts.map((t) => `${queryPrefix}${t}`));
    },
    async dispose() {
      await extractor.dispose();
    },
  };
}

function loadFailure(opts: TransformersEmbedderOptions, dtype: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const file = dtype === "fp32" ? "model.onnx" : `model_*.onnx for dtype ${dtype}`;
  if (opts.modelsDir !== undefined) {
    const where = path.join(path.resolve(opts.modelsDir), opts.modelId);
    return `could not be loaded from MODELS_DIR=${opts.modelsDir} (expected ${where}/config.json, tokenizer files and onnx/${file}): ${reason}`;
  }
  return `could not be downloaded from the model hub and is not in the cache (${reason}). On an offline machine set MODELS_DIR to a folder holding ${opts.modelId}/, or set RETRIEVAL=lexical`;
}

/** Token ids as onnxruntime wants them, for benchmarking the raw model against this wrapper. */
export interface TokenizedBatch {
  readonly dims: readonly [number, number];
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

/**
 * The model's own tokenizer, padded and truncated exactly as the pipeline
 * does, so a benchmark can feed the same batches to bare onnxruntime and
 * show what this wrapper costs on top.
 */
export async function createTokenizer(opts: Pick<TransformersEmbedderOptions, "modelId" | "modelsDir">): Promise<(texts: readonly string[]) => TokenizedBatch> {
  if (opts.modelsDir !== undefined) {
    env.localModelPath = path.resolve(opts.modelsDir);
    env.allowRemoteModels = false;
  }
  const tokenizer = await AutoTokenizer.from_pretrained(opts.modelId);
  return (texts) => {
    const encoded = tokenizer([...texts], { padding: true, truncation: true }) as unknown as Record<"input_ids" | "attention_mask" | "token_type_ids", { data: BigInt64Array; dims: number[] }>;
    const ids = encoded.input_ids;
    return {
      dims: [ids.dims[0]!, ids.dims[1]!],
      inputIds: ids.data,
      attentionMask: encoded.attention_mask.data,
      tokenTypeIds: encoded.token_type_ids.data,
    };
  };
}
