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
  search(query: Float32Array, k: number): VectorHit[];
  /** Writes the index to one file. */
  save(file: string): Promise<void>;
}

export interface VectorIndexFactory {
  create(dimensions: number, capacity: number): VectorIndex;
  load(file: string, dimensions: number): Promise<VectorIndex>;
}
