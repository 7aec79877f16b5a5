import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPool, type Pool, query } from "../src/db/postgres.js";
import { IndexError, RebuildBusyError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { type EphemeralStore, memoryEphemeralStore } from "../src/state/ephemeral.js";
import { openJsonStateStore } from "../src/state/json-store.js";
import { openStoredState } from "../src/state/create.js";
import { openBotState } from "../src/state/open.js";
import { pgBuildLock } from "../src/state/pg/build-lock.js";
import { pgEphemeralStore } from "../src/state/pg/ephemeral.js";
import { pgStateStore } from "../src/state/pg/members.js";
import { pgRateLimitCounter } from "../src/state/pg/rate-limits.js";
import { migrateState } from "../src/state/pg/bot-state.js";
import { pgStats } from "../src/state/pg/stats.js";
import { memoryStats, type StatsStore } from "../src/state/stats.js";
import type { StateStore, Turn } from "../src/state/store.js";
import { usePgliteServer } from "./helpers/pglite-server.js";
import { closedPort } from "./support/ports.js";
import { tempDir } from "./support/paths.js";

/**
 * Every store's contract, run against each implementation: this process's
 * memory (and the JSON file for members' state) and Postgres (the real `pg`
 * client against PGlite on 127.0.0.1). What one passes the other must.
 *
 * TEST_DATABASE_URL (optional, never needed by `npm test`): a real
 * PostgreSQL server, whose database the tests empty of `state_*` rows; the
 * Postgres suites then run against it too, with the checks PGlite's single
 * session cannot make (the rebuild lock excluding another connection).
 */
const server = usePgliteServer();
const serverUrl = process.env["TEST_DATABASE_URL"];
let pool: Pool;
let realPool: Pool | undefined;
beforeAll(async () => {
  pool = createPool({ url: server().url, poolMax: 4 });
  await migrateState(pool);
  if (serverUrl) {
    realPool = createPool({ url: serverUrl, poolMax: 4 });
    await migrateState(realPool);
  }
});
afterAll(async () => {
  await pool?.end();
  await realPool?.end();
});
beforeEach(async () => {
  for (const p of [pool, realPool]) {
    if (p) await query(p, "truncate state_turns, state_records, state_subscriptions, state_ephemeral, state_rate_limits, state_counters");
  }
});
/** The Postgres pools the suites run against: PGlite always, a real server when TEST_DATABASE_URL names one. */
const postgresBackends: [string, () => Pool][] = [["Postgres (PGlite)", () => pool], ...(serverUrl ? ([["Postgres server", () => realPool!]] as [string, () => Pool][]) : [])];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 86_400_000;

function turn(id: string, chat: string, user: string, messageIds: number[], at: number): Turn {
  return { id, user, chat, messageIds, question: `问题${id}`, resolved: `问题${id}`, answer: "答", abstained: false, citations: [{ storyId: "s1", paragraph: 2, title: "标题" }], mode: "lexical", build: "b", at };
}

type MembersFactory = (now: () => number) => Promise<StateStore>;
const membersStores: [string, MembersFactory][] = [
  // memoryStateStore is this with no folder; the clock is given here so retention can be tested.
  ["memory", async (now) => openJsonStateStore({ dir: undefined, retentionDays: 2, now })],
  ["JSON file", async (now) => openJsonStateStore({ dir: await tempDir("unb-contract-"), retentionDays: 2, now })],
  ...postgresBackends.map(([name, db]): [string, MembersFactory] => [name, async (now) => pgStateStore(db(), { retentionDays: 2, now })]),
];

describe.each(membersStores)("members' state contract: %s", (_name, open) => {
  const t0 = Date.parse("2026-07-01T00:00:00Z");

  it("finds turns by id, the newest of a chat, and by any of their messages; a turn put again is the newest", async () => {
    const store = await open(() => Date.now());
    await store.putTurn(turn("t1", "c_a", "u_a", [11, 12], Date.now()));
    await store.putTurn(turn("t2", "c_a", "u_a", [13], Date.now()));
    await store.putTurn(turn("t3", "c_b", "u_b", [11], Date.now()));
    expect((await store.turn("t1"))?.question).toBe("问题t1");
    expect((await store.turn("t1"))?.citations).toEqual([{ storyId: "s1", paragraph: 2, title: "标题" }]);
    expect((await store.lastTurn("c_a"))?.id).toBe("t2");
    expect((await store.turnByMessage("c_a", 12))?.id).toBe("t1");
    expect((await store.turnByMessage("c_b", 11))?.id).toBe("t3");
    expect(await store.turnByMessage("c_a", 99)).toBeUndefined();
    expect(await store.turn("nope")).toBeUndefined();
    await store.putTurn({ ...turn("t1", "c_a", "u_a", [11, 12, 14], Date.now()), answer: "改过的答" });
    expect((await store.lastTurn("c_a"))?.id).toBe("t1");
    expect((await store.turnByMessage("c_a", 14))?.answer).toBe("改过的答");
  });

  it("replaces a record of the same kind, answer and member; lists records oldest first from a time", async () => {
    const store = await open(() => Date.now());
    const now = Date.now();
    await store.putRecord({ kind: "vote", answerId: "a1", user: "u_a", vote: "up", at: now - 3000 });
    await store.putRecord({ kind: "refused", answerId: "a2", user: "u_b", question: "没答上的", at: now - 2000 });
    await store.putRecord({ kind: "vote", answerId: "a1", user: "u_b", vote: "down", reason: "outdated", at: now - 1000 });
    await store.putRecord({ kind: "vote", answerId: "a1", user: "u_a", vote: "down", askedWhy: true, at: now });
    expect((await store.vote("a1", "u_a"))?.vote).toBe("down");
    expect((await store.vote("a1", "u_b"))?.reason).toBe("outdated");
    expect(await store.vote("a2", "u_b")).toBeUndefined();
    expect((await store.records()).map((r) => `${r.kind}:${r.answerId}:${r.user}`)).toEqual(["refused:a2:u_b", "vote:a1:u_b", "vote:a1:u_a"]);
    expect((await store.records(now - 1500)).map((r) => r.user)).toEqual(["u_b", "u_a"]);
  });

  it("follows a topic once, lists subscriptions in order, unfollows one topic or all", async () => {
    const store = await open(() => Date.now());
    expect(await store.follow({ user: "u_a", sealedChat: "sealedA", topic: "送清凉", at: 1 })).toBe(true);
    expect(await store.follow({ user: "u_a", sealedChat: "sealedA", topic: "送清凉", at: 2 })).toBe(false);
    expect(await store.follow({ user: "u_a", sealedChat: "sealedA", topic: "职代会", at: 3 })).toBe(true);
    expect(await store.follow({ user: "u_b", sealedChat: "sealedB", topic: "送清凉", at: 4 })).toBe(true);
    expect((await store.subscriptions()).map((s) => `${s.user}:${s.topic}`)).toEqual(["u_a:送清凉", "u_a:职代会", "u_b:送清凉"]);
    expect(await store.unfollow("u_a", "职代会")).toBe(1);
    expect(await store.unfollow("u_a", "没订过")).toBe(0);
    expect(await store.follow({ user: "u_a", sealedChat: "sealedA", topic: "劳模", at: 5 })).toBe(true);
    expect(await store.unfollow("u_a")).toBe(2);
    expect((await store.subscriptions()).map((s) => s.sealedChat)).toEqual(["sealedB"]);
  });

  it("forgets everything about one member and nothing of another's, saying how much", async () => {
    const store = await open(() => Date.now());
    const now = Date.now();
    await store.putTurn(turn("t1", "c_a", "u_a", [1], now));
    await store.putTurn(turn("t2", "c_g", "u_a", [2], now));
    await store.putTurn(turn("t3", "c_b", "u_b", [3], now));
    await store.putRecord({ kind: "vote", answerId: "t3", user: "u_a", vote: "up", at: now });
    await store.putRecord({ kind: "vote", answerId: "t1", user: "u_b", vote: "up", at: now });
    await store.follow({ user: "u_a", sealedChat: "s", topic: "送清凉", at: now });
    expect(await store.forget("u_a")).toEqual({ turns: 2, records: 1, subscriptions: 1 });
    expect(await store.turn("t1")).toBeUndefined();
    expect((await store.turn("t3"))?.user).toBe("u_b");
    expect((await store.records()).map((r) => r.user)).toEqual(["u_b"]);
    expect(await store.subscriptions()).toEqual([]);
    expect(await store.forget("u_a")).toEqual({ turns: 0, records: 0, subscriptions: 0 });
  });

  it("drops records and context older than the retention period; subscriptions stay", async () => {
    let now = t0;
    const store = await open(() => now);
    await store.putRecord({ kind: "refused", answerId: "old", user: "u_x", question: "很久以前", at: now });
    await store.putTurn(turn("old-turn", "c_x", "u_x", [1], now));
    await store.follow({ user: "u_x", sealedChat: "s", topic: "送清凉", at: now });
    now += DAY;
    await store.putRecord({ kind: "refused", answerId: "new", user: "u_y", question: "昨天", at: now });
    now += 1.5 * DAY;
    await store.prune();
    expect((await store.records()).map((r) => r.answerId)).toEqual(["new"]);
    expect(await store.turn("old-turn")).toBeUndefined();
    expect((await store.subscriptions()).map((s) => s.topic)).toEqual(["送清凉"]);
  });
});

const ephemeralStores: [string, (ttlMs: number) => EphemeralStore<{ n: number; text: string }>][] = [
  ["memory", (ttlMs) => memoryEphemeralStore({ capacity: 100, ttlMs })],
  ...postgresBackends.map(([name, db]): [string, (ttlMs: number) => EphemeralStore<{ n: number; text: string }>] => [name, (ttlMs) => pgEphemeralStore(db(), "test", ttlMs)]),
];

describe.each(ephemeralStores)("button records contract: %s", (_name, open) => {
  it("gives each value a fresh id fit for callback data, and reads it back as it was put", async () => {
    const store = open(60_000);
    const ids = await Promise.all([1, 2, 3].map((n) => store.put({ n, text: `第${n}条 “引号” <b>` })));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[\w-]{1,40}$/);
    expect(await store.get(ids[1]!)).toEqual({ n: 2, text: "第2条 “引号” <b>" });
    expect(await store.get("never-made")).toBeUndefined();
  });

  it("hands a value to one take only, even when two race", async () => {
    const store = open(60_000);
    const id = await store.put({ n: 1, text: "x" });
    const taken = await Promise.all([store.take(id), store.take(id)]);
    expect(taken.filter((v) => v !== undefined)).toEqual([{ n: 1, text: "x" }]);
    expect(await store.get(id)).toBeUndefined();
  });

  it("forgets a value after its time to live", async () => {
    const store = open(150);
    const id = await store.put({ n: 1, text: "x" });
    expect(await store.get(id)).toBeDefined();
    await sleep(400);
    expect(await store.get(id)).toBeUndefined();
    expect(await store.take(id)).toBeUndefined();
  });
});

const statsStores: [string, () => StatsStore][] = [
  ["memory", () => memoryStats()],
  ...postgresBackends.map(([name, db]): [string, () => StatsStore] => [name, () => pgStats(db())]),
];

describe.each(statsStores)("stats contract: %s", (_name, open) => {
  it("counts answers and refusals", async () => {
    const stats = open();
    await stats.count("answered");
    await stats.count("answered");
    await stats.count("abstained");
    expect(await stats.read()).toMatchObject({ answered: 2, abstained: 1 });
    expect((await stats.read()).since).toBeLessThanOrEqual(Date.now());
  });
});

describe.each(postgresBackends)("Postgres-only promises: %s", (_name, db) => {
  let pool: Pool;
  beforeEach(() => {
    pool = db();
  });

  it("npm run feedback's store reads what a bot instance recorded in the database", async () => {
    await pgStateStore(pool, { retentionDays: 30 }).putRecord({ kind: "refused", answerId: "r1", user: "u_a", question: "没答上的问题", at: Date.now() });
    const stored = await openStoredState({ stateDir: await tempDir("unb-fb-"), stateRetentionDays: 30 }, pool);
    expect((await stored.records()).map((r) => r.question)).toEqual(["没答上的问题"]);
  });

  it("stats: two instances add to the same counters", async () => {
    const [a, b] = [pgStats(pool), pgStats(pool)];
    await a.count("answered");
    await b.count("answered");
    await b.count("abstained");
    expect(await a.read()).toMatchObject({ answered: 2, abstained: 1, shared: true });
  });

  it("rate-limit counters behave as Redis INCR/PEXPIRE: counting per key, starting again at 1 once expired", async () => {
    const counter = pgRateLimitCounter(pool, createLogger("silent"), 60_000);
    expect(await counter.incr("k1")).toBe(1);
    expect(await counter.pexpire("k1", 300)).toBe(1);
    expect(await counter.incr("k1")).toBe(2);
    expect(await counter.incr("k2")).toBe(1);
    expect(await Promise.all([counter.incr("k1"), counter.incr("k1")])).toEqual(expect.arrayContaining([3, 4]));
    await sleep(500);
    expect(await counter.incr("k1")).toBe(1);
    expect(await counter.incr("k2")).toBe(2);
  });

  it("a counter whose PEXPIRE was lost still expires after the window", async () => {
    const counter = pgRateLimitCounter(pool, createLogger("silent"), 200);
    expect(await counter.incr("lost")).toBe(1);
    expect(await counter.incr("lost")).toBe(2);
    await sleep(400);
    expect(await counter.incr("lost")).toBe(1);
  });

  it("rate-limit counters fail open when the database is out of reach, logging once", async () => {
    const lines: string[] = [];
    const log = createLogger("warn", undefined, { write: (line: string) => void lines.push(line) });
    const dead = createPool({ url: `postgres://u:secret-pw@127.0.0.1:${await closedPort()}/db`, connectTimeoutMs: 500 });
    try {
      const counter = pgRateLimitCounter(dead, log, 60_000);
      expect(await counter.incr("k")).toBe(1);
      expect(await counter.incr("k")).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("127.0.0.1");
      expect(lines[0]).not.toContain("secret-pw");
    } finally {
      await dead.end();
    }
  });

  it("the rebuild lock is a session advisory lock held while the rebuild runs, released after it, even after a failure", async () => {
    const lock = pgBuildLock(pool);
    const held = () => query<{ n: string }>(pool, "select count(*) as n from pg_locks where locktype = 'advisory'").then((r) => Number(r.rows[0]!.n));
    expect(await held()).toBe(0);
    expect(await lock.run(async () => held())).toBe(1);
    expect(await held()).toBe(0);
    await expect(lock.run(async () => Promise.reject(new Error("build failed")))).rejects.toThrow("build failed");
    expect(await held()).toBe(0);
  });

  it("a database out of reach: the rebuild lock fails as an index fault naming the host, never the password", async () => {
    const dead = createPool({ url: `postgres://u:secret-pw@127.0.0.1:${await closedPort()}/db`, connectTimeoutMs: 500 });
    try {
      const error = await pgBuildLock(dead).run(async () => "built").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IndexError);
      expect(String((error as Error).message)).toContain("127.0.0.1");
      expect(String((error as Error).message)).not.toContain("secret-pw");
    } finally {
      await dead.end();
    }
  });

  it("a database out of reach at start: the bot's state falls back to this process, with a notice naming the host only", async () => {
    const dead = createPool({ url: `postgres://u:secret-pw@127.0.0.1:${await closedPort()}/db`, connectTimeoutMs: 500 });
    try {
      const state = await openBotState({ stateDir: await tempDir("unb-st-"), stateSecret: "0123456789abcdef0123", stateRetentionDays: 30 }, { db: dead, log: createLogger("silent") });
      expect(state.shared.shared).toBe(false);
      expect(state.members.store.durable).toBe(false);
      expect(state.notices.join("\n")).toContain("127.0.0.1");
      expect(state.notices.join("\n")).not.toContain("secret-pw");
      const id = await state.shared.answers.put({ question: "q" } as never);
      expect(await state.shared.answers.get(id)).toBeDefined();
    } finally {
      await dead.end();
    }
  });
});

describe.runIf(serverUrl !== undefined)("on a real server (TEST_DATABASE_URL)", () => {
  it("the rebuild lock excludes another connection, at once, and is released when its holder's connection dies", async () => {
    const other = createPool({ url: serverUrl!, poolMax: 2 });
    try {
      const [mine, theirs] = [pgBuildLock(realPool!), pgBuildLock(other)];
      let release!: () => void;
      const holding = mine.run(() => new Promise<string>((resolve) => (release = () => resolve("built"))));
      await sleep(100);
      await expect(theirs.run(async () => "second")).rejects.toBeInstanceOf(RebuildBusyError);
      release();
      expect(await holding).toBe("built");
      expect(await theirs.run(async () => "second")).toBe("second");

      // A holder whose connection is cut (a crashed instance): the server frees the lock.
      const crashed = createPool({ url: serverUrl!, poolMax: 1 });
      let finish!: () => void;
      const dying = pgBuildLock(crashed).run(() => new Promise<void>((resolve) => (finish = resolve)));
      await sleep(100);
      await expect(theirs.run(async () => "third")).rejects.toBeInstanceOf(RebuildBusyError);
      await query(other, "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and pid <> pg_backend_pid()");
      await sleep(200);
      expect(await theirs.run(async () => "third")).toBe("third");
      // The cut holder's own rebuild still ends normally (no unhandled 'error' event ends the process).
      finish();
      await dying;
      await crashed.end();
    } finally {
      await other.end();
    }
  });
});
