import type { Engine } from "../answer/engine.js";
import { percentile } from "../eval/metrics.js";

export interface BurstResult {
  readonly questions: number;
  readonly distinctQuestions: number;
  /** From the burst to the last answer. */
  readonly lastAnswerSeconds: number;
  readonly questionsPerSecond: number;
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null };
}

/**
 * Asks `count` questions at once (cycling through `questions`) and times
 * the burst to its last answer: what 500 members asking together see.
 * With `distinct`, each copy gets a number appended so no answer comes from
 * the question cache.
 */
export async function benchBurst(engine: Engine, questions: readonly string[], count: number, distinct: boolean): Promise<BurstResult> {
  const asked = Array.from({ length: count }, (_, i) => {
    const q = questions[i % questions.length]!;
    return distinct ? `${q}（${i}）` : q;
  });
  const started = performance.now();
  const latencies = await Promise.all(
    asked.map(async (q) => {
      await engine.ask(q);
      return performance.now() - started;
    }),
  );
  const last = Math.max(...latencies) / 1000;
  const r = (x: number | null) => (x === null ? null : Math.round(x));
  return {
    questions: count,
    distinctQuestions: new Set(asked).size,
    lastAnswerSeconds: Math.round(last * 100) / 100,
    questionsPerSecond: Math.round(count / last),
    latencyMs: { p50: r(percentile(latencies, 50)), p95: r(percentile(latencies, 95)) },
  };
}
