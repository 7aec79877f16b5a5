/** Seeded PRNG (mulberry32): benchmarks and tests repeat exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller). */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/**
 * Normalized vectors drawn around a few hundred centres: real embeddings
 * cluster by topic, and uniform random high-dimensional data would make
 * HNSW look worse (and exact search look easier) than it is.
 */
export function clusteredVectors(count: number, dimensions: number, seed: number, clusters = Math.max(8, Math.round(Math.sqrt(count)))): Float32Array[] {
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const centres = Array.from({ length: clusters }, () => normalize(Float32Array.from({ length: dimensions }, normal)));
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(random() * clusters)]!;
    return normalize(Float32Array.from(centre, (c) => c + 0.35 * normal() / Math.sqrt(dimensions) * 4));
  });
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Exact top-k by inner product: the ground truth recall is measured against. */
export function exactTopK(vectors: readonly Float32Array[], query: Float32Array, k: number): number[] {
  const scored = vectors.map((v, i) => ({ i, s: dot(v, query) }));
  scored.sort((a, b) => b.s - a.s);
  return scored.slice(0, k).map((x) => x.i);
}
