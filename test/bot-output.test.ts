import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeAction } from "../src/bot/callbacks.js";
import { splitMessage } from "../src/bot/html.js";
import { openNewsService, type NewsService } from "../src/service.js";
import { ADMIN, botUnderTest, type Call, callback, MEMBER, sent, sticker, text } from "./support/bot-updates.js";
import { tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";
import { telegramHtmlProblems } from "./support/telegram-html.js";

/**
 * What members see of long stories and long titles, and where the bot's
 * example questions come from, on a corpus that is not the seed page.
 */
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttonsOf = (call: Call | undefined) => (call?.payload["reply_markup"] as Keyboard | undefined)?.inline_keyboard.flat() ?? [];
const messagesOf = (calls: readonly Call[]) => calls.filter((c) => c.method === "sendMessage");

const LONG_PARAGRAPHS = 400;
const LONG_TITLE = `${"首都职工“十四五”时期技能提升行动暨劳动和技能竞赛推进会召开，".repeat(150)}&<标题>`;

async function serviceWith(lines: readonly object[]): Promise<NewsService> {
  const corpusDir = await tempDir("unb-output-");
  await writeFile(path.join(corpusDir, "news.jsonl"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
  return openNewsService(await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" });
}

let service: NewsService;
beforeAll(async () => {
  const paragraphs = Array.from({ length: LONG_PARAGRAPHS }, (_, i) => `第${i + 1}段：职工代表围绕安全生产、劳动保护和技能培训提出建议，工会逐条答复并抓好落实。`);
  service = await serviceWith([
    { id: "long-1", title: "职代会长篇纪实", text: paragraphs.join("\n"), date: "2024-05-01" },
    { id: "title-1", title: LONG_TITLE, text: "本报讯 推进会在京召开。与会代表交流了技能提升的做法。", date: "2024-05-02" },
    { id: "lib-1", title: "朝阳区职工书屋正式开放", text: "本报讯（记者 王芳）朝阳区职工书屋正式开放，藏书三千册，职工可凭会员卡借阅。", date: "2024-06-03" },
    { id: "ball-1", title: "海淀区举办职工篮球联赛", text: "本报讯（记者 李明）海淀区总工会举办职工篮球联赛，二十四支队伍参赛，比赛持续一个月。", date: "2024-06-02" },
  ]);
});

describe("splitting keeps every message valid Telegram HTML", () => {
  it("closes and reopens a tag cut by the split (a title longer than a message)", () => {
    const block = `<b>${"长标题&amp;".repeat(1500)}</b>`;
    const messages = splitMessage(["<i>栏目</i>", block, "正文。"]);
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(telegramHtmlProblems(m)).toEqual([]);
    expect(messages.join("").replace(/<\/?b>/g, "")).toContain("长标题&amp;".repeat(1500));
  });

  it("never cuts an emoji or an entity in half, nested tags included", () => {
    const block = `<b><i>${"职工😀&lt;".repeat(2000)}</i></b>`;
    for (const m of splitMessage([block], 1000)) expect(telegramHtmlProblems(m)).toEqual([]);
  });
});

describe("long stories are paged, one message per press", () => {
  it("原文 on a 400-paragraph story sends one page, opened where the cited paragraph is", async () => {
    const { send } = botUnderTest(service);
    const calls = await send(callback(MEMBER, encodeAction({ kind: "story", storyId: "long-1", paragraph: 300 })));
    const messages = messagesOf(calls);
    expect(messages).toHaveLength(1);
    const page = String(messages[0]!.payload["text"]);
    expect(telegramHtmlProblems(page)).toEqual([]);
    expect(page).toContain("▶ <b>第300段</b> 第300段：");
    expect(page).toMatch(/（第 \d+\/\d+ 页）/);
    expect(buttonsOf(messages[0]).map((b) => b.text)).toEqual(["上一页", "下一页"]);
  });

  it("/story pages through the whole story with 下一页, each page valid and within the limit", async () => {
    const { send } = botUnderTest(service);
    let calls = await send(text(MEMBER, "/story long-1"));
    const pages: string[] = [];
    for (let guard = 0; guard < 100; guard++) {
      const messages = messagesOf(calls);
      expect(messages).toHaveLength(1);
      pages.push(String(messages[0]!.payload["text"]));
      const next = buttonsOf(messages[0]).find((b) => b.text === "下一页");
      if (!next) break;
      calls = await send(callback(MEMBER, next.callback_data));
    }
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const p of pages) expect(telegramHtmlProblems(p)).toEqual([]);
    const all = pages.join("\n");
    for (let i = 1; i <= LONG_PARAGRAPHS; i++) expect(all).toContain(`第${i}段：`);
    expect(pages.at(-1)).toContain(`（第 ${pages.length}/${pages.length} 页）`);
  });
});

describe("over-long titles", () => {
  it("/story, 原文 and /latest stay valid, the title cut with an ellipsis", async () => {
    const { send } = botUnderTest(service);
    const shown = [
      ...sent(await send(text(MEMBER, "/story title-1"))),
      ...sent(await send(callback(MEMBER, encodeAction({ kind: "story", storyId: "title-1", paragraph: 1 })))),
      ...sent(await send(text(MEMBER, "/latest"))),
    ];
    expect(shown).toHaveLength(3);
    for (const m of shown) expect(telegramHtmlProblems(m)).toEqual([]);
    expect(shown[0]).toMatch(/<b>首都职工“十四五”[^<]*…<\/b>/);
    expect(shown[0]).toContain("推进会在京召开");
  });
});

describe("button presses are rate-limited like messages", () => {
  it("a member's presses count against the same budget; admins are never limited", async () => {
    const { send } = botUnderTest(service, { rateLimitPerMinute: 2 });
    const press = encodeAction({ kind: "story", storyId: "lib-1", paragraph: 1 });
    expect(sent(await send(text(MEMBER, "朝阳区职工书屋藏书多少册？")))[0]).toContain("藏书<b>三千册</b>");
    expect(sent(await send(callback(MEMBER, press)))[0]).toContain("朝阳区职工书屋正式开放");
    const limited = await send(callback(MEMBER, press));
    expect(sent(limited)).toEqual([]);
    expect(limited).toEqual([expect.objectContaining({ method: "answerCallbackQuery", payload: expect.objectContaining({ text: expect.stringContaining("太频繁") }) })]);
    expect(await send(callback(MEMBER, press))).toEqual([]);
    for (let i = 0; i < 5; i++) expect(sent(await send(callback(ADMIN, press)))[0]).toContain("朝阳区职工书屋正式开放");
  });
});

describe("example questions come from the index", () => {
  it("/start, /help and advice suggest questions about the served news that the bot answers", async () => {
    const { send } = botUnderTest(service);
    const start = sent(await send(text(MEMBER, "/start")))[0]!;
    const examples = [...start.matchAll(/^• (.+)$/gm)].map((m) => m[1]!);
    expect(examples).toEqual(["朝阳区职工书屋正式开放是怎么回事？", "海淀区举办职工篮球联赛是怎么回事？"]);
    for (const q of examples) {
      const answer = await service.engine().ask(q);
      expect(answer.abstained).toBe(false);
    }
    const help = sent(await send(text(MEMBER, "/help")))[0]!;
    const advice = [...sent(await send(sticker(MEMBER))), ...sent(await send(text(MEMBER, "😀😀"))), ...sent(await send(text(MEMBER, "/ask")))];
    for (const reply of [start, help, ...advice]) {
      expect(reply).not.toMatch(/公交职工|杨华清|防暑降温/);
    }
    expect(help).toContain("朝阳区职工书屋正式开放是怎么回事？");
    for (const reply of advice) expect(reply).toContain("朝阳区职工书屋正式开放是怎么回事？");
  });
});
