import { spawn } from "node:child_process";
import { copyFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Transformer } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../src/bot/run.js";
import { loadConfig } from "../src/config.js";
import { createCorpusChanges } from "../src/corpus-changes.js";
import { ConfigError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { openNewsService, type NewsService } from "../src/service.js";
import { repoRoot, seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";
import { emulatedUser, emulatorTransformer, freePort, type RecordedCall, startEmulator } from "./support/telegram-emulator.js";

/**
 * Webhook mode through real HTTP on 127.0.0.1: updates are POSTed the way
 * Telegram posts them (with the secret header), the bot's outgoing calls go
 * to the emulated Bot API and are recorded. Unhandled rejections anywhere in
 * the process are collected: there must be none.
 */
const ADMIN = 7101;
const SECRET = "webhook-secret_1";
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);
let emulator: Awaited<ReturnType<typeof startEmulator>>;
const running: RunningBot[] = [];

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  emulator = await startEmulator();
});
afterAll(async () => {
  for (const r of running) await r.stop();
  await emulator.stop();
  process.off("unhandledRejection", onRejection);
});

/** Holds every sendChatAction (the first call of an answer) for `ms`: a slow network or a slow handler. */
const slowChatAction = (ms: number): Transformer => async (prev, method, payload, signal) => {
  if (method === "sendChatAction") await new Promise((r) => setTimeout(r, ms));
  return prev(method, payload, signal);
};

async function webhookBot(opts: { service?: NewsService; env?: Record<string, string>; timeoutMs?: number; transformers?: Transformer[]; lines?: string[] } = {}) {
  const port = await freePort();
  const token = `${port}:webhook-token`;
  const calls: RecordedCall[] = [];
  const service =
    opts.service ??
    (await openNewsService(await testConfig({ RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" }));
  const config = loadConfig({
    CORPUS_DIR: service.config.corpusDir,
    INDEX_DIR: service.config.indexDir,
    BOT_TOKEN: token,
    BOT_API_ROOT: emulator.apiRoot,
    ADMIN_IDS: String(ADMIN),
    WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
    PORT: String(port),
    WEBHOOK_SECRET: SECRET,
    ...opts.env,
  });
  const log = opts.lines ? createLogger("info", token, { write: (line: string) => void opts.lines!.push(line) }) : createLogger("silent");
  const bot = await startBot({ ...service, config }, log, {
    // The last installed runs first: the slow ones wrap the recorder, which answers some methods itself.
    transformers: [emulatorTransformer(calls), ...(opts.transformers ?? [])],
    ...(opts.timeoutMs ? { webhookTimeoutMs: opts.timeoutMs } : {}),
  });
  running.push(bot!);
  const post = (body: string, headers: Record<string, string> = { "X-Telegram-Bot-Api-Secret-Token": SECRET }) =>
    fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body, signal: AbortSignal.timeout(5000) });
  return { bot: bot!, calls, port, post };
}

let nextUpdate = 1;
function update(from: number, text: string): string {
  const command = /^\/\w+/.exec(text);
  return JSON.stringify({
    update_id: nextUpdate++,
    message: {
      message_id: nextUpdate,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from, type: "private", first_name: "u" },
      from: { id: from, is_bot: false, first_name: "u" },
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
    },
  });
}

const sentTexts = (calls: readonly RecordedCall[], chat: number) =>
  calls.filter((c) => c.method === "sendMessage" && c.payload["chat_id"] === chat).map((c) => String(c.payload["text"]));

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe("a handler slower than the webhook timeout", () => {
  it("is answered 200 at the timeout and still delivers its reply; nothing rejects, the server keeps serving", async () => {
    const { calls, post, port } = await webhookBot({ timeoutMs: 150, transformers: [slowChatAction(600)] });
    const started = Date.now();
    const response = await post(update(8001, "杨华清是谁？"));
    const took = Date.now() - started;
    expect(response.status).toBe(200);
    expect(took).toBeLessThan(550);
    expect(sentTexts(calls, 8001)).toEqual([]);
    await until(() => sentTexts(calls, 8001).length > 0);
    expect(sentTexts(calls, 8001)[0]).toContain("杨华清");
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(rejections).toEqual([]);
  });

  it("an admin's upload-sized rebuild is acknowledged at once and reported when it ends", async () => {
    const corpusDir = await tempDir("unb-webhook-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
    const base = await openNewsService(await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" });
    // The rebuild stands in for a large corpus: the same rebuild, 1.5 s later.
    const slowReindex = async () => (await new Promise((r) => setTimeout(r, 1500)), base.reindex());
    const service: NewsService = { ...base, corpus: createCorpusChanges({ corpusDir, reindex: slowReindex }) };
    const { calls, post } = await webhookBot({ service, timeoutMs: 1000 });
    const started = Date.now();
    expect((await post(update(ADMIN, "/reindex"))).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(900);
    expect(sentTexts(calls, ADMIN)).toEqual([expect.stringContaining("开始重建索引")]);
    await until(() => sentTexts(calls, ADMIN).length === 2);
    expect(sentTexts(calls, ADMIN)[1]).toContain("索引已是最新");
    expect(rejections).toEqual([]);
  });
});

describe("a body that is not a Telegram update", () => {
  it("gets 400 (invalid JSON, a number, no update_id, an oversized body) and the process keeps serving", async () => {
    const { calls, post, port } = await webhookBot();
    expect((await post("{not json")).status).toBe(400);
    expect((await post("42")).status).toBe(400);
    expect((await post('{"message": {}}')).status).toBe(400);
    // Past 1 MB the server stops reading: the client sees a 400 or, still sending, a closed connection.
    const oversized = await post(`{"update_id": 1, "pad": "${"x".repeat(2 * 1024 * 1024)}"}`).then((r) => r.status, () => "closed");
    expect([400, "closed"]).toContain(oversized);
    expect((await post(update(8002, "杨华清是谁？"), {})).status).toBe(401);
    expect((await post(update(8002, "杨华清是谁？"))).status).toBe(200);
    await until(() => sentTexts(calls, 8002).length > 0);
    expect(sentTexts(calls, 8002)[0]).toContain("杨华清");
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(rejections).toEqual([]);
  });
});

describe("webhook security settings", () => {
  it("refuses WEBHOOK_URL without WEBHOOK_SECRET unless WEBHOOK_INSECURE=1", () => {
    const env = { BOT_TOKEN: "1:t", WEBHOOK_URL: "https://example.org/hook" };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/WEBHOOK_SECRET.*WEBHOOK_INSECURE=1/s);
    expect(loadConfig({ ...env, WEBHOOK_INSECURE: "1" })).toMatchObject({ webhookSecret: undefined, webhookInsecure: true });
    expect(() => loadConfig({ ...env, WEBHOOK_SECRET: "has spaces" })).toThrow(/WEBHOOK_SECRET may hold only/);
  });

  it("binds loopback by default, HOST when set, and warns loudly when running unsigned", async () => {
    const lines: string[] = [];
    const { bot } = await webhookBot({ env: { WEBHOOK_SECRET: "", WEBHOOK_INSECURE: "1" }, lines });
    expect((bot.server!.address() as AddressInfo).address).toBe("127.0.0.1");
    expect(lines.some((l) => l.includes('"level":40') && l.includes("WEBHOOK_INSECURE=1"))).toBe(true);
    const other = await webhookBot({ env: { HOST: "::1" } }).catch(() => undefined);
    // A machine without IPv6 cannot bind ::1; then only the setting itself is checked.
    if (other) expect((other.bot.server!.address() as AddressInfo).address).toBe("::1");
    expect(loadConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
  });

  it("npm start with WEBHOOK_URL and no secret exits with the reason, before serving anything", async () => {
    const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "src", "main.ts")], {
      cwd: await tempDir("unb-nosecret-"),
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", BOT_TOKEN: "42:secret-token-value", WEBHOOK_URL: "https://example.org/hook", BOT_API_ROOT: "http://127.0.0.1:9" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(output).toContain("WEBHOOK_SECRET is not");
    expect(output).not.toContain("secret-token-value");
  });
});

/** `npm start` in a child process, its output collected; nothing inside it is faked. */
async function npmStart(env: Record<string, string>) {
  const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "src", "main.ts")], {
    cwd: await tempDir("unb-child-"),
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", CORPUS_DIR: seedCorpusDir, INDEX_DIR: await tempDir("unb-child-index-"), RETRIEVAL: "lexical", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const waitFor = async (text: string, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!output.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return output.includes(text);
  };
  return { child, exited, waitFor, output: () => output };
}

describe("npm start in webhook mode", () => {
  it("answers 400 to a bad body and keeps serving: the next update is answered, SIGTERM exits 0", async () => {
    const port = await freePort();
    const token = "6161:child-webhook-token";
    const run = await npmStart({ BOT_TOKEN: token, BOT_API_ROOT: emulator.apiRoot, WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, PORT: String(port), WEBHOOK_SECRET: SECRET });
    expect(await run.waitFor("receiving updates by webhook")).toBe(true);
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/hook`, { method: "POST", headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET }, body, signal: AbortSignal.timeout(5000) });
    expect((await post("{not json")).status).toBe(400);
    expect((await post(update(9601, "杨华清是谁？"))).status).toBe(200);
    const user = emulatedUser(emulator.server, token, { userId: 9601 });
    expect((await user.replies(1, 10_000))[0]!.text).toContain("杨华清");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("webhook request refused (400)");
    expect(run.output()).not.toContain("child-webhook-token");
  });

  it("with an unreachable Bot API warns at once, and still stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const run = await npmStart({ BOT_TOKEN: "6262:child-unreachable-token", BOT_API_ROOT: `http://127.0.0.1:${port}` });
    expect(await run.waitFor("cannot reach the Bot API", 20_000)).toBe(true);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`127.0.0.1:${port}`);
    expect(run.output()).not.toContain("child-unreachable-token");
    // From the line logged just before the bot starts to the warning: the first failed getMe, not a minute later.
    const times = (text: string) => run.output().split("\n").filter((l) => l.includes(text)).map((l) => (JSON.parse(l) as { time: number }).time);
    const [serving] = times("serving in lexical mode");
    const [warned] = times("cannot reach the Bot API");
    expect(warned! - serving!).toBeLessThan(2000);
  });
});
