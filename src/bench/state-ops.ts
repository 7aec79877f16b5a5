import os from "node:os";
import type { Answer } from "../answer/answer.js";
import type { Pool } from "../db/postgres.js";
import { latencySummary } from "../eval/metrics.js";
import { createLogger } from "../log.js";
import { memoryStateStore } from "../state/json-store.js";
import { memorySharedState, RATE_LIMIT_WINDOW_MS, type RateLimitCounter, type SharedState } from "../state/bot-state.js";
import { openPgSharedState } from "../state/pg/bot-state.js";
import { pgStateStore } from "../state/pg/members.js";
import { migrateState } from "../state/pg/bot-state.js";
import type { StateStore } from "../state/store.js";

/**
 * What keeping the bot's state in a database adds to each update: the
 * writes one answered question makes (rate-limit count, /stats count, the
 * answer behind `更多`, the conversation turn) and the reads one `更多`
 * press makes (rate-limit count, the answer), timed one update at a time
 * against this process's memory and against Postgres.
 */
export interface StateOpsResult {
  readonly store: "memory" | "postgres";
  readonly questions: number;
  readonly questionMs: { p50: number | null; p95: number | null; max: number | null };
  readonly pressMs: { p50: number | null; p95: number | null; max: number | null };
  /** CPU seconds of this process (with PGlite it includes the database, which runs inside it). */
  readonly cpuSeconds: number;
}

/** An answer of realistic size: five cited passages, ten ranked ones (about 6 KB of JSON). */
function sampleAnswer(i: number): Answer {
  const text = "北京公交集团工会全面启动“夏送清凉”活动，为暑期坚守岗位的职工们发放了毛巾、茶叶、绿茶饮料等防暑降温慰问品。".repeat(2);
  const passage = (n: number) => ({ storyId: `s${n}`, title: `报道${n}`, paragraph: n, text, score: 1 / (n + 1) });
  return {
    question: `第${i}个问题：公交职工收到了哪些防暑降温慰问品？`,
    mode: "lexical",
    abstained: false,
    answer: `${text}[1]`,
    citations: [1, 2, 3, 4, 5].map((n) => ({ ...passage(n), n, file: "page.txt" })),
    passages: Array.from({ length: 10 }, (_, n) => passage(n)),
    closestTitles: [],
    latencyMs: 5,
  };
}

async function timeUpdates(shared: SharedState, members: StateStore, questions: number): Promise<Omit<StateOpsResult, "store">> {
  const counter: RateLimitCounter | undefined = shared.rateLimits === "MEMORY_STORE" ? undefined : shared.rateLimits;
  const memoryHits = new Map<string, number>();
  // The limiter's own Map when there is no shared counter: the same work the middleware does.
  const incr = async (key: string) => {
    if (counter === undefined) return memoryHits.set(key, (memoryHits.get(key) ?? 0) + 1).get(key)!;
    const hits = await counter.incr(key);
    if (hits === 1) await counter.pexpire(key, RATE_LIMIT_WINDOW_MS);
    return hits;
  };
  const questionMs: number[] = [];
  const pressMs: number[] = [];
  const ids: string[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < questions; i++) {
    const member = `member-${i % 50}`;
    let t = performance.now();
    await incr(`RATE_LIMITER${member}`);
    const answer = sampleAnswer(i);
    await shared.stats.count("answered");
    ids.push(await shared.answers.put(answer));
    await members.putTurn({ id: `t${i}`, user: `u_${member}`, chat: `c_${member}`, messageIds: [i], question: answer.question, resolved: answer.question, answer: answer.answer, abstained: false, citations: [], mode: "lexical", build: "b", at: Date.now() });
    questionMs.push(performance.now() - t);
    t = performance.now();
    await incr(`RATE_LIMITER${member}`);
    await shared.answers.get(ids[Math.floor(i / 2)]!);
    pressMs.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  const summary = (v: number[]) => {
    const s = latencySummary(v);
    return { p50: round(s.p50), p95: round(s.p95), max: round(s.max) };
  };
  return { questions, questionMs: summary(questionMs), pressMs: summary(pressMs), cpuSeconds: Math.round((used.user + used.system) / 1e4) / 100 };
}

export async function benchStateOps(opts: { pool: Pool; questions: number }): Promise<{ machine: object; results: StateOpsResult[] }> {
  const memory = await timeUpdates(memorySharedState(), memoryStateStore(30), opts.questions);
  await migrateState(opts.pool);
  const shared = await openPgSharedState(opts.pool, { log: createLogger("silent"), rateLimitWindowMs: RATE_LIMIT_WINDOW_MS, retentionDays: 30 });
  const postgres = await timeUpdates(shared, pgStateStore(opts.pool, { retentionDays: 30 }), opts.questions);
  const load = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return {
    machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.version, loadAverage: load },
    results: [
      { store: "memory", ...memory },
      { store: "postgres", ...postgres },
    ],
  };
}
