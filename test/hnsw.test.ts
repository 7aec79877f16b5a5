import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { benchHnsw } from "../src/bench/hnsw-bench.js";
import { clusteredVectors, dot } from "../src/bench/synthetic.js";
import { IndexError } from "../src/errors.js";
import { createHnswFactory } from "../src/index/hnsw.js";
import { tempDir } from "./support/paths.js";

const factory = createHnswFactory();

describe("the HNSW wrapper", () => {
  it("saves and loads the same graph, returning inner products best first", async () => {
    const vectors = clusteredVectors(300, 16, 7);
    const index = factory.create(16, 300);
    vectors.forEach((v, i) => expect(index.add(v)).toBe(i));
    const file = path.join(await tempDir(), "g.hnsw");
    await index.save(file);
    const loaded = await factory.load(file, 16);
    expect(loaded.size).toBe(300);
    const query = vectors[42]!;
    const hits = loaded.search(query, 10);
    expect(hits).toEqual(index.search(query, 10));
    expect(hits[0]!.label).toBe(42);
    for (const h of hits) expect(h.score).toBeCloseTo(dot(vectors[h.label]!, query), 5);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it("rearranges without rebuilding: kept vectors move to their new positions, dropped ones leave the results, new ones join; saved and loaded alike", async () => {
    const dims = 16;
    const old = clusteredVectors(300, dims, 5);
    const index = factory.create(dims, 300);
    for (const v of old) index.add(v);
    const added = clusteredVectors(40, dims, 9);
    // New order: every third old vector dropped, the rest reversed, 40 new ones in between.
    const from: number[] = [];
    const rows: Float32Array[] = [];
    for (let p = 299; p >= 0; p--) {
      if (p % 3 === 0) continue;
      from.push(p);
      rows.push(old[p]!);
      if (p % 7 === 0 && rows.length < 300) {
        const v = added[from.length % 40]!;
        from.push(-1);
        rows.push(v);
      }
    }
    const asked: number[] = [];
    index.rearrange(Int32Array.from(from), (i) => {
      asked.push(i);
      return rows[i]!;
    });
    // Only the new positions' vectors are asked for: the kept ones stay where they are in the graph.
    expect(asked).toEqual(from.flatMap((f, i) => (f < 0 ? [i] : [])));
    expect(index.size).toBe(rows.length);
    expect(index.deleted).toBe(100);
    const file = path.join(await tempDir(), "r.hnsw");
    await index.save(file);
    const loaded = await factory.load(file, dims);
    expect(loaded.size).toBe(rows.length);
    for (const g of [index, loaded]) {
      for (let i = 0; i < rows.length; i += 11) {
        const hits = g.search(rows[i]!, 5);
        const exact = rows.map((v, j) => ({ j, s: dot(v, rows[i]!) })).sort((a, b) => b.s - a.s).slice(0, 5);
        expect(hits.map((h) => h.score.toFixed(4))).toEqual(exact.map((e) => e.s.toFixed(4)));
        for (const h of hits) expect(h.score).toBeCloseTo(dot(rows[h.label]!, rows[i]!), 5);
      }
    }
    // The graph is where a build's vectors are kept: each position gives back its vector, bit for bit.
    for (const g of [index, loaded]) {
      for (let i = 0; i < rows.length; i++) expect(Buffer.from(g.vector(i).buffer).equals(Buffer.from(rows[i]!.buffer, rows[i]!.byteOffset, dims * 4)), `vector ${i}`).toBe(true);
    }
    expect(() => loaded.vector(rows.length)).toThrow(/vector\(\d+\) of an index of \d+ vectors/);
    // A dropped vector is no longer found as itself.
    expect(loaded.search(old[0]!, 1)[0]!.score).toBeLessThan(0.9999);
  });

  it("clamps k to the size and grows past its initial capacity", () => {
    const index = factory.create(8, 2);
    const vectors = clusteredVectors(50, 8, 3);
    for (const v of vectors) index.add(v);
    expect(index.size).toBe(50);
    expect(index.search(vectors[0]!, 500)).toHaveLength(50);
    expect(factory.create(8, 1).search(vectors[0]!, 5)).toEqual([]);
  });

  it("names a missing, truncated or mismatched file instead of crashing", async () => {
    const dir = await tempDir();
    await expect(factory.load(path.join(dir, "none.hnsw"), 8)).rejects.toThrow(IndexError);
    await expect(factory.load(path.join(dir, "none.hnsw"), 8)).rejects.toThrow(/none\.hnsw: the HNSW graph is missing/);
    await writeFile(path.join(dir, "short.hnsw"), Buffer.alloc(10));
    await expect(factory.load(path.join(dir, "short.hnsw"), 8)).rejects.toThrow(/truncated/);
    const index = factory.create(8, 10);
    index.add(clusteredVectors(1, 8, 1)[0]!);
    await index.save(path.join(dir, "eight.hnsw"));
    await expect(factory.load(path.join(dir, "eight.hnsw"), 16)).rejects.toThrow(/holds 8-dimensional vectors, 16 were expected/);
    const bytes = Buffer.alloc(200, 7);
    bytes.writeBigUInt64LE(48n, 32);
    bytes.writeBigUInt64LE(16n, 40);
    await writeFile(path.join(dir, "corrupt.hnsw"), bytes);
    await expect(factory.load(path.join(dir, "corrupt.hnsw"), 8)).rejects.toThrow(/cannot be read/);
  });

  it("reaches recall@10 of 0.9 or more on clustered data", async () => {
    const result = await benchHnsw({ count: 2000, dimensions: 64, queries: 50, k: 10, seed: 11 });
    expect(result.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(result.indexBytes).toBeGreaterThan(2000 * 64 * 4);
  });
});
