import { createHash } from "node:crypto";
import { open, readFile, rm, truncate } from "node:fs/promises";
import path from "node:path";

/**
 * Vectors computed by a build that has not been published yet, so a killed
 * build (hours into a first embedding on two cores) resumes where it
 * stopped. An append-only file of fixed-size records `sha256(embedText)` (32
 * bytes) + `dimensions` float32s, fsync'd after every batch; its name carries
 * the model, dtype and dimensions, so vectors of another model are never
 * reused. A record cut short by a kill is ignored and trimmed. The file is
 * removed once a build holding its vectors is published.
 */
export interface EmbeddingKey {
  readonly model: string;
  readonly dtype: string;
  readonly dimensions: number;
}

export interface Checkpoint {
  readonly file: string;
  /** Vectors already computed, by passage hash. */
  readonly vectors: ReadonlyMap<string, Float32Array>;
  /** Appends and fsyncs a batch. */
  append(entries: readonly (readonly [hash: string, vector: Float32Array])[]): Promise<void>;
  close(): Promise<void>;
  /** Drops the file: its vectors now live in a published build. */
  remove(): Promise<void>;
}

const HASH_BYTES = 32;

export function checkpointFile(indexDir: string, key: EmbeddingKey): string {
  const id = createHash("sha256").update(`${key.model}\n${key.dtype}\n${key.dimensions}`).digest("hex").slice(0, 16);
  return path.join(indexDir, `.embeddings-${id}.ckpt`);
}

export async function openCheckpoint(indexDir: string, key: EmbeddingKey): Promise<Checkpoint> {
  const file = checkpointFile(indexDir, key);
  const record = HASH_BYTES + key.dimensions * 4;
  const vectors = new Map<string, Float32Array>();
  const bytes = await readFile(file).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  });
  if (bytes !== undefined) {
    const whole = Math.floor(bytes.byteLength / record);
    for (let i = 0; i < whole; i++) {
      const at = i * record;
      const hash = bytes.subarray(at, at + HASH_BYTES).toString("hex");
      const vector = new Float32Array(key.dimensions);
      new Uint8Array(vector.buffer).set(bytes.subarray(at + HASH_BYTES, at + record));
      vectors.set(hash, vector);
    }
    if (whole * record !== bytes.byteLength) await truncate(file, whole * record);
  }
  const handle = await open(file, "a");
  return {
    file,
    vectors,
    async append(entries) {
      if (entries.length === 0) return;
      const buffer = Buffer.alloc(entries.length * record);
      entries.forEach(([hash, vector], i) => {
        if (vector.length !== key.dimensions) throw new Error(`a vector of ${vector.length} dimensions cannot go into a ${key.dimensions}-dimensional checkpoint`);
        Buffer.from(hash, "hex").copy(buffer, i * record);
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(buffer, i * record + HASH_BYTES);
      });
      await handle.write(buffer);
      await handle.sync();
    },
    async close() {
      await handle.close().catch(() => {});
    },
    async remove() {
      await handle.close().catch(() => {});
      await rm(file, { force: true });
    },
  };
}
