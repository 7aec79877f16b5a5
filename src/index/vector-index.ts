/** A nearest-neighbour hit: the passage's position in the index and its inner product with the query. */
export interface VectorHit {
  readonly label: number;
  /** Inner product (cosine, for normalized vectors): higher is closer. */
  readonly score: number;
}

/**
 * What retrieval needs from an approximate nearest-neighbour index. Only
 * `hnsw.ts` knows hnswlib-node; the store and retrieval depend on this.
 */
export interface VectorIndex {
  readonly dimensions: number;
  readonly size: number;
  /** Labels are 0..n-1 in the order vectors were added. */
  add(vector: Float32Array): number;
  /**
   * The vector stored for `label` (a copy). The graph is the only place a
   * build keeps its vectors (index format 5): a rebuild takes the vectors
   * it reuses from here rather than from a second file of them.
   */
  vector(label: number): Float32Array;
  /**
   * Renumbers the index for the next build without rebuilding it: new label
   * i keeps the vector of old label `from[i]`, or (−1) gets `vectorOf(i)`,
   * which is added; old labels no one keeps are deleted (they stop
   * appearing in searches). So a rebuild that changed a few passages inserts
   * a few vectors instead of re-inserting every one. `vectorOf` is asked
   * before anything is deleted, so it may read this index's own vectors.
   */
  rearrange(from: Int32Array, vectorOf: (label: number) => Float32Array): void;
  /** Vectors deleted but still held (they cost memory and search time until the graph is rebuilt). */
  readonly deleted: number;
  search(query: Float32Array, k: number): VectorHit[];
  /** Writes the index to `file` (and, once rearranged, its label table beside it), synced. */
  save(file: string): Promise<void>;
}

export interface VectorIndexFactory {
  create(dimensions: number, capacity: number): VectorIndex;
  load(file: string, dimensions: number): Promise<VectorIndex>;
}
