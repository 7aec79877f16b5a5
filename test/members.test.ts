import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readQuestionFile } from "../src/eval/questions.js";
import { runEval } from "../src/eval/run.js";
import { exportQuestions, toJsonLines } from "../src/feedback/export.js";
import type { NewsService } from "../src/service.js";
import { createMembersState, type MembersState } from "../src/state/create.js";
import { createIdentity } from "../src/state/identity.js";
import { openJsonStateStore, STATE_FILE, STATE_FORMAT_VERSION } from "../src/state/json-store.js";
import { ADMIN, botUnderTest, type Call, callback, sent, text } from "./support/bot-updates.js";
import { tempDir } from "./support/paths.js";
import { lexicalSeedService } from "./support/service.js";

/**
 * Members' state through the bot: votes, refused questions, /unanswered,
 * /feedback, /forget and a restart, checked in the state file itself.
 */
const SECRET = "test-secret-0123456789abcdef";
/** Distinctive ids, so finding them in a file cannot be a coincidence of timestamps. */
const ALICE = 7364019283;
const BOB = 5820417396;

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttons = (calls: readonly Call[]) => calls.flatMap((c) => (c.payload["reply_markup"] as Keyboard | undefined)?.inline_keyboard.flat() ?? []);
const button = (calls: readonly Call[], label: string) => buttons(calls).find((b) => b.text === label)!.callback_data;
const callbackText = (calls: readonly Call[]) => calls.filter((c) => c.method === "answerCallbackQuery").map((c) => String(c.payload["text"] ?? ""));

async function membersIn(dir: string): Promise<MembersState> {
  return createMembersState({ stateDir: dir, stateSecret: SECRET, stateRetentionDays: 30 });
}
const stateText = (dir: string) => readFile(path.join(dir, STATE_FILE), "utf8");

let service: NewsService;
beforeAll(async () => {
  service = await lexicalSeedService();
});

describe("👍 and 👎 under answers", () => {
  it("are recorded under a keyed hash, changeable, with 哪里不对？ asked once; no raw id reaches the file", async () => {
    const dir = await tempDir("unb-state-");
    const members = await membersIn(dir);
    const { send } = botUnderTest(service, { members });
    const answer = await send(text(ALICE, "公交职工收到了哪些防暑降温慰问品？"));
    expect(buttons(answer).map((b) => b.text)).toEqual(expect.arrayContaining(["👍", "👎"]));

    const down = await send(callback(ALICE, button(answer, "👎")));
    expect(callbackText(down)[0]).toContain("已记下 👎");
    const why = down.find((c) => c.method === "sendMessage")!;
    expect(String(why.payload["text"])).toContain("哪里不对？");
    expect(buttons([why]).map((b) => b.text)).toEqual(["没答到点上", "引用的报道不对", "信息过时"]);
    expect(callbackText(await send(callback(ALICE, button([why], "引用的报道不对"))))[0]).toContain("引用的报道不对");

    let [record] = await members.store.records();
    expect(record).toMatchObject({ kind: "vote", vote: "down", reason: "wrong-source", question: "公交职工收到了哪些防暑降温慰问品？", mode: "lexical" });
    expect(record!.citations?.[0]?.title).toBe("北京公交集团工会全面启动“夏送清凉”活动");
    expect(record!.build).toBe(service.manifest().builtAt);
    expect(record!.user).toBe(createIdentity(SECRET).user(ALICE));

    // Changed to 👍: one vote per member and answer, and a 👍 keeps no question.
    expect(callbackText(await send(callback(ALICE, button(answer, "👍"))))[0]).toContain("已改为 👍");
    [record] = await members.store.records();
    expect((await members.store.records()).length).toBe(1);
    expect(record).toMatchObject({ vote: "up" });
    expect(record!.question).toBeUndefined();
    // Back to 👎: 哪里不对？ is not asked a second time.
    expect(sent(await send(callback(ALICE, button(answer, "👎"))))).toEqual([]);

    const onDisk = await stateText(dir);
    expect(onDisk).toContain("公交职工收到了哪些防暑降温慰问品");
    expect(onDisk).not.toContain(String(ALICE));
    expect(onDisk).not.toContain(`user${ALICE}`);
  });

  it("a vote on an answer the bot no longer has is refused politely", async () => {
    const { send } = botUnderTest(service, { members: await membersIn(await tempDir("unb-state-")) });
    expect(callbackText(await send(callback(ALICE, "fb:nosuchturn:d")))[0]).toContain("已过期");
  });
});

describe("refused questions and the admins' views", () => {
  it("/unanswered groups near-duplicate refusals, most frequent first; /feedback gives the ratio and recent 👎", async () => {
    const members = await membersIn(await tempDir("unb-state-"));
    const { send } = botUnderTest(service, { members });
    for (const q of ["上海市总工会今年举办了哪些劳动竞赛？", "上海市总工会今年举办了哪些劳动竞赛", "上海市总工会今年举办了什么劳动竞赛？"]) await send(text(BOB, q));
    await send(text(ALICE, "股票基金怎么投资？"));
    const refused = (await members.store.records()).filter((r) => r.kind === "refused");
    expect(refused).toHaveLength(4);

    const unanswered = sent(await send(text(ADMIN, "/unanswered")))[0]!;
    expect(unanswered).toContain("共 4 次，2 组");
    expect(unanswered).toMatch(/1\. 上海市总工会今年举办了哪些劳动竞赛？（3 次）/);
    expect(unanswered).toMatch(/2\. 股票基金怎么投资？（1 次）/);
    expect(sent(await send(text(ALICE, "/unanswered")))[0]).toContain("只有管理员");

    const a = await send(text(ALICE, "杨华清是谁？"));
    await send(callback(ALICE, button(a, "👍")));
    await send(callback(BOB, button(a, "👎")));
    const b = await send(text(BOB, "公交职工收到了哪些防暑降温慰问品？"));
    await send(callback(BOB, button(b, "👍")));
    const feedback = sent(await send(text(ADMIN, "/feedback")))[0]!;
    expect(feedback).toContain("👍 2　👎 1（好评率 67%）");
    expect(feedback).toContain("• 杨华清是谁？");
  });

  it("npm run feedback's export is read back by the evaluator's parser, labels marked for an admin", async () => {
    const members = await membersIn(await tempDir("unb-state-"));
    const { send } = botUnderTest(service, { members });
    await send(text(BOB, "上海市总工会今年举办了哪些劳动竞赛？"));
    await send(text(ALICE, "上海市总工会今年举办了哪些劳动竞赛"));
    const a = await send(text(ALICE, "杨华清是谁？"));
    await send(callback(ALICE, button(a, "👎")));
    await send(callback(BOB, button(a, "👎")));
    const file = path.join(await tempDir("unb-export-"), "labels.jsonl");
    await writeFile(file, toJsonLines(exportQuestions(await members.store.records())));
    const questions = await readQuestionFile(file);
    expect(questions).toHaveLength(2);
    const [refused, down] = questions;
    expect(refused).toMatchObject({ question: "上海市总工会今年举办了哪些劳动竞赛？", unanswerable: true, attributes: { type: "refused", needs_label: "true", count: "2" } });
    expect(down).toMatchObject({ question: "杨华清是谁？", story: "北京市工人北戴河疗养院打造劳模工匠事迹展示阵地", attributes: { type: "downvoted", needs_label: "true", count: "2", mode: "lexical" } });
    expect(down!.attributes?.["bot_answer"]).toContain("杨华清");
    // The evaluator runs the file as it stands: each provisional label is what the bot does now.
    const report = await runEval(questions, (q, k) => service.engine().ask(q, { k }), { mode: "lexical", k: 10 });
    expect(report).toMatchObject({ questions: 2, answerable: 1, unanswerable: 1 });
    expect(report.results.find((r) => r.unanswerable)?.abstained).toBe(true);
    expect(report.retrieval.hitAt10).toBe(1);
  });
});

describe("/forget, /privacy and a restart", () => {
  it("/forget erases a member's context, feedback and subscriptions at once, and nothing of another's", async () => {
    const dir = await tempDir("unb-state-");
    const members = await membersIn(dir);
    const { send } = botUnderTest(service, { members });
    const a = await send(text(ALICE, "杨华清是谁？"));
    await send(callback(ALICE, button(a, "👎")));
    await send(text(ALICE, "股票基金怎么投资？"));
    await send(text(ALICE, "/follow 职工书屋"));
    await send(text(BOB, "/follow 劳动竞赛"));
    await send(text(BOB, "公交职工收到了哪些防暑降温慰问品？"));
    const alice = createIdentity(SECRET).user(ALICE);
    expect(await stateText(dir)).toContain(alice);

    const reply = sent(await send(text(ALICE, "/forget")))[0]!;
    expect(reply).toContain("提问记录 2 条、评价与未答问题 2 条、关注的话题 1 个");
    const onDisk = await stateText(dir);
    for (const gone of [alice, "杨华清是谁", "股票基金", "职工书屋"]) expect(onDisk).not.toContain(gone);
    for (const kept of ["公交职工收到了哪些防暑降温慰问品", "劳动竞赛"]) expect(onDisk).toContain(kept);
    expect((await readdir(dir)).filter((f) => f !== STATE_FILE)).toEqual([]);
    expect(sent(await send(text(ALICE, "/forget")))[0]).toContain("没有与您有关的保存内容");
  });

  it("/privacy says in Chinese what is kept, for how long, and how to erase it", async () => {
    const { send } = botUnderTest(service, { members: await membersIn(await tempDir("unb-state-")) });
    const reply = sent(await send(text(ALICE, "/privacy")))[0]!;
    for (const part of ["我们保存什么", "保存 30 天", "/forget", "不保存您的 Telegram 账号编号原文"]) expect(reply).toContain(part);
    expect(reply).not.toContain("重启后全部清空");
  });

  it("context, votes and subscriptions survive a restart: a new bot over the same STATE_DIR", async () => {
    const dir = await tempDir("unb-state-");
    const first = botUnderTest(service, { members: await membersIn(dir), followUpMinutes: 0 });
    const answer = await first.send(text(ALICE, "杨华清是谁？"));
    const answerId = (answer.find((c) => c.method === "sendMessage")!.result as { message_id: number }).message_id;
    await first.send(callback(ALICE, button(answer, "👍")));
    await first.send(text(ALICE, "/follow 送清凉"));
    await first.members.store.close();

    const second = botUnderTest(service, { members: await membersIn(dir), followUpMinutes: 0 });
    expect(sent(await second.send(text(ALICE, "/following")))[0]).toContain("• 送清凉");
    expect(sent(await second.send(text(ADMIN, "/feedback")))[0]).toContain("👍 1　👎 0");
    const followUp = sent(await second.send(text(ALICE, "他是哪个单位的？", { replyTo: answerId }))).join("\n");
    expect(followUp).toContain("理解为：杨华清是哪个单位的？");
    // The old answer's buttons still work after the restart.
    expect(callbackText(await second.send(callback(ALICE, button(answer, "👎"))))[0]).toContain("已改为 👎");
  });
});

describe("the state file", () => {
  it("refuses another format version and a damaged file, naming the file", async () => {
    const dir = await tempDir("unb-state-");
    await writeFile(path.join(dir, STATE_FILE), JSON.stringify({ version: STATE_FORMAT_VERSION + 1, turns: [], records: [], subscriptions: [] }));
    await expect(membersIn(dir)).rejects.toThrow(new RegExp(`${STATE_FILE}.*version ${STATE_FORMAT_VERSION + 1}.*version ${STATE_FORMAT_VERSION}`));
    await writeFile(path.join(dir, STATE_FILE), '{"version": 1, "turns": [');
    await expect(membersIn(dir)).rejects.toThrow(/state\.json: is not valid JSON/);
  });

  it("without STATE_SECRET nothing is written at all, and /privacy says so", async () => {
    const dir = await tempDir("unb-state-");
    const members = await createMembersState({ stateDir: dir, stateSecret: undefined, stateRetentionDays: 30 });
    expect(members.store.durable).toBe(false);
    expect(members.notices.join()).toContain("STATE_SECRET");
    const { send } = botUnderTest(service, { members });
    await send(text(ALICE, "股票基金怎么投资？"));
    await send(text(ALICE, "/follow 送清凉"));
    expect(await readdir(dir)).toEqual([]);
    expect(sent(await send(text(ALICE, "/privacy")))[0]).toContain("重启后全部清空");
  });

  it("a sealed chat id opens only with the secret that sealed it", () => {
    const id = createIdentity(SECRET);
    const sealed = id.seal(ALICE);
    expect(sealed).not.toContain(String(ALICE));
    expect(id.open(sealed)).toBe(ALICE);
    expect(createIdentity("another-secret-0123456789").open(sealed)).toBeUndefined();
    expect(id.user(ALICE)).toBe(createIdentity(SECRET).user(ALICE));
    expect(id.user(ALICE)).not.toBe(createIdentity("another-secret-0123456789").user(ALICE));
  });
});

describe("retention", () => {
  it("records and context older than STATE_RETENTION_DAYS are dropped from the file; subscriptions stay", async () => {
    const dir = await tempDir("unb-state-");
    let now = Date.parse("2026-07-01T00:00:00Z");
    const store = await openJsonStateStore({ dir, retentionDays: 2, now: () => now });
    const at = now;
    await store.putRecord({ kind: "refused", answerId: "old1", user: "u_x", question: "很久以前没答上的问题", at });
    await store.follow({ user: "u_x", sealedChat: "sealed", topic: "送清凉", at });
    now += 1 * 86_400_000;
    await store.putRecord({ kind: "refused", answerId: "new1", user: "u_y", question: "昨天没答上的问题", at: now });
    now += 1.5 * 86_400_000;
    await store.prune();
    expect((await store.records()).map((r) => r.answerId)).toEqual(["new1"]);
    const onDisk = await readFile(path.join(dir, STATE_FILE), "utf8");
    expect(onDisk).not.toContain("很久以前");
    expect(onDisk).toContain("送清凉");
  });
});
