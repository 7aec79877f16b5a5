import { open, readFile } from "node:fs/promises";
import hnswlib from "hnswlib-node";
import { IndexError } from "../errors.js";
import { syncFile, writeDurably } from "./durable.js";
import type { VectorHit, VectorIndex, VectorIndexFactory } from "./vector-index.js";

/**
 * HNSW parameters. M 16 and efConstruction 200 are hnswlib's recommended
 * middle ground; efSearch 64 keeps recall@10 above 0.95 at 100k clustered
 * 512-dim vectors (see `npm run bench:index`) at well under a millisecond.
 */
export interface HnswOptions {
  readonly m?: number;
  readonly efConstruction?: number;
  readonly efSearch?: number;
  readonly seed?: number;
}

const HEADER_BYTES = 48;

/**
 * Beside a rearranged graph: the hnswlib label of each position (Int32,
 * little-endian). hnswlib cannot renumber its labels, so after deletions and
 * insertions positions (what retrieval calls labels: passage order) and
 * hnswlib's labels part; a graph without this file has them equal.
 */
export const LABELS_SUFFIX = ".labels";

/** The only file that knows hnswlib-node: inner-product space over normalized vectors. */
export function createHnswFactory(opts: HnswOptions = {}): VectorIndexFactory {
  const m = opts.m ?? 16;
  const efConstruction = opts.efConstruction ?? 200;
  const efSearch = opts.efSearch ?? 64;
  const seed = opts.seed ?? 100;
  return {
    create(dimensions, capacity) {
      const index = new hnswlib.HierarchicalNSW("ip", dimensions);
      index.initIndex(Math.max(1, capacity), m, efConstruction, seed);
      return wrap(index, dimensions, efSearch, undefined);
    },
    async load(file, dimensions) {
      const stored = await storedDimensions(file);
      if (stored !== dimensions) {
        throw new IndexError(file, `the HNSW graph holds ${stored}-dimensional vectors, ${dimensions} were expected; rebuild with npm run build-index`);
      }
      const index = new hnswlib.HierarchicalNSW("ip", dimensions);
      try {
        await index.readIndex(file);
      } catch (error) {
        throw new IndexError(file, `the HNSW graph cannot be read (${(error as Error).message}); rebuild with npm run build-index`, { cause: error });
      }
      return wrap(index, dimensions, efSearch, await readLabels(file, index.getCurrentCount()));
    },
  };
}

function wrap(index: hnswlib.HierarchicalNSW, dimensions: number, efSearch: number, labels: Int32Array | undefined): VectorIndex {
  let ef = 0;
  /** hnswlib label of each position, and position of each hnswlib label (−1: deleted); undefined while they are equal. */
  let labelOf = labels;
  let positionOf = labels && positions(labels, index.getCurrentCount());
  const ensureRoom = (count: number) => {
    if (count > index.getMaxElements()) index.resizeIndex(Math.max(16, count, index.getMaxElements() * 2));
  };
  const live = () => (labelOf ? labelOf.length : index.getCurrentCount());
  return {
    dimensions,
    get size() {
      return live();
    },
    get deleted() {
      return index.getCurrentCount() - live();
    },
    add(vector) {
      if (vector.length !== dimensions) throw new Error(`vector of ${vector.length} dimensions added to a ${dimensions}-dimensional index`);
      if (labelOf !== undefined) throw new Error("add() after rearrange(): rearrange again with the new vector instead");
      const label = index.getCurrentCount();
      ensureRoom(label + 1);
      index.addPoint(Array.from(vector), label);
      return label;
    },
    vector(p) {
      if (!Number.isInteger(p) || p < 0 || p >= live()) throw new Error(`vector(${p}) of an index of ${live()} vectors`);
      return Float32Array.from(index.getPoint(labelOf ? labelOf[p]! : p));
    },
    rearrange(from, vectorOf) {
      const before = live();
      const oldLabel = (p: number) => (labelOf ? labelOf[p]! : p);
      const next = new Int32Array(from.length);
      const kept = new Uint8Array(index.getCurrentCount());
      const fresh: number[] = [];
      from.forEach((p, i) => {
        const label = p >= 0 && p < before ? oldLabel(p) : -1;
        if (label < 0 || kept[label] === 1) fresh.push(i);
        else {
          kept[label] = 1;
          next[i] = label;
        }
      });
      // Asked for first: a vector may come from a label about to be deleted (hnswlib will not return those).
      const added = fresh.map((i) => {
        const vector = vectorOf(i);
        if (vector.length !== dimensions) throw new Error(`rearrange: a vector of ${vector.length} dimensions for a ${dimensions}-dimensional index`);
        return Array.from(vector);
      });
      for (let p = 0; p < before; p++) if (kept[oldLabel(p)] === 0) index.markDelete(oldLabel(p));
      ensureRoom(index.getCurrentCount() + fresh.length);
      fresh.forEach((i, j) => {
        const label = index.getCurrentCount();
        index.addPoint(added[j]!, label);
        next[i] = label;
      });
      labelOf = next;
      positionOf = positions(next, index.getCurrentCount());
    },
    search(query, k): VectorHit[] {
      const n = Math.min(k, live());
      if (n <= 0) return [];
      const wanted = Math.max(efSearch, n);
      if (wanted !== ef) {
        index.setEf(wanted);
        ef = wanted;
      }
      const { distances, neighbors } = index.searchKnn(Array.from(query), n);
      // hnswlib's "ip" space reports 1 - inner product; turn it back into a similarity.
      return neighbors
        .map((label, i) => ({ label: positionOf ? positionOf[label]! : label, score: 1 - distances[i]! }))
        .filter((h) => h.label >= 0)
        .sort((a, b) => b.score - a.score);
    },
    async save(file) {
      try {
        await index.writeIndex(file);
        await syncFile(file);
        if (labelOf !== undefined) await writeDurably(`${file}${LABELS_SUFFIX}`, new Uint8Array(labelOf.buffer, labelOf.byteOffset, labelOf.byteLength));
      } catch (error) {
        // hnswlib's C++ error carries no errno: name the file, so a full disk reads as an index fault, not a crash.
        throw new IndexError(file, `the HNSW graph could not be written (${(error as Error).message}); is the disk full or read-only?`, { cause: error });
      }
    },
  };
}

function positions(labels: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count).fill(-1);
  labels.forEach((label, p) => {
    out[label] = p;
  });
  return out;
}

/** The label table beside a rearranged graph; undefined when there is none (labels are positions). */
async function readLabels(file: string, count: number): Promise<Int32Array | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(`${file}${LABELS_SUFFIX}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new IndexError(file, `the HNSW label table cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); rebuild with npm run build-index`, { cause: error });
  }
  const labels = new Int32Array(bytes.length >> 2);
  new Uint8Array(labels.buffer).set(bytes.subarray(0, labels.length * 4));
  if (bytes.length % 4 !== 0 || labels.some((l) => l < 0 || l >= count)) {
    throw new IndexError(file, `the HNSW label table does not fit the graph (${count} vectors); rebuild with npm run build-index`);
  }
  return labels;
}

/**
 * hnswlib reads a graph of another dimension without complaint and returns
 * garbage, so the header is checked first: the vector bytes per element are
 * the gap between the data offset (6th field) and the label offset (5th).
 */
async function storedDimensions(file: string): Promise<number> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new IndexError(file, `the HNSW graph is missing (${(error as NodeJS.ErrnoException).code ?? String(error)}); rebuild with npm run build-index`, { cause: error });
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) throw new IndexError(file, "the HNSW graph is truncated; rebuild with npm run build-index");
    const labelOffset = Number(header.readBigUInt64LE(32));
    const dataOffset = Number(header.readBigUInt64LE(40));
    return (labelOffset - dataOffset) / 4;
  } finally {
    await handle.close();
  }
}
