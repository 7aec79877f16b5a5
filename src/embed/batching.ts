import type { Embedder } from "./embedder.js";

export interface BatchingOptions {
  /** Most questions in one forward pass. */
  readonly maxBatch?: number;
  /** How long the first question of a batch waits for company, in milliseconds. */
  readonly maxWaitMs?: number;
  /** Question vectors remembered (least recently used forgotten first); 0 turns the cache off. */
  readonly cacheSize?: number;
}

interface Waiting {
  readonly text: string;
  readonly resolve: (v: Float32Array) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Wraps an embedder so that questions arriving together share one forward
 * pass (dynamic batching) and a repeated question is not embedded again.
 *
 * A burst of questions on two cores is compute-bound: 500 single-question
 * passes each pay the model's per-call overhead and compete for the same
 * cores. Here the first question waits at most `maxWaitMs` for others; one
 * batch of at most `maxBatch` runs at a time, and whatever arrived meanwhile
 * forms the next batch as soon as it ends, grouped by length (see
 * `takeBatch`). Passages (index builds) go straight through.
 */
export function createBatchingEmbedder(inner: Embedder, opts: BatchingOptions = {}): Embedder {
  const maxBatch = Math.max(1, opts.maxBatch ?? 32);
  const maxWaitMs = Math.max(0, opts.maxWaitMs ?? 3);
  const cache = new LruCache<string, Float32Array>(opts.cacheSize ?? 1000);
  /** Questions queued or being embedded, so simultaneous equal questions share one vector. */
  const pending = new Map<string, Promise<Float32Array>>();
  const queue: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const embedBatch = (texts: readonly string[]) =>
    inner.embedQueries ? inner.embedQueries(texts) : Promise.all(texts.map((t) => inner.embedQuery(t)));

  const flush = async (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (running || queue.length === 0) return;
    running = true;
    const batch = takeBatch(queue, maxBatch);
    try {
      const vectors = await embedBatch(batch.map((w) => w.text));
      if (vectors.length !== batch.length) throw new Error(`the embedder returned ${vectors.length} vectors for ${batch.length} questions`);
      batch.forEach((w, i) => {
        cache.set(w.text, vectors[i]!);
        w.resolve(vectors[i]!);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      for (const w of batch) pending.delete(w.text);
      running = false;
      // Whatever arrived during the pass has waited long enough: run it now.
      if (queue.length > 0) void flush();
    }
  };

  /** Vectors are shared between callers (and the cache): read them, never write to them. */
  const embedQuery = (text: string): Promise<Float32Array> => {
    const cached = cache.get(text);
    if (cached !== undefined) return Promise.resolve(cached);
    const inFlight = pending.get(text);
    if (inFlight !== undefined) return inFlight;
    const promise = new Promise<Float32Array>((resolve, reject) => {
      queue.push({ text, resolve, reject });
      if (queue.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), maxWaitMs);
    });
    pending.set(text, promise);
    return promise;
  };

  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    embedPassages: (texts, onProgress) => inner.embedPassages(texts, onProgress),
    embedQuery,
    embedQueries(texts) {
      return Promise.all(texts.map((t) => embedQuery(t)));
    },
    dispose: () => inner.dispose(),
  };
}

/**
 * The oldest waiting question and the questions closest to it in length, at
 * most `max`: the model pads a batch to its longest question, so mixing
 * lengths wastes compute, while always serving the oldest bounds every wait.
 */
function takeBatch(queue: Waiting[], max: number): Waiting[] {
  if (queue.length <= max) return queue.splice(0, queue.length);
  const target = queue[0]!.text.length;
  const chosen = new Set(
    queue
      .map((w, i) => ({ i, d: i === 0 ? -1 : Math.abs(w.text.length - target) }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .slice(0, max)
      .map((x) => x.i),
  );
  const batch = queue.filter((_, i) => chosen.has(i));
  const rest = queue.filter((_, i) => !chosen.has(i));
  queue.splice(0, queue.length, ...rest);
  return batch;
}

/** A Map kept in use order: the first key is the least recently used. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
}
