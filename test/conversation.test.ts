import { copyFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { preferStories } from "../src/answer/prefer.js";
import { readFollowUp } from "../src/conversation/followup.js";
import { createSegmenter } from "../src/search/segment.js";
import { type NewsService, openNewsService } from "../src/service.js";
import { botUnderTest, type Call, GROUP, MEMBER, sent, text } from "./support/bot-updates.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, lexicalSeedService, testConfig } from "./support/service.js";

/**
 * Follow-ups, read by what they lack: written dialogues, first through the
 * reader alone, then through the bot (handleUpdate, recorded calls) on the
 * seed page served lexically.
 */
const BEIDAIHE = "北京市工人北戴河疗养院打造劳模工匠事迹展示阵地";
const COOKS = "通州区中式烹调师职业技能竞赛举办";
const BUS = "北京公交集团工会全面启动“夏送清凉”活动";

const sources = (body: string) => body.slice(body.indexOf("<b>来源</b>"));
const answerIn = (calls: readonly Call[]) => sent(calls).join("\n");
const messageIdOf = (calls: readonly Call[]) => (calls.find((c) => c.method === "sendMessage")!.result as { message_id: number }).message_id;

describe("reading a follow-up without a language model", () => {
  const segmenter = createSegmenter();
  const cases: [previous: string, message: string, kind: string | undefined, resolved?: string][] = [
    ["通州区中式烹调师竞赛评出了几名一等奖？", "那二等奖呢？", "what-about", "通州区中式烹调师竞赛评出了几名二等奖？"],
    ["杨华清是谁？", "他是哪个单位的？", "pronoun", "杨华清是哪个单位的？"],
    ["杨华清是谁？", "还有别的吗？", "no-subject", "杨华清还有别的吗？"],
    ["通州区中式烹调师竞赛评出了几名一等奖？", "报名人数有多少？", "no-subject", "通州区中式烹调师竞赛报名人数有多少？"],
    ["通州区中式烹调师竞赛评出了几名一等奖？", "这个活动是谁主办的？", "pronoun"],
    ["通州区中式烹调师竞赛评出了几名一等奖？", "公交职工收到了哪些防暑降温慰问品？", undefined],
    ["杨华清是谁？", "和平街街道总工会开展了什么活动？", undefined],
    ["杨华清是谁？", "龙潭街道心理培训有多少人参加？", undefined],
  ];
  for (const [previous, message, kind, resolved] of cases) {
    it(`${previous} → ${message}: ${kind ?? "a new topic"}`, () => {
      const f = readFollowUp(segmenter, message, previous);
      expect(f?.kind).toBe(kind);
      if (resolved !== undefined) expect(f?.resolved).toBe(resolved);
    });
  }
});

describe("dialogues with the bot", () => {
  let service: NewsService;
  beforeAll(async () => {
    service = await lexicalSeedService();
  });

  it("a pronoun is read as the previous question's subject and answered from its story", async () => {
    // Asked cold, the follow-up has nothing to go on: the context is what answers it.
    const cold = answerIn(await botUnderTest(service).send(text(MEMBER, "他是哪个单位的？")));
    expect(cold).not.toContain("首都医科大学附属北京康复医院");

    const { send } = botUnderTest(service);
    expect(sources(answerIn(await send(text(MEMBER, "杨华清是谁？"))))).toContain(BEIDAIHE);
    const followUp = answerIn(await send(text(MEMBER, "他是哪个单位的？")));
    expect(followUp).toContain("接着上一个问题，理解为：杨华清是哪个单位的？");
    expect(sources(followUp)).toContain(BEIDAIHE);
    expect(followUp).toContain("首都医科大学附属北京康复医院");
  });

  it("a bare 那…呢 asks the previous question about something else", async () => {
    const { send } = botUnderTest(service);
    expect(answerIn(await send(text(MEMBER, "通州区中式烹调师竞赛评出了几名一等奖？")))).toContain(COOKS);
    const followUp = answerIn(await send(text(MEMBER, "那二等奖呢？")));
    expect(followUp).toContain("理解为：通州区中式烹调师竞赛评出了几名二等奖？");
    expect(followUp.replace(/<\/?b>/g, "")).toContain("二等奖3名");
    expect(sources(followUp)).toContain(COOKS);
  });

  it("a new topic starts fresh: nothing of the old question leaks into it", async () => {
    const { send } = botUnderTest(service);
    await send(text(MEMBER, "杨华清是谁？"));
    const next = answerIn(await send(text(MEMBER, "公交职工收到了哪些防暑降温慰问品？")));
    expect(next).not.toContain("理解为");
    expect(sources(next)).toContain(BUS);
    expect(sources(next)).not.toContain(BEIDAIHE);
  });

  it("in a private chat the context expires after FOLLOWUP_MINUTES", async () => {
    const { send } = botUnderTest(service, { followUpMinutes: 0 });
    await send(text(MEMBER, "杨华清是谁？"));
    await new Promise((r) => setTimeout(r, 5));
    expect(answerIn(await send(text(MEMBER, "他是哪个单位的？")))).not.toContain("理解为");
  });

  it("a reply is read against the answer replied to, even after the time window", async () => {
    const { send } = botUnderTest(service, { followUpMinutes: 0 });
    const first = messageIdOf(await send(text(MEMBER, "杨华清是谁？")));
    await send(text(MEMBER, "通州区中式烹调师竞赛评出了几名一等奖？"));
    const followUp = answerIn(await send(text(MEMBER, "他是哪个单位的？", { replyTo: first })));
    expect(followUp).toContain("理解为：杨华清是哪个单位的？");
    expect(sources(followUp)).toContain(BEIDAIHE);
  });

  it("in a group the context is the message replied to, not the group's last answer", async () => {
    const { send } = botUnderTest(service);
    const person = messageIdOf(await send(text(MEMBER, "@union_news_test_bot 杨华清是谁？", { chat: GROUP })));
    const contest = messageIdOf(await send(text(MEMBER + 1, "@union_news_test_bot 通州区中式烹调师竞赛评出了几名一等奖？", { chat: GROUP })));
    const aboutContest = answerIn(await send(text(MEMBER, "那二等奖呢？", { chat: GROUP, replyTo: contest })));
    expect(sources(aboutContest)).toContain(COOKS);
    const aboutPerson = answerIn(await send(text(MEMBER + 1, "他是哪个单位的？", { chat: GROUP, replyTo: person })));
    expect(aboutPerson).toContain("理解为：杨华清是哪个单位的？");
    expect(sources(aboutPerson)).toContain(BEIDAIHE);
    // A group message that replies to nothing and mentions nobody is not for the bot at all.
    expect(sent(await send(text(MEMBER, "他是哪个单位的？", { chat: GROUP })))).toEqual([]);
  });

  it("two questions in one message, each with its own subject, get an answer each", async () => {
    const { send } = botUnderTest(service);
    const replies = sent(await send(text(MEMBER, "公交职工收到了哪些防暑降温慰问品？杨华清是谁？")));
    expect(replies).toHaveLength(2);
    expect(sources(replies[0]!)).toContain(BUS);
    expect(sources(replies[1]!)).toContain(BEIDAIHE);
  });

  it("courtesy is set aside: a greeting or thanks alone is answered in kind, never read as a follow-up", async () => {
    const { send } = botUnderTest(service);
    const greeting = answerIn(await send(text(MEMBER, "你好")));
    expect(greeting).toContain("您好");
    expect(greeting).toContain("例如：");
    expect(greeting).not.toContain("没有在已收录的新闻中找到");
    // Wrapped in courtesy, the question is answered as if asked bare.
    expect(sources(answerIn(await send(text(MEMBER, "您好，请问杨华清是谁？谢谢！"))))).toContain(BEIDAIHE);
    // Right after an answer, 谢谢 is no question about 杨华清.
    const thanks = answerIn(await send(text(MEMBER, "谢谢！")));
    expect(thanks).toContain("不客气");
    expect(thanks).not.toContain("来源");
    // In traditional characters too.
    const traditional = answerIn(await send(text(MEMBER, "感謝！")));
    expect(traditional).toContain("不客气");
    expect(traditional).not.toContain("来源");
  });
});

describe("the story a conversation cited is preferred", () => {
  it("of two competitions that both gave second prizes, the follow-up is answered from the one cited before", async () => {
    const corpusDir = await tempDir("unb-prefer-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
    const other = { id: "cy-1", title: "朝阳区职工厨艺大赛落幕", text: "朝阳区职工厨艺大赛日前落幕，共有八十名厨师参赛。\n经过激烈角逐，大赛共评选出一等奖5名、二等奖8名、三等奖10名。" };
    await writeFile(path.join(corpusDir, "chaoyang.jsonl"), `${JSON.stringify(other)}\n`);
    const service = await openNewsService(await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" });
    const engine = service.engine();
    const cooks = engine.stories.find((s) => s.title === COOKS)!.id;
    const chaoyang = engine.stories.find((s) => s.title === other.title)!.id;
    const question = "评选出了几名二等奖？";
    const fromCooks = await engine.ask(question, { preferStories: [cooks] });
    const fromChaoyang = await engine.ask(question, { preferStories: [chaoyang] });
    expect(fromCooks.citations[0]?.storyId).toBe(cooks);
    expect(fromCooks.answer).toContain("二等奖3名");
    expect(fromChaoyang.citations[0]?.storyId).toBe(chaoyang);
    expect(fromChaoyang.answer).toContain("二等奖8名");
    // A preferred story with no evidence for the question changes nothing.
    const bus = engine.stories.find((s) => s.title === BUS)!.id;
    expect((await engine.ask(question, { preferStories: [bus] })).citations).toEqual((await engine.ask(question)).citations);
  });
});

describe("preferStories on a time choice", () => {
  const p = (storyId: string, date: string | undefined, isEvidence = true) => ({ storyId, date, isEvidence });
  it("moves the preferred story's evidence first and dates the answer by it", () => {
    const choice = { ordered: [p("new", "2025-07"), p("old", "2024-07"), p("x", undefined, false)], evidence: [p("new", "2025-07"), p("old", "2024-07")], chosenDate: "2025-07" };
    const preferred = preferStories(choice, ["old"]);
    expect(preferred.evidence.map((e) => e.storyId)).toEqual(["old", "new"]);
    expect(preferred.ordered.map((e) => e.storyId)).toEqual(["old", "new", "x"]);
    expect(preferred.chosenDate).toBe("2024-07");
  });
  it("leaves the choice alone when the preferred story is not evidence", () => {
    const choice = { ordered: [p("a", undefined), p("b", undefined, false)], evidence: [p("a", undefined)] };
    expect(preferStories(choice, ["b"])).toBe(choice);
    expect(preferStories(choice, [])).toBe(choice);
  });
});
