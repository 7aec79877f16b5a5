import { copyFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openNewsService } from "../src/service.js";
import { createMembersState } from "../src/state/create.js";
import { ADMIN, botUnderTest, type Call, callback, document, sent, text } from "./support/bot-updates.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

/**
 * Topic alerts after an admin's upload, through the bot (handleUpdate) and
 * the service's queue of corpus changes on a real corpus folder; the Bot API
 * is the recording transformer, which also plays a 403 for a member who
 * blocked the bot.
 */
const [SUMMER, SANITATION, BOTH, BOOKS, BLOCKED] = [61001, 61002, 61003, 61004, 61005];
const encode = (lines: readonly object[]) => new TextEncoder().encode(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const alertsTo = (calls: readonly Call[], chats: readonly number[]) => calls.filter((c) => c.method === "sendMessage" && chats.includes(Number(c.payload["chat_id"])));

describe("/follow and alerts after an upload", () => {
  it("members whose topic matches a new story get one message, paced; a member who blocked the bot is unsubscribed", async () => {
    const corpusDir = await tempDir("unb-alerts-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
    const service = await openNewsService(await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" });
    const members = await createMembersState({ stateDir: await tempDir("unb-state-"), stateSecret: "alerts-secret-0123456789", stateRetentionDays: 30 });
    const files = {
      "documents/a": encode([
        { id: "ft-1", title: "丰台区总工会为环卫工人送清凉", date: "2026-07-02", text: "近日，丰台区总工会开展夏送清凉活动，为一线环卫工人送去清凉包和防暑药品。" },
        { id: "hd-1", title: "海淀区职工篮球联赛开幕", date: "2026-07-03", text: "海淀区职工篮球联赛开幕，二十四支队伍参赛。" },
      ]),
      "documents/b": encode([{ id: "cy-1", title: "朝阳区总工会夏季送清凉走进建筑工地", date: "2026-07-09", text: "朝阳区总工会夏季送清凉活动走进建筑工地，慰问一线建筑工人。" }]),
    };
    let blockedNow = false;
    let throttled = false;
    const { send, sendAndWait, calls } = botUnderTest(service, {
      members,
      files,
      refuse: (method, p) => {
        if (method !== "sendMessage" || !blockedNow) return undefined;
        if (p["chat_id"] === BLOCKED) return { error_code: 403, description: "Forbidden: bot was blocked by the user" };
        // One 429 on the way: auto-retry waits the second Telegram asks for and sends again.
        if (p["chat_id"] === SANITATION && !throttled) return (throttled = true), { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } };
        return undefined;
      },
    });
    for (const [who, topic] of [[SUMMER, "送清凉"], [SANITATION, "环卫工人"], [BOTH, "送清凉"], [BOTH, "环卫工人"], [BOOKS, "职工书屋"], [BLOCKED, "送清凉"]] as const) {
      expect(sent(await send(text(who, `/follow ${topic}`)))[0]).toContain(`已关注“${topic}”`);
    }
    expect(sent(await send(text(BOTH, "/following")))[0]).toContain("• 送清凉\n• 环卫工人");
    const subscribers = [SUMMER, SANITATION, BOTH, BOOKS, BLOCKED];
    // The seed page's own 送清凉 stories are not new: nothing is sent before an upload.
    expect(alertsTo(calls, subscribers).filter((c) => String(c.payload["text"]).includes("新报道"))).toEqual([]);

    blockedNow = true;
    const before = calls.length;
    await sendAndWait(document(ADMIN, "fengtai.jsonl", "a"));
    const alerts = alertsTo(calls.slice(before), subscribers);
    expect(alerts.map((c) => c.payload["chat_id"])).toEqual([SUMMER, SANITATION, SANITATION, BOTH, BLOCKED]);
    expect(alerts[2]!.at - alerts[1]!.at).toBeGreaterThanOrEqual(990);
    expect(alerts[2]!.result).toBeDefined();
    const toBoth = String(alerts.find((c) => c.payload["chat_id"] === BOTH)!.payload["text"]);
    expect(toBoth).toContain("您关注的“送清凉”、“环卫工人”有新报道");
    expect(toBoth).toContain("《丰台区总工会为环卫工人送清凉》 2026年7月2日");
    expect(toBoth).not.toContain("篮球");
    // Paced within Telegram's broadcast limit (30 a second overall).
    for (let i = 1; i < alerts.length; i++) expect(alerts[i]!.at - alerts[i - 1]!.at).toBeGreaterThanOrEqual(30);
    // The 原文 button opens the new story.
    const original = (alerts[0]!.payload["reply_markup"] as Keyboard).inline_keyboard.flat()[0]!;
    expect(original.text).toBe("原文[1]");
    expect(sent(await send(callback(SUMMER, original.callback_data))).join("\n")).toContain("丰台区总工会开展夏送清凉活动");
    // The member who blocked the bot is dropped; the others keep their topics.
    const subs = await members.store.subscriptions();
    expect(subs.map((s) => s.topic).sort()).toEqual(["环卫工人", "环卫工人", "职工书屋", "送清凉", "送清凉"].sort());
    expect(subs.some((s) => members.identity.open(s.sealedChat) === BLOCKED)).toBe(false);

    // A second upload right after: each member still gets at most one message a second.
    const second = calls.length;
    await sendAndWait(document(ADMIN, "chaoyang.jsonl", "b"));
    const more = alertsTo(calls.slice(second), subscribers);
    expect(more.map((c) => c.payload["chat_id"])).toEqual([SUMMER, BOTH]);
    const firstToSummer = alerts.find((c) => c.payload["chat_id"] === SUMMER)!;
    expect(more[0]!.at - firstToSummer.at).toBeGreaterThanOrEqual(990);
  });

  it("/follow asks for a topic, refuses groups and limits length; /unfollow removes one or all", async () => {
    const service = await openNewsService(await testConfig({ RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" });
    const { send } = botUnderTest(service);
    expect(sent(await send(text(SUMMER, "/follow")))[0]).toContain("/follow 送清凉");
    expect(sent(await send(text(SUMMER, "/follow 送清凉", { chat: -777 })))[0]).toContain("私聊");
    expect(sent(await send(text(SUMMER, `/follow ${"工会".repeat(20)}`)))[0]).toContain("话题太长了");
    await send(text(SUMMER, "/follow 送清凉"));
    expect(sent(await send(text(SUMMER, "/follow 送清凉")))[0]).toContain("已经关注");
    await send(text(SUMMER, "/follow 劳模"));
    expect(sent(await send(text(SUMMER, "/unfollow 劳模")))[0]).toContain("已取消关注“劳模”");
    expect(sent(await send(text(SUMMER, "/following")))[0]).not.toContain("劳模");
    expect(sent(await send(text(SUMMER, "/unfollow 全部")))[0]).toContain("已取消全部 1 个关注");
    expect(sent(await send(text(SUMMER, "/following")))[0]).toContain("还没有关注");
  });
});
