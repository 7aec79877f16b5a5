import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { createHnswFactory, type HnswOptions } from "../index/hnsw.js";
import { percentile } from "../eval/metrics.js";
import { clusteredVectors, exactTopK, gaussian, mulberry32, normalize } from "./synthetic.js";

export interface HnswBenchOptions extends HnswOptions {
  readonly count: number;
  readonly dimensions: number;
  readonly queries: number;
  readonly k: number;
  readonly seed: number;
}

export interface HnswBenchResult {
  readonly count: number;
  readonly dimensions: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly buildSeconds: number;
  readonly vectorsPerSecond: number;
  readonly queryMs: { readonly p50: number; readonly p95: number; readonly mean: number };
  readonly recallAt10: number;
  readonly indexBytes: number;
  readonly rssMB: number;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Measures the project's own HNSW wrapper on synthetic clustered vectors:
 * build time, query latency and recall@k against exact inner-product search.
 */
export async function benchHnsw(opts: HnswBenchOptions): Promise<HnswBenchResult> {
  const m = opts.m ?? 16;
  const efConstruction = opts.efConstruction ?? 200;
  const efSearch = opts.efSearch ?? 64;
  const vectors = clusteredVectors(opts.count, opts.dimensions, opts.seed);
  const factory = createHnswFactory({ m, efConstruction, efSearch, seed: opts.seed });

  const started = performance.now();
  const index = factory.create(opts.dimensions, opts.count);
  for (const v of vectors) index.add(v);
  const buildSeconds = (performance.now() - started) / 1000;

  const random = mulberry32(opts.seed + 1);
  const normal = gaussian(random);
  const queries = Array.from({ length: opts.queries }, () => {
    const base = vectors[Math.floor(random() * vectors.length)]!;
    return normalize(Float32Array.from(base, (x) => x + 0.05 * normal()));
  });
  const times: number[] = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    const hits = index.search(q, opts.k);
    times.push(performance.now() - t);
    const truth = new Set(exactTopK(vectors, q, opts.k));
    found += hits.filter((h) => truth.has(h.label)).length;
  }

  const dir = await mkdtemp(path.join(os.tmpdir(), "unb-hnsw-"));
  const file = path.join(dir, "bench.hnsw");
  await index.save(file);
  const indexBytes = (await stat(file)).size;
  await rm(dir, { recursive: true, force: true });

  return {
    count: opts.count,
    dimensions: opts.dimensions,
    m,
    efConstruction,
    efSearch,
    buildSeconds: round(buildSeconds, 2),
    vectorsPerSecond: Math.round(opts.count / buildSeconds),
    queryMs: { p50: round(percentile(times, 50) ?? Number.NaN), p95: round(percentile(times, 95) ?? Number.NaN), mean: round(times.reduce((a, b) => a + b, 0) / times.length) },
    recallAt10: round(found / (opts.queries * opts.k), 4),
    indexBytes,
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}
