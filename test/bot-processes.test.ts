import { type ChildProcess, spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPgliteServer, type PgliteServer } from "./helpers/pglite-server.js";
import { repoRoot, seededDirs, tempDir } from "./support/paths.js";
import { type BotMessage, emulatedUser, freePort, startEmulator } from "./support/telegram-emulator.js";

/**
 * Two `npm start` processes behind one webhook URL, as the README tells a
 * deployment to run them: one database (PGlite on 127.0.0.1, reached with
 * the real `pg` client), one STATE_SECRET, a round-robin proxy playing the
 * load balancer in front of the URL, the Bot API emulated. The test plays
 * Telegram: it POSTs each update to the URL with the webhook secret, and
 * reads the bots' messages from the emulator.
 */
const TOKEN = "7373:two-process-token";
const SECRET = "two-process-secret";
const ADMIN = 9901;
let db: PgliteServer;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let proxy: Server;
let proxyPort: number;
const handledBy: number[] = [];
const children: ChildProcess[] = [];
const outputs: string[] = [];

/** The load balancer: each POST to the one URL goes to the next instance in turn. */
function roundRobin(ports: readonly number[]): Server {
  let next = 0;
  return createServer((req, res) => {
    const index = next++ % ports.length;
    handledBy.push(index);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      fetch(`http://127.0.0.1:${ports[index]}${req.url ?? "/"}`, {
        method: req.method ?? "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": String(req.headers["x-telegram-bot-api-secret-token"] ?? "") },
        body: Buffer.concat(chunks),
      }).then(
        async (r) => res.writeHead(r.status).end(await r.text()),
        () => res.writeHead(502).end(),
      );
    });
  });
}

function start(port: number, env: Record<string, string>): { waitFor(text: string, ms?: number): Promise<boolean>; output(): string; exited: Promise<number | null> } {
  const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "src", "main.ts")], {
    cwd: repoRoot,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", PORT: String(port), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const at = outputs.push("") - 1;
  child.stdout!.on("data", (d: Buffer) => (outputs[at] += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (outputs[at] += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    async waitFor(text, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!outputs[at]!.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return outputs[at]!.includes(text);
    },
    output: () => outputs[at]!,
    exited,
  };
}

let updateId = 1;
const message = (from: number, text: string) => {
  const command = /^\/\w+/.exec(text);
  return {
    update_id: updateId++,
    message: {
      message_id: 10_000 + updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: "private", first_name: "u" },
      from: { id: from, is_bot: false, first_name: "u" },
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
    },
  };
};
const press = (from: number, data: string) => ({
  update_id: updateId++,
  callback_query: { id: String(updateId), from: { id: from, is_bot: false, first_name: "u" }, chat_instance: "ci", data, message: { message_id: 1, date: 0, chat: { id: from, type: "private", first_name: "u" }, text: "answer" } },
});
/** Telegram posting an update to the one webhook URL. */
const post = (update: object) =>
  fetch(`http://127.0.0.1:${proxyPort}/hook`, { method: "POST", headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET }, body: JSON.stringify(update), signal: AbortSignal.timeout(20_000) });

let running: ReturnType<typeof start>[] = [];
let corpusDir: string;
let indexDir: string;

beforeAll(async () => {
  db = await startPgliteServer({ maxConnections: 16 });
  emulator = await startEmulator();
  const dirs = await seededDirs();
  corpusDir = dirs.corpusDir;
  indexDir = dirs.indexDir;
  const ports = [await freePort(), await freePort()];
  proxyPort = await freePort();
  proxy = roundRobin(ports);
  await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
  const env = {
    BOT_TOKEN: TOKEN,
    BOT_API_ROOT: emulator.apiRoot,
    WEBHOOK_URL: `http://127.0.0.1:${proxyPort}/hook`,
    WEBHOOK_SECRET: SECRET,
    ADMIN_IDS: String(ADMIN),
    CORPUS_DIR: dirs.corpusDir,
    INDEX_DIR: dirs.indexDir,
    STATE_DIR: await tempDir("unb-procs-state-"),
    STATE_SECRET: "two-process-state-secret-0123456789",
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: "3",
    BUILD_CHECK_SECONDS: "0.2",
    RETRIEVAL: "lexical",
    RATE_LIMIT_PER_MINUTE: "3",
  };
  // One after the other: the second finds the index built and embeds nothing.
  running = [start(ports[0]!, env)];
  expect(await running[0]!.waitFor("receiving updates by webhook")).toBe(true);
  running.push(start(ports[1]!, env));
  expect(await running[1]!.waitFor("receiving updates by webhook")).toBe(true);
}, 180_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(running.map((r) => r.exited));
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  await emulator?.stop();
  await db?.close();
});

describe("two bot processes behind one webhook URL, one database", () => {
  it("a 更多 button made by one process is answered by the other", async () => {
    const member = 9902;
    const user = emulatedUser(emulator.server, TOKEN, { userId: member });
    const first = handledBy.length;
    expect((await post(message(member, "公交职工收到了哪些防暑降温慰问品？"))).status).toBe(200);
    const [answer] = await user.replies(1, 20_000);
    const more = answer?.reply_markup?.inline_keyboard?.flat().find((b) => b.text === "更多");
    expect(more).toBeDefined();
    expect((await post(press(member, more!.callback_data))).status).toBe(200);
    const sources: BotMessage[] = await user.replies(1, 20_000);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.map((m) => m.text).join("\n")).toContain("《");
    // The question went to one process, the press to the other.
    expect(handledBy.slice(first, first + 2).sort()).toEqual([0, 1]);
  });

  it("a member's rate limit is one budget across the processes", async () => {
    const member = 9903;
    const user = emulatedUser(emulator.server, TOKEN, { userId: member });
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) {
      expect((await post(message(member, `第${i}问：公交职工收到了什么？`))).status).toBe(200);
      replies.push(...(await user.replies(1, 20_000)).map((m) => m.text));
    }
    // 3 a minute: each process saw 2, so only a shared counter refuses the 4th.
    expect(replies.filter((r) => r.includes("您提问太频繁了"))).toHaveLength(1);
    expect(replies.at(-1)).toContain("您提问太频繁了");
  });

  it("/stats from either process counts both processes' answers", async () => {
    const admin = emulatedUser(emulator.server, TOKEN, { userId: ADMIN });
    expect((await post(message(ADMIN, "/stats"))).status).toBe(200);
    const [stats] = await admin.replies(1, 20_000);
    // Questions so far, answered or not: one (更多 test) and three (rate-limit test), handled by both processes.
    const [, answered, abstained] = /已回答：(\d+)，未找到答案：(\d+)/.exec(stats?.text ?? "") ?? [];
    expect(Number(answered) + Number(abstained)).toBe(4);
    expect(stats?.text).toContain("所有实例合计");
  });

  it("one /reindex, received by one process, is served by the other after its build check", async () => {
    await writeFile(path.join(corpusDir, "reading.jsonl"), `${JSON.stringify({ id: "r-1", title: "读书月活动", text: "石景山区工会举办职工读书月，共评出优秀读书笔记六十篇。" })}\n`);
    const admin = emulatedUser(emulator.server, TOKEN, { userId: ADMIN });
    const first = handledBy.length;
    expect((await post(message(ADMIN, "/reindex"))).status).toBe(200);
    const reports = await admin.replies(2, 60_000);
    expect(reports.at(-1)?.text).toContain("新增 1");
    await new Promise((r) => setTimeout(r, 1000));
    const member = 9904;
    const user = emulatedUser(emulator.server, TOKEN, { userId: member });
    expect((await post(message(member, "石景山区读书月评出多少篇读书笔记？"))).status).toBe(200);
    const [answer] = await user.replies(1, 20_000);
    expect(answer?.text).toContain("六十篇");
    expect(handledBy.slice(first, first + 2).sort()).toEqual([0, 1]);
    // With DATABASE_URL the wiring put the index in the database: INDEX_DIR stayed empty.
    expect(await readdir(indexDir)).toEqual([]);
  });

  it("both stop cleanly on SIGTERM; neither log holds the database password or the token", async () => {
    for (const child of children) child.kill("SIGTERM");
    expect(await Promise.all(running.map((r) => r.exited))).toEqual([0, 0]);
    for (const r of running) {
      expect(r.output()).toContain('"msg":"stopped"');
      expect(r.output()).not.toContain(new URL(db.url).password);
      expect(r.output()).not.toContain("two-process-token");
    }
  });
});
