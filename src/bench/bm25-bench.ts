import { percentile } from "../eval/metrics.js";
import { loadLexical } from "../index/lexical-file.js";
import { readIndex } from "../index/store.js";
import type { Segmenter } from "../search/segment.js";

export interface Bm25BenchResult {
  readonly passages: number;
  readonly k: number;
  readonly searches: number;
  /** Searches that skipped postings. */
  readonly pruned: number;
  /** Searches whose hits differ from scoring every posting (should be 0). */
  readonly differing: number;
  readonly prunedMs: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
  readonly exhaustiveMs: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
}

/**
 * BM25 alone on a built index: each question searched by scoring every
 * posting and by the pruned search, alternately in the same process (so
 * both meet the same machine), after one warm-up round; the hits compared.
 */
export async function benchBm25(opts: { indexDir: string; questions: readonly string[]; segmenter: Segmenter; k: number; rounds: number }): Promise<Bm25BenchResult> {
  const index = await readIndex(opts.indexDir, { vectors: false });
  if (index === undefined) throw new Error(`no index in ${opts.indexDir}; build one with npm run build-index`);
  const lexical = await loadLexical(index.lexicalFile, opts.segmenter);
  for (const q of opts.questions) {
    lexical.search(q, opts.k);
    lexical.search(q, opts.k, { exhaustive: true });
  }
  const pruned: number[] = [];
  const exhaustive: number[] = [];
  const stats = { pruned: 0 };
  let differing = 0;
  for (let r = 0; r < opts.rounds; r++) {
    for (const q of opts.questions) {
      let t = performance.now();
      const a = lexical.search(q, opts.k, { exhaustive: true });
      exhaustive.push(performance.now() - t);
      t = performance.now();
      const b = lexical.search(q, opts.k, { stats });
      pruned.push(performance.now() - t);
      if (JSON.stringify(a) !== JSON.stringify(b)) differing++;
    }
  }
  const ms = (a: number[]) => {
    const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    return { p50: r(percentile(a, 50)), p95: r(percentile(a, 95)), p99: r(percentile(a, 99)) };
  };
  return { passages: lexical.size, k: opts.k, searches: pruned.length, pruned: stats.pruned, differing, prunedMs: ms(pruned), exhaustiveMs: ms(exhaustive) };
}
