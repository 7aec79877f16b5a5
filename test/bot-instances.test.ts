import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../src/db/postgres.js";
import { RebuildBusyError } from "../src/errors.js";
import { createPostgresStore } from "../src/index/postgres-store.js";
import { createLogger } from "../src/log.js";
import { openNewsService, type NewsService } from "../src/service.js";
import { openBotState } from "../src/state/open.js";
import { pgBuildLock } from "../src/state/pg/build-lock.js";
import { usePgliteServer } from "./helpers/pglite-server.js";
import { ADMIN, botUnderTest, type Call, callback, document, MEMBER, sent, text } from "./support/bot-updates.js";
import { seededDirs } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

/**
 * The proof: two bot instances on one database, each its own Bot
 * (fed with handleUpdate, calls recorded), its own service and its own pool
 * of `pg` connections to PGlite on 127.0.0.1, as two processes behind one
 * webhook URL would be. The index and everything the bot keeps between
 * updates are in the database; only the corpus folder is shared on disk.
 */
const server = usePgliteServer();
const SECRET = "instances-secret-0123456789";
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttonsOf = (calls: readonly Call[]) => calls.flatMap((c) => (c.payload["reply_markup"] as Keyboard | undefined)?.inline_keyboard.flat() ?? []);
const FOLLOWER = MEMBER + 9;
/** Alert messages (🔔) sent to a member's private chat. */
/** Messages sent to a chat that are not alerts. */
const repliesTo = (calls: readonly Call[], chat: number) =>
  calls.filter((c) => c.method === "sendMessage" && c.payload["chat_id"] === chat && !String(c.payload["text"]).startsWith("🔔")).map((c) => String(c.payload["text"]));
const alertsTo = (calls: readonly Call[], chat: number) =>
  calls.filter((c) => c.method === "sendMessage" && c.payload["chat_id"] === chat && String(c.payload["text"]).startsWith("🔔")).map((c) => String(c.payload["text"]));
const encode = (lines: readonly object[]) => new TextEncoder().encode(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);

interface Instance {
  readonly pool: Pool;
  readonly service: NewsService;
  readonly bot: ReturnType<typeof botUnderTest>;
}

let corpusDir: string;
let indexDir: string;
let a: Instance;
let b: Instance;
const files = {
  "documents/library": encode([{ id: "lib-1", title: "职工书屋开放", text: "朝阳区职工书屋正式开放，藏书三千册。" }]),
  "documents/library-2": encode([{ id: "lib-2", title: "职工书屋扩建", text: "朝阳区职工书屋扩建完成，藏书增至八千册。" }]),
};

async function instance(env: Record<string, string>, build: "always" | "never"): Promise<Instance> {
  const pool = createPool({ url: server().url, poolMax: 3 });
  const config = await testConfig(env);
  const service = await openNewsService(config, { ...lexicalDeps(), buildLock: pgBuildLock(pool), createIndexStore: () => createPostgresStore({ pool }) }, { build });
  const state = await openBotState(config, { db: pool, log: createLogger("silent") });
  const bot = botUnderTest(service, { members: state.members, shared: state.shared, rateLimitPerMinute: 4, files });
  return { pool, service, bot };
}

beforeAll(async () => {
  const dirs = await seededDirs();
  corpusDir = dirs.corpusDir;
  indexDir = dirs.indexDir;
  // BUILD_CHECK_SECONDS shortened from 5 so a test waits a fraction of a second.
  const env = { CORPUS_DIR: dirs.corpusDir, INDEX_DIR: dirs.indexDir, RETRIEVAL: "lexical", STATE_SECRET: SECRET, BUILD_CHECK_SECONDS: "0.2" };
  a = await instance(env, "always");
  b = await instance(env, "never");
}, 120_000);
afterAll(async () => {
  for (const i of [a, b]) {
    await i?.service.close();
    await i?.pool.end();
  }
});

describe("two instances on one database", () => {
  it("a 更多 button made by one is answered by the other, with the same sources", async () => {
    const asked = await a.bot.send(text(MEMBER, "公交职工收到了哪些防暑降温慰问品？"));
    const more = buttonsOf(asked).find((x) => x.text === "更多")!;
    expect(more).toBeDefined();
    const onB = await b.bot.send(callback(MEMBER, more.callback_data));
    expect(onB[0]).toMatchObject({ method: "answerCallbackQuery" });
    expect(onB[0]!.payload["show_alert"]).toBeUndefined();
    const fromB = sent(onB);
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromB.join("\n")).toContain("《");
    // The same press on the instance that made it gives the same page.
    expect(sent(await a.bot.send(callback(MEMBER, more.callback_data)))).toEqual(fromB);
  });

  it("a 👍 pressed on the other instance is recorded against the answer the first one gave", async () => {
    const asked = await a.bot.send(text(MEMBER + 1, "公交职工收到了哪些防暑降温慰问品？"));
    const up = buttonsOf(asked).find((x) => x.text === "👍")!;
    const pressed = await b.bot.send(callback(MEMBER + 1, up.callback_data));
    expect(pressed[0]).toMatchObject({ method: "answerCallbackQuery" });
    expect(String(pressed[0]!.payload["text"] ?? "")).not.toContain("过期");
    const records = await b.bot.members.store.records();
    expect(records.some((r) => r.kind === "vote" && r.vote === "up" && r.answerId === up.callback_data.split(":")[1])).toBe(true);
  });

  it("rate limits are one budget across instances", async () => {
    const who = MEMBER + 2;
    const replies: string[] = [];
    for (const [i, bot] of [a.bot, b.bot, a.bot, b.bot, a.bot].entries()) {
      replies.push(...sent(await bot.send(text(who, `第${i}个问题：公交职工收到了什么？`))));
    }
    // 4 a minute: the fifth, whichever instance gets it, is refused; each instance alone saw at most 3.
    expect(replies.filter((r) => r.includes("您提问太频繁了"))).toHaveLength(1);
    expect(replies.at(-1)).toContain("您提问太频繁了");
  });

  it("/stats on either instance counts the answers both gave", async () => {
    const before = sent(await b.bot.send(text(ADMIN, "/stats")))[0]!;
    const count = (s: string) => Number(/已回答：(\d+)/.exec(s)![1]);
    await a.bot.send(text(MEMBER + 3, "公交职工收到了哪些防暑降温慰问品？"));
    await b.bot.send(text(MEMBER + 3, "公交职工收到了哪些防暑降温慰问品？"));
    const after = sent(await a.bot.send(text(ADMIN, "/stats")))[0]!;
    expect(count(after)).toBe(count(before) + 2);
    expect(after).toContain("所有实例合计");
  });

  it("one /reindex is seen by both: the other instance serves the new build after its next build check", async () => {
    // A follower subscribed through B is alerted by A, the instance that rebuilt (see the next test).
    expect(sent(await b.bot.send(text(FOLLOWER, "/follow 读书月")))[0]).toContain("已关注");
    await writeFile(path.join(corpusDir, "reading.jsonl"), encode([{ id: "r-1", title: "读书月活动", text: "石景山区工会举办职工读书月，共评出优秀读书笔记六十篇。" }]));
    const question = "石景山区读书月评出多少篇读书笔记？";
    expect(sent(await b.bot.send(text(MEMBER + 4, question)))[0]).not.toContain("六十篇");
    const reindexed = repliesTo(await a.bot.sendAndWait(text(ADMIN, "/reindex")), ADMIN);
    expect(reindexed.at(-1)).toContain("新增 1");
    expect(alertsTo(a.bot.calls, FOLLOWER)).toEqual([expect.stringContaining("读书月活动")]);
    // Nothing is asked of B: its own check (every BUILD_CHECK_SECONDS) finds the published build id.
    const deadline = Date.now() + 10_000;
    while (b.service.buildId() !== a.service.buildId() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(b.service.buildId()).toBe(a.service.buildId());
    expect(sent(await b.bot.send(text(MEMBER + 4, question)))[0]).toContain("六十篇");
    expect(await b.service.refresh()).toBe(false);
    // The index is the database's: nothing was written to INDEX_DIR.
    expect(await readdir(indexDir)).toEqual([]);
  });

  it("a story alerted by the instance that built it is not alerted again by the other's next rebuild", async () => {
    await writeFile(path.join(corpusDir, "reading-2.jsonl"), encode([{ id: "r-2", title: "丰台读书月", text: "丰台区工会举办职工读书月，评出优秀读书笔记三十篇。" }]));
    const before = b.bot.calls.length;
    const reindexed = repliesTo(await b.bot.sendAndWait(text(ADMIN, "/reindex")), ADMIN);
    expect(reindexed.at(-1)).toContain("新增 1");
    const alerts = alertsTo(b.bot.calls.slice(before), FOLLOWER);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain("丰台读书月");
    expect(alerts[0]).not.toContain("读书月活动");
  });

  it("an upload waiting for 替换 on one instance is replaced by a press on the other, once", async () => {
    await a.bot.sendAndWait(document(ADMIN, "library.jsonl", "library"));
    const refused = await a.bot.sendAndWait(document(ADMIN, "library.jsonl", "library-2"));
    const replace = buttonsOf(refused).find((x) => x.text === "替换原文件")!;
    const confirmed = sent(await b.bot.sendAndWait(callback(ADMIN, replace.callback_data)));
    expect(confirmed.at(-1)).toContain("文件 library.jsonl 已替换同名原文件");
    expect(sent(await b.bot.send(text(MEMBER + 5, "朝阳区职工书屋藏书多少册？")))[0]).toContain("八千册");
    const again = await a.bot.sendAndWait(callback(ADMIN, replace.callback_data));
    expect(again).toEqual([expect.objectContaining({ method: "answerCallbackQuery", payload: expect.objectContaining({ text: expect.stringContaining("过期") }) })]);
  });
});

describe("a /reindex while another instance holds the rebuild lock", () => {
  it("is refused in Chinese and the served index stays (the lock itself is played here: PGlite's one session cannot hold it against itself)", async () => {
    const held = { run: () => Promise.reject(new RebuildBusyError("db.internal:5432/unionnews")) };
    const config = await testConfig({ RETRIEVAL: "lexical" });
    const built = await openNewsService(config, lexicalDeps(), { build: "always" });
    await built.close();
    const service = await openNewsService(config, { ...lexicalDeps(), buildLock: held }, { build: "always" });
    try {
      expect(service.notices.join("\n")).toContain("another instance is rebuilding");
      const before = service.buildId();
      const { sendAndWait } = botUnderTest(service);
      const replies = sent(await sendAndWait(text(ADMIN, "/reindex")));
      expect(replies.at(-1)).toBe("另一个实例正在重建索引，这次没有重建，仍在使用原来的索引。请等它完成后再试。");
      expect(service.buildId()).toBe(before);
    } finally {
      await service.close();
    }
  });
});
