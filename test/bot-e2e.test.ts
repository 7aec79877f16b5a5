import { copyFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../src/bot/run.js";
import { TELEGRAM_MESSAGE_LIMIT } from "../src/bot/html.js";
import { createLogger } from "../src/log.js";
import { openNewsService, type NewsService } from "../src/service.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";
import { type BotMessage, emulatedUser, emulatorTransformer, EMULATED_BOT, freePort, type RecordedCall, startEmulator } from "./support/telegram-emulator.js";

/**
 * End to end: the real start path (getMe, setMyCommands, deleteWebhook,
 * @grammyjs/runner long polling, or a webhook server) against the emulated
 * Bot API on loopback. Methods the emulator lacks are answered by a
 * recording transformer.
 */
const ADMIN = 7001;
const MEMBER = 7002;
const log = createLogger("silent");

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let corpusDir: string;
const running: RunningBot[] = [];

async function serviceFor(env: Record<string, string>): Promise<NewsService> {
  return openNewsService(await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical", BOT_API_ROOT: emulator.apiRoot, ADMIN_IDS: String(ADMIN), ...env }), lexicalDeps(), { build: "always" });
}

async function launch(token: string, env: Record<string, string> = {}, opts: { tooManyRequestsOnce?: string; files?: Record<string, Uint8Array> } = {}) {
  const calls: RecordedCall[] = [];
  const service = await serviceFor({ BOT_TOKEN: token, ...env });
  const bot = await startBot(service, log, {
    retry: { firstDelayMs: 50 },
    transformers: [emulatorTransformer(calls, opts.tooManyRequestsOnce ? { tooManyRequestsOnce: opts.tooManyRequestsOnce } : {})],
    fetchFile: async (p) => opts.files?.[p] ?? Promise.reject(new Error(`no file ${p}`)),
  });
  if (!bot) throw new Error("the bot did not start");
  running.push(bot);
  return { calls, bot, service };
}

const buttons = (m: BotMessage | undefined) => m?.reply_markup?.inline_keyboard?.flat() ?? [];

beforeAll(async () => {
  emulator = await startEmulator();
  corpusDir = await tempDir("unb-corpus-");
  await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
  const long = Array.from({ length: 40 }, (_, i) => `第${i + 1}段，职工代表围绕安全生产、劳动保护和技能培训提出了建议，工会逐条作了答复和落实。`.repeat(3));
  await writeFile(path.join(corpusDir, "long.jsonl"), `${JSON.stringify({ id: "long-1", title: "职代会长篇纪实", text: long.join("\n") })}\n`);
});

afterAll(async () => {
  for (const r of running) await r.stop();
  await emulator.stop();
});

describe("the bot against the emulated Bot API, long polling", () => {
  const token = "1001:polling-token";
  let calls: RecordedCall[];
  beforeAll(async () => {
    ({ calls } = await launch(token, { RATE_LIMIT_PER_MINUTE: "5" }, { files: { "documents/bad-1": new TextEncoder().encode("{oops\n") } }));
  });

  it("starts the normal way: identity from getMe, commands registered, polling", () => {
    const methods = calls.map((c) => c.method);
    expect(methods.slice(0, 4)).toEqual(["getMe", "setMyCommands", "setMyCommands", "deleteWebhook"]);
    expect(calls[2]!.payload["scope"]).toEqual({ type: "chat", chat_id: ADMIN });
    expect(methods).toContain("getUpdates");
  });

  it("greets on /start", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8101 });
    await user.command("/start");
    const [reply] = await user.replies();
    expect(reply!.parse_mode).toBe("HTML");
    expect(reply!.text).toContain("9</b> 篇");
  });

  it("answers a question with citations, a typing action and buttons, and shows the story on a press", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8102 });
    await user.say("公交职工收到了哪些防暑降温慰问品？");
    const [reply] = await user.replies();
    expect(reply!.text).toContain("毛巾、茶叶、绿茶饮料");
    expect(reply!.text).toMatch(/<b>来源<\/b>\n\[1\] 《北京公交集团工会全面启动“夏送清凉”活动》/);
    expect(calls.some((c) => c.method === "sendChatAction" && c.payload["chat_id"] === 8102)).toBe(true);
    const original = buttons(reply).find((b) => b.text === "原文[1]")!;
    expect(Buffer.byteLength(original.callback_data)).toBeLessThanOrEqual(64);
    await user.press(original.callback_data);
    const story = await user.replies();
    expect(story.map((m) => m.text).join("\n")).toContain("▶ <b>第2段</b>");
    expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
  });

  it("escapes a question with <b>& and still sends valid HTML", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8103 });
    await user.say("<b>&杨华清</b>是谁？");
    const [reply] = await user.replies();
    expect(reply!.text).toContain("杨华清");
    expect(reply!.text.replace(/<\/?b>/g, "")).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
  });

  it("pages a story longer than 4096 characters: one message, then 下一页", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8104 });
    await user.command("/story long-1");
    const first = await user.replies(1);
    expect(first).toHaveLength(1);
    expect(first[0]!.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    const next = buttons(first[0]).find((b) => b.text === "下一页")!;
    await user.press(next.callback_data);
    const second = await user.replies(1);
    expect(second).toHaveLength(1);
    expect(second[0]!.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(second[0]!.text).toContain("第40段");
    expect(buttons(second[0]).map((b) => b.text)).toEqual(["上一页"]);
  });

  it("in a group answers only when mentioned or replied to", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8105, chatId: -9001, group: true });
    await user.say("杨华清是谁？");
    expect(await user.replies(1, 600)).toEqual([]);
    await user.say(`@${EMULATED_BOT.username} 杨华清是谁？`);
    const [mentioned] = await user.replies();
    expect(mentioned!.text).toContain("杨华清");
    expect(mentioned!.reply_parameters?.message_id).toEqual(expect.any(Number));
    await user.say("杨华清是谁？", { reply_to_message: { message_id: 1, date: 0, chat: { id: -9001, type: "group" }, from: { id: EMULATED_BOT.id, is_bot: true, first_name: "bot" }, text: "…" } });
    expect((await user.replies())[0]!.text).toContain("杨华清");
  });

  it("replies politely to a sticker", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8106 });
    await user.sendWithout({ sticker: { file_id: "s1", file_unique_id: "s1", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } });
    expect((await user.replies())[0]!.text).toContain("只能回答文字");
  });

  it("lets admins /reindex and refuses members", async () => {
    const member = emulatedUser(emulator.server, token, { userId: MEMBER });
    await member.command("/reindex");
    expect((await member.replies())[0]!.text).toBe("抱歉，这个命令只有管理员可以使用。");
    const admin = emulatedUser(emulator.server, token, { userId: ADMIN });
    await admin.command("/reindex");
    const replies = await admin.replies(2);
    expect(replies[0]!.text).toContain("开始重建索引");
    expect(replies[1]!.text).toContain("索引已是最新");
  });

  it("rejects a bad uploaded file with the parser's message", async () => {
    const admin = emulatedUser(emulator.server, token, { userId: ADMIN });
    await admin.sendWithout({ document: { file_id: "bad-1", file_unique_id: "bad-1", file_name: "bad.jsonl", file_size: 6 } });
    const [reply] = await admin.replies();
    expect(reply!.text).toContain("bad.jsonl 第 1 行：invalid JSON");
    expect(reply!.text).toContain("没有改动");
  });

  it("rate-limits a member who asks too often", async () => {
    const user = emulatedUser(emulator.server, token, { userId: 8107 });
    for (let i = 0; i < 7; i++) await user.say("杨华清是谁？");
    const replies = await user.replies(6);
    expect(replies.filter((r) => r.text.includes("杨华清"))).toHaveLength(5);
    expect(replies.filter((r) => r.text === "您提问太频繁了，请稍等一分钟再问。")).toHaveLength(1);
  });
});

describe("retrying Telegram errors", () => {
  it("retries a 429 and still delivers the answer", async () => {
    const token = "1002:retry-token";
    const { calls } = await launch(token, {}, { tooManyRequestsOnce: "sendMessage" });
    const user = emulatedUser(emulator.server, token, { userId: 8201 });
    await user.say("杨华清是谁？");
    const [reply] = await user.replies(1, 10_000);
    expect(reply!.text).toContain("杨华清");
    expect(calls.filter((c) => c.method === "sendMessage")).toHaveLength(2);
  });
});

describe("webhook mode", () => {
  it("receives updates by webhook and answers them", async () => {
    const token = "1003:webhook-token";
    const port = await freePort();
    // The emulator posts updates without the secret header, so this one runs unsigned, as WEBHOOK_INSECURE allows.
    const { bot, calls } = await launch(token, { WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, PORT: String(port), WEBHOOK_INSECURE: "1" });
    expect(bot.mode).toBe("webhook");
    expect(calls.find((c) => c.method === "setWebhook")!.payload["url"]).toBe(`http://127.0.0.1:${port}/telegram`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const user = emulatedUser(emulator.server, token, { userId: 8301 });
    await user.say("杨华清是谁？");
    expect((await user.replies())[0]!.text).toContain("杨华清");
  });

  it("refuses webhook posts without the secret token", async () => {
    const port = await freePort();
    await launch("1004:secret-token", { WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, PORT: String(port), WEBHOOK_SECRET: "s3cret" });
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ update_id: 1 }) });
    expect((await post({})).status).toBe(401);
    expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "s3cret" })).status).toBe(200);
  });
});
