import { copyFile, readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CALLBACK_DATA_LIMIT } from "../src/bot/callbacks.js";
import { openNewsService, type NewsService } from "../src/service.js";
import { ADMIN, botUnderTest, callback, document, GROUP, MEMBER, sent, sticker, text } from "./support/bot-updates.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, lexicalSeedService, testConfig } from "./support/service.js";

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const keyboardOf = (payload: Record<string, unknown>) => (payload["reply_markup"] as Keyboard | undefined)?.inline_keyboard.flat() ?? [];

/** Only Telegram's HTML tags, and every `&` an entity: what Telegram accepts. */
function expectValidTelegramHtml(html: string): void {
  for (const m of html.matchAll(/<\/?([a-z-]+)[^>]*>/g)) expect(["b", "i", "pre", "code", "a"]).toContain(m[1]);
  expect(html.replace(/<\/?(b|i|pre|code|a)( [^>]*)?>/g, "")).not.toMatch(/[<>]/);
  expect(html).not.toMatch(/&(?!(amp|lt|gt|quot);)/);
}

let service: NewsService;
beforeAll(async () => {
  service = await lexicalSeedService();
});

describe("members", () => {
  it("/start greets in Chinese with what the bot knows and example questions", async () => {
    const { send } = botUnderTest(service);
    const [reply] = sent(await send(text(MEMBER, "/start")));
    expect(reply).toContain("8</b> 篇");
    // The newest story's date, read from the file name (the page gives no dateline).
    expect(reply).toContain("2024年夏季");
    expect(reply!.match(/^• /gm)!.length).toBeGreaterThanOrEqual(2);
  });

  it("answers a question with citations, typing action, HTML and buttons", async () => {
    const { send } = botUnderTest(service);
    const calls = await send(text(MEMBER, "公交职工收到了哪些防暑降温慰问品？"));
    expect(calls[0]).toMatchObject({ method: "sendChatAction", payload: { action: "typing" } });
    const reply = calls.find((c) => c.method === "sendMessage")!;
    expect(reply.payload["parse_mode"]).toBe("HTML");
    const body = String(reply.payload["text"]);
    expect(body).toContain("毛巾、茶叶、绿茶饮料");
    expect(body).toMatch(/<b>来源<\/b>\n\[1\] 《北京公交集团工会全面启动“夏送清凉”活动》 记者 盛丽 · 第2段/);
    expectValidTelegramHtml(body);
    const buttons = keyboardOf(reply.payload);
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(["原文[1]", "更多"]));
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
  });

  it("escapes a question containing <b>& and still replies with valid HTML", async () => {
    const { send } = botUnderTest(service);
    const replies = sent(await send(text(MEMBER, "<b>&杨华清</b>是谁？")));
    expect(replies).toHaveLength(1);
    expectValidTelegramHtml(replies[0]!);
    expect(replies[0]).toContain("杨华清");
  });

  it("shows the cited story with the paragraph marked, and more sources", async () => {
    const { send } = botUnderTest(service);
    const reply = (await send(text(MEMBER, "公交职工收到了哪些防暑降温慰问品？"))).find((c) => c.method === "sendMessage")!;
    const [original, more] = [keyboardOf(reply.payload).find((b) => b.text === "原文[1]")!, keyboardOf(reply.payload).find((b) => b.text === "更多")!];
    const storyCalls = await send(callback(MEMBER, original.callback_data));
    expect(storyCalls[0]!.method).toBe("answerCallbackQuery");
    const story = sent(storyCalls).join("\n");
    expect(story).toContain("<b>北京公交集团工会全面启动“夏送清凉”活动</b>");
    expect(story).toContain("▶ <b>第2段</b>");
    const moreText = sent(await send(callback(MEMBER, more.callback_data))).join("\n");
    expect(moreText).toContain("<b>更多相关段落</b>");
    // Numbered on from the sources the answer cited.
    const cited = (String((reply.payload as { text: string }).text).match(/^\[\d+\] 《/gm) ?? []).length;
    expect(cited).toBeGreaterThan(0);
    expect(moreText).toContain(`[${cited + 1}] 《`);
  });

  it("answers stale or foreign buttons politely", async () => {
    const { send } = botUnderTest(service);
    const [expired] = await send(callback(MEMBER, "more:nosuchanswer:0"));
    expect(expired).toMatchObject({ method: "answerCallbackQuery", payload: { text: expect.stringContaining("过期") } });
    const [gone] = await send(callback(MEMBER, "story:000000000000:1"));
    expect(gone).toMatchObject({ method: "answerCallbackQuery", payload: { text: expect.stringContaining("不在新闻库") } });
    const [junk] = await send(callback(MEMBER, "rm -rf"));
    expect(junk!.method).toBe("answerCallbackQuery");
  });

  it("asked for news in general, shows the latest stories after a hint what to ask", async () => {
    const { send } = botUnderTest(service);
    const replies = (await send(text(MEMBER, "最近有什么新闻？"))).filter((c) => c.method === "sendMessage");
    expect(replies).toHaveLength(2);
    expect(String(replies[0]!.payload["text"])).toContain("想了解哪方面的新闻");
    expect(String(replies[1]!.payload["text"])).toContain("<b>最新报道</b>");
    expect(keyboardOf(replies[1]!.payload)).toHaveLength(8);
  });

  it("asked for the news of a period, lists that period's stories, or says it has none", async () => {
    const { send } = botUnderTest(service);
    const summer = (await send(text(MEMBER, "2024年夏天有什么新闻？"))).filter((c) => c.method === "sendMessage");
    expect(summer.map((c) => String(c.payload["text"]))).toEqual([expect.stringContaining("想了解2024年夏天哪方面的新闻"), expect.stringContaining("<b>2024年夏天的报道</b>")]);
    expect(keyboardOf(summer[1]!.payload)).toHaveLength(8);
    const none = sent(await send(text(MEMBER, "2023年有什么新闻？")));
    expect(none[1]).toBe("已收录的新闻中没有2023年的报道。");
    expect(none[2]).toContain("<b>最新报道</b>");
  });

  it("asked about itself, replies with how to use it", async () => {
    const { send } = botUnderTest(service);
    const replies = sent(await send(text(MEMBER, "你能做什么？")));
    expect(replies).toHaveLength(2);
    expect(replies[1]).toContain("<b>怎么用</b>");
    expect(replies[1]).toContain("/latest");
  });

  it("lists the latest stories and shows one by id", async () => {
    const { send } = botUnderTest(service);
    const latest = (await send(text(MEMBER, "/latest"))).find((c) => c.method === "sendMessage")!;
    expect(String(latest.payload["text"])).toContain("<b>最新报道</b>");
    expect(keyboardOf(latest.payload)).toHaveLength(8);
    const id = service.engine().stories[1]!.id;
    const [story] = sent(await send(text(MEMBER, `/story ${id}`)));
    expect(story).toContain("北京市工人北戴河疗养院打造劳模工匠事迹展示阵地");
    const [missing] = sent(await send(text(MEMBER, "/story nope")));
    expect(missing).toContain("没有找到");
  });

  it("says plainly when the news does not cover a question", async () => {
    const { send } = botUnderTest(service);
    const calls = await send(text(MEMBER, "上海市总工会今年举办了哪些劳动竞赛？"));
    const [reply] = sent(calls);
    expect(reply).toMatch(/^没有在已收录的新闻中找到相关内容/);
    expect(reply).toContain("<b>相关度最高的报道</b>");
    // Each story listed has a numbered button that opens it at its closest paragraph.
    const listed = [...reply!.matchAll(/^(\d)\. 《(.+)》$/gm)].map((m) => m[2]!);
    expect(listed.length).toBeGreaterThan(0);
    const buttons = keyboardOf(calls.find((c) => c.method === "sendMessage")!.payload).filter((b) => b.callback_data.startsWith("story:"));
    expect(buttons.map((b) => b.text.slice(0, 3))).toEqual(listed.map((_, i) => `${i + 1}. `));
    const opened = sent(await send(callback(MEMBER, buttons[0]!.callback_data))).join("\n");
    expect(opened).toContain(`<b>${listed[0]}</b>`);
    expect(opened).toContain("▶ <b>第");
  });

  it("replies politely to bad questions and to non-text messages", async () => {
    const { send } = botUnderTest(service);
    expect(sent(await send(text(MEMBER, "😀😀")))[0]).toContain("请用文字");
    expect(sent(await send(text(MEMBER, "工".repeat(600))))[0]).toContain("太长");
    expect(sent(await send(sticker(MEMBER)))[0]).toContain("只能回答文字");
    expect(sent(await send(text(MEMBER, "/nosuchcommand")))[0]).toContain("/help");
  });
});

describe("groups", () => {
  it("answers only when mentioned, replied to, or asked with /ask", async () => {
    const { send } = botUnderTest(service);
    expect(await send(text(MEMBER, "杨华清是谁？", { chat: GROUP }))).toEqual([]);
    const mentioned = sent(await send(text(MEMBER, "@union_news_test_bot 杨华清是谁？", { chat: GROUP })));
    expect(mentioned[0]).toContain("杨华清");
    expect(sent(await send(text(MEMBER, "杨华清是谁？", { chat: GROUP, replyToBot: true })))[0]).toContain("杨华清");
    const asked = await send(text(MEMBER, "/ask@union_news_test_bot 杨华清是谁？", { chat: GROUP }));
    const reply = asked.find((c) => c.method === "sendMessage")!;
    expect(String(reply.payload["text"])).toContain("杨华清");
    expect(reply.payload["reply_parameters"]).toMatchObject({ message_id: expect.any(Number) });
    expect(await send(sticker(MEMBER).message ? { message: { ...sticker(MEMBER).message!, chat: { id: GROUP, type: "group", title: "g" } } } : {})).toEqual([]);
  });
});

describe("rate limiting", () => {
  it("tells a member who asks too often to wait, once, and keeps serving others", async () => {
    const { send } = botUnderTest(service, { rateLimitPerMinute: 2 });
    for (let i = 0; i < 2; i++) expect(sent(await send(text(MEMBER, "杨华清是谁？")))[0]).toContain("杨华清");
    expect(sent(await send(text(MEMBER, "杨华清是谁？")))).toEqual(["您提问太频繁了，请稍等一分钟再问。"]);
    expect(sent(await send(text(MEMBER, "杨华清是谁？")))).toEqual([]);
    expect(sent(await send(text(ADMIN, "杨华清是谁？")))[0]).toContain("杨华清");
  });
});

describe("admins", () => {
  async function freshService() {
    const corpusDir = await tempDir("unb-corpus-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
    const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" });
    return { corpusDir, service: await openNewsService(config, lexicalDeps(), { build: "always" }) };
  }

  it("refuses admin commands to members", async () => {
    const { send } = botUnderTest(service);
    expect(sent(await send(text(MEMBER, "/reindex")))).toEqual(["抱歉，这个命令只有管理员可以使用。"]);
    expect(sent(await send(text(MEMBER, "/stats")))).toEqual(["抱歉，这个命令只有管理员可以使用。"]);
  });

  it("/reindex rebuilds and reports; a second one during a build is refused", async () => {
    const { service: own } = await freshService();
    const { send, calls, background } = botUnderTest(own);
    await Promise.all([send(text(ADMIN, "/reindex")), send(text(ADMIN, "/reindex"))]);
    await background.idle();
    const replies = sent(calls);
    expect(replies.filter((r) => r.startsWith("开始重建索引"))).toHaveLength(1);
    expect(replies.filter((r) => r === "索引正在重建中，请等这次重建完成后再试。")).toHaveLength(1);
    expect(replies.filter((r) => r.includes("索引已是最新"))).toEqual([expect.stringContaining("新闻库没有变化，没有重新计算向量")]);
    expect(own.isReindexing()).toBe(false);
  });

  it("/stats shows the index and the counters", async () => {
    const { send } = botUnderTest(service);
    await send(text(MEMBER, "杨华清是谁？"));
    await send(text(MEMBER, "上海的工会有什么新闻？"));
    const [stats] = sent(await send(text(ADMIN, "/stats")));
    expect(stats).toContain("报道：8 篇，段落：25 个");
    expect(stats).toContain("检索模式：词法检索（BM25）");
    expect(stats).toContain("已回答：1，未找到答案：1");
  });

  it("indexes a valid uploaded file and answers from it at once", async () => {
    const { service: own, corpusDir } = await freshService();
    const file = new TextEncoder().encode(`${JSON.stringify({ id: "lib-1", title: "职工书屋开放", text: "本报讯（记者 王芳）朝阳区职工书屋正式开放，藏书三千册。" })}\n`);
    const { sendAndWait, send } = botUnderTest(own, { files: { "documents/f1": file } });
    const replies = sent(await sendAndWait(document(ADMIN, "2024-08.jsonl", "f1")));
    expect(replies[0]).toContain("检查通过：1 篇报道");
    expect(replies.join("\n")).toContain("索引已更新");
    expect(await readdir(corpusDir)).toContain("2024-08.jsonl");
    expect(own.engine().stories).toHaveLength(9);
    expect(sent(await send(text(MEMBER, "职工书屋藏书多少册？")))[0]).toContain("藏书<b>三千册</b>");
  });

  it("rejects a bad uploaded file with the parser's message and changes nothing", async () => {
    const { service: own, corpusDir } = await freshService();
    const bad = new TextEncoder().encode('{"title": "x", "text": "ok。"}\n{"title": broken\n');
    const { send } = botUnderTest(own, { files: { "documents/f2": bad } });
    const before = own.manifest().builtAt;
    const replies = sent(await send(document(ADMIN, "bad.jsonl", "f2")));
    expect(replies).toEqual([expect.stringContaining("bad.jsonl 第 2 行：invalid JSON")]);
    expect(await readdir(corpusDir)).toEqual([seedFile]);
    expect(own.manifest().builtAt).toBe(before);
  });

  it("treats a member's file as a non-text message", async () => {
    const { send } = botUnderTest(service, { files: {} });
    expect(sent(await send(document(MEMBER, "x.txt", "f3")))[0]).toContain("只能回答文字");
  });
});
