import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { NOT_COVERED } from "../src/answer/engine.js";
import { applyWhen, yearsNamed } from "../src/answer/timeline.js";
import { readWhen } from "../src/answer/when.js";
import { lexicalServiceOver } from "./support/service.js";

/**
 * A small dated corpus written for these tests: one campaign reported three
 * summers running, plus unrelated stories. The clock is NOW=2025-09-01.
 */
const STORIES = [
  { id: "q23", title: "全国总工会部署2023年送清凉工作", date: "2023-06-05", text: "全国总工会日前印发通知，部署2023年工会送清凉工作。\n今年重点关注户外劳动者，计划投入资金5.1亿元。" },
  { id: "q24", title: "全国总工会部署2024年送清凉工作", date: "2024-06-06", text: "全国总工会日前印发通知，部署2024年工会送清凉工作。\n今年重点关注新就业形态劳动者，计划投入资金6.2亿元。" },
  { id: "q25", title: "全国总工会部署2025年送清凉工作", date: "2025-06-04", text: "全国总工会日前印发通知，部署2025年工会送清凉工作。\n今年重点关注货车司机，计划投入资金7.3亿元。" },
  { id: "yz", title: "全国已建成工会驿站18万个", date: "2024-01-15", text: "记者从全国总工会了解到，截至2023年底，全国已建成工会驿站18万个，服务户外劳动者超过1亿人次。" },
  { id: "yz25", title: "全国工会驿站今夏开放避暑服务", date: "2025-07-01", text: "全国已建成的工会驿站今夏全部开放，为户外劳动者提供避暑服务。" },
  { id: "port", title: "宁波港上半年吞吐量增长", date: "2024-07-10", text: "宁波港今年1—6月完成货物吞吐量7亿吨，同比增长4%；完成集装箱吞吐量1900万标准箱，同比增长8%。" },
  { id: "uk", title: "英国运输工会举行罢工", date: "2023-03-10", text: "英国铁路、海路与公路运输工会10日举行罢工，要求提高薪资待遇。" },
  { id: "zm", title: "2024年“最美职工”先进事迹发布", date: "2025-02-28", text: "中央宣传部、全国总工会发布2024年“最美职工”先进事迹，张明华、李秀英等10位同志入选。" },
  { id: "jy", title: "人社部介绍就业形势", date: "2025-01-20", text: "2024年，全国城镇新增就业1256万人。重点群体就业基本稳定，高于上年。\n今年1月，各地招聘活动火热。" },
  { id: "qx23", title: "市总工会开展根治欠薪冬季攻坚行动", date: "2023-11-20", text: "市总工会近日开展根治欠薪冬季攻坚行动，攻坚行动将持续开展，要求各级工会做好农民工法律援助。" },
  { id: "qx25", title: "市总工会部署根治欠薪冬季攻坚行动", date: "2024-11-25", text: "市总工会部署根治欠薪冬季攻坚行动。行动持续至2025年2月底，重点化解拖欠农民工工资问题。" },
  { id: "swn", title: "市总工会启动2025年元旦春节送温暖活动", date: "2024-12-05", text: "市总工会日前启动2025年元旦春节期间送温暖活动。\n自2024年12月1日至2025年2月28日，各级工会将走访慰问困难职工。" },
  { id: "xy", title: "劳模工匠进校园活动启动", date: "2025-03-01", text: "由市总工会主办的劳模工匠进校园活动3月1日启动，为学生讲授焊接技术。" },
];

async function datedEngine(env: Record<string, string> = {}): Promise<Engine> {
  return (await lexicalServiceOver(STORIES, { NOW: "2025-09-01", ...env })).engine();
}

/** The dated corpus with a few more stories, for one test. */
async function engineWith(extra: readonly { id: string; title: string; date: string; text: string }[]): Promise<Engine> {
  return (await lexicalServiceOver([...extra, ...STORIES], { NOW: "2025-09-01" })).engine();
}

let engine: Engine;
beforeAll(async () => {
  engine = await datedEngine();
});

describe("questions about time, on a campaign reported every summer", () => {
  it("answers the latest from the newest report and says its date, the figure in bold", async () => {
    for (const q of ["最近一次送清凉计划投入多少资金？", "送清凉计划投入多少资金？"]) {
      const a = await engine.ask(q);
      expect(a.abstained, q).toBe(false);
      expect(a.answer, q).toContain("7.3亿元");
      expect(a.citations[0]!.storyId, q).toBe("q25");
      expect(a.asOf, q).toBe("2025-06-04");
      expect(a.emphasis, q).toContain("7.3亿元");
    }
  });

  it("quotes only the newest report, not other years' figures beside its date", async () => {
    const a = await engine.ask("最近一次送清凉计划投入多少资金？");
    expect(a.citations.map((c) => c.storyId)).toEqual(["q25"]);
    expect(a.answer).not.toMatch(/5\.1亿元|6\.2亿元/);
  });

  it("takes the newest report that holds what is asked: a later story without the count does not answer 多少", async () => {
    const a = await engine.ask("最近全国已建成多少个工会驿站？");
    expect(a.abstained).toBe(false);
    expect(a.citations[0]!.storyId).toBe("yz");
    expect(a.answer).toContain("18万个");
  });

  it("quotes nothing of an older report that cannot answer, under the newest one's date", async () => {
    const a = await engine.ask("最近一次根治欠薪冬季攻坚行动持续到什么时候？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("2025年2月底");
    expect(a.answer).not.toContain("法律援助");
    expect(a.citations.map((c) => c.storyId)).toEqual(["qx25"]);
    expect(a.asOf).toBe("2024-11-25");
  });

  it("quotes whole sentences: the clause after ；keeps the subject the first one named", async () => {
    const a = await engine.ask("宁波港集装箱吞吐量是多少？");
    expect(a.answer.split("\n").some((line) => line.includes("宁波港") && line.includes("1900万标准箱"))).toBe(true);
  });

  it("answers a named or relative year from that year's report", async () => {
    const y2023 = await engine.ask("2023年送清凉重点关注哪些人？");
    expect(y2023.answer).toContain("户外劳动者");
    expect(y2023.citations.map((c) => c.storyId)).toEqual(["q23"]);
    expect(y2023.passages[0]!.storyId).toBe("q23");
    const lastYear = await engine.ask("去年送清凉重点关注哪些人？");
    expect(lastYear.answer).toContain("新就业形态劳动者");
    expect(lastYear.citations.map((c) => c.storyId)).toEqual(["q24"]);
  });

  it("refuses a year the news does not have, naming the nearest report instead of quoting it", async () => {
    const a = await engine.ask("2021年送清凉投入了多少资金？");
    expect(a.abstained).toBe(true);
    expect(a.citations).toEqual([]);
    expect(a.answer).toContain(NOT_COVERED);
    expect(a.answer).toContain("没有2021年的相关报道");
    // The nearest in time: 2023's report, not the best-worded or the newest.
    expect(a.answer).toContain("最接近的是2023年6月5日的《全国总工会部署2023年送清凉工作》");
  });

  describe("a medal counted every spring, and a medallist's profile", () => {
    const MEDALS = [
      { id: "m23", title: "1035人被授予全国五一劳动奖章", date: "2023-04-27", text: "全国总工会召开大会，1035人被授予全国五一劳动奖章，其中产业工人占比超四成。" },
      { id: "m25", title: "全国总工会表彰全国五一劳动奖", date: "2025-04-28", text: "今年共表彰全国五一劳动奖2000个，其中全国五一劳动奖状300个、全国五一劳动奖章962名、全国工人先锋号738个。" },
      { id: "zm24", title: "焊工张明：把焊缝当作艺术品", date: "2024-05-03", text: "张明是全国五一劳动奖章获得者，二十年来带出的徒弟有30人。" },
      // Members count with 一共, which the news seldom writes: it weighs, and neither report holds it.
      { id: "ww", title: "市总工会走访困难职工", date: "2024-01-10", text: "市总工会节前一共走访慰问了300户困难职工家庭。" },
    ];

    it("answers this year's count from this year's report, though another year's answers by more of the question's words", async () => {
      const medals = await engineWith(MEDALS);
      const a = await medals.ask("今年的全国五一劳动奖章一共颁给了多少人？");
      expect(a.abstained, a.answer).toBe(false);
      expect(a.citations.map((c) => c.storyId)).toEqual(["m25"]);
      expect(a.emphasis).toContain("962名");
    });

    it("refuses a year whose only mention is someone's profile, naming the year that has the report", async () => {
      const medals = await engineWith(MEDALS);
      const a = await medals.ask("2024年全国五一劳动奖章授予了多少人？");
      expect(a.abstained, a.answer).toBe(true);
      expect(a.answer).toContain("没有2024年的相关报道");
      expect(a.answer).toContain("《1035人被授予全国五一劳动奖章》");
    });
  });

  it("answers what a story tells of a year before the news begins (2003's record), and still refuses a campaign of one", async () => {
    const told = await engineWith(
        [{ id: "xzc", title: "人民工匠许振超：产业工人的脊梁", date: "2024-09-28", text: "2003年4月27日，许振超团队创造了每小时339箱集装箱装卸的世界纪录，“振超效率”就此诞生。" }],
    );
    const a = await told.ask("许振超团队2003年创下的世界纪录是每小时装卸多少箱？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("339箱");
    const campaign = await told.ask("2021年送清凉投入了多少资金？");
    expect(campaign.abstained).toBe(true);
    expect(campaign.answer).toContain("没有2021年的相关报道");
  });

  it("quotes the sentence naming what kind of year it is for 什么年份, not the story's lead", async () => {
    const speech = await engineWith(
        [
          {
            id: "mayday",
            title: "五一国际劳动节到来之际 总书记向劳动群众致以节日祝贺",
            date: "2025-04-30",
            text: "在五一国际劳动节到来之际，总书记代表党中央向全国广大劳动群众致以节日祝贺和诚挚慰问。\n总书记指出，今年是中华全国总工会成立100周年，希望广大劳动群众再创佳绩。",
          },
        ],
    );
    const a = await speech.ask("今年五一总书记慰问劳动群众的时候，说今年是个什么特别的年份？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("成立100周年");
  });

  it("takes the year a headline names over the day it was published (2024's awards, announced in 2025)", async () => {
    const asked = await engine.ask("2024年的最美职工有哪些人？");
    expect(asked.abstained).toBe(false);
    expect(asked.citations.map((c) => c.storyId)).toEqual(["zm"]);
    const other = await engine.ask("2025年的最美职工有哪些人？");
    expect(other.abstained).toBe(true);
    expect(other.answer).toContain("没有2025年的相关报道");
  });

  it("does not quote sentences about another year than the one asked, nor those that follow them", async () => {
    const asked = await engine.ask("2024年全国城镇新增就业多少人？");
    expect(asked.answer).toContain("1256万人");
    const other = await engine.ask("2025年全国城镇新增就业多少人？");
    expect(other.abstained).toBe(true);
    expect(other.answer).not.toMatch(/1256万人|高于上年/);
    expect(other.answer).toContain("没有2025年的相关报道");
  });

  it("puts the period's reports covering the question best first, published inside the period or just after it", () => {
    const report = (storyId: string, date: string, coverage: number) => ({ storyId, title: storyId, date, coverage, isEvidence: true, holdsAsked: () => true, held: () => new Set<string>() });
    const when = readWhen("2025年上半年全国城镇新增就业多少人？", "2026-09-01");
    // Retrieval ranked the first quarter's report (inside the half year) above July's half-year report.
    const quarter = report("q1", "2025-04-25", 0.6);
    const half = report("h1", "2025-07-22", 0.9);
    const choice = applyWhen([quarter, half], when, { sameTopicMargin: 0.15, latestMargin: 0.3 });
    expect(choice.evidence.map((p) => p.storyId)).toEqual(["h1", "q1"]);
    // Within the margin of the best, the report of the period itself keeps its place.
    const close = applyWhen([report("q1", "2025-04-25", 0.8), half], when, { sameTopicMargin: 0.15, latestMargin: 0.3 });
    expect(close.evidence.map((p) => p.storyId)).toEqual(["q1", "h1"]);
  });

  it("dates the answer by the report it quotes, not by one the time step put first but did not quote", async () => {
    const e = (await lexicalServiceOver(
      [
        { id: "a25", title: "市总工会给环卫工人发放慰问品", date: "2025-03-01", text: "近日，活动在全市启动。" },
        { id: "b25", title: "送清凉活动", date: "2025-08-15", text: "本月，市总工会给全市环卫工人发放了毛巾、藿香正气水和绿豆等慰问品，受到欢迎。" },
        { id: "c24", title: "市总工会给环卫工人发放慰问品", date: "2024-07-01", text: "市总工会给环卫工人发放了西瓜等慰问品。" },
      ],
      { NOW: "2025-09-01" },
    )).engine();
    const a = await e.ask("2025年市总工会给环卫工人发放了哪些慰问品？");
    expect(a.abstained, a.answer).toBe(false);
    expect(a.citations.map((c) => c.date)).toEqual(["2025-08-15"]);
    expect(a.asOf).toBe("2025-08-15");
    expect(a.answer).toContain("藿香正气水");
  });

  it("reads a time alone (2024年, 今年夏天) as no topic, naming the period, not as words to quote", async () => {
    for (const q of ["2024年", "2024年夏天", "今年"]) {
      const error = await engine.ask(q).then(() => undefined, (e: unknown) => e as { kind?: string; period?: { label: string } });
      expect(error?.kind, q).toBe("no-topic");
      expect(error?.period?.label, q).toBe(q);
    }
  });

  it("reads the years a text names, not a count of years (2000年来, 1500年历史)", () => {
    expect(yearsNamed("2025年度困难职工帮扶，2000年来首次，有1500年历史的古镇，2024年")).toEqual([2025, 2024]);
  });

  it("answers from a newer report of the topic only if it holds every word the first found holds, or covers more", () => {
    const report = (storyId: string, date: string, coverage: number, words: string[]) => ({ storyId, title: storyId, date, coverage, isEvidence: true, holdsAsked: () => true, held: () => new Set(words) });
    const opts = { sameTopicMargin: 0.15, latestMargin: 0.3 };
    const when = readWhen("家政服务职业技能专项培训计划一年培训多少人？", "2026-09-01");
    const plan = report("plan", "2025-05-10", 0.86, ["家政", "服务", "职业", "专项", "培训", "技能", "计划"]);
    // A later report of all training shares most of the words, not 计划: another topic, which does not supersede the
    // plan (nor is it quoted beside it, as no report of another date within the margin is).
    const halfYear = report("half", "2025-07-26", 0.72, ["家政", "服务", "职业", "专项", "培训", "技能"]);
    expect(applyWhen([plan, halfYear], when, opts).evidence.map((p) => p.storyId)).toEqual(["plan"]);
    // A later report holding every word the plan's holds is its newer report.
    const next = report("next", "2026-05-10", 0.8, ["家政", "服务", "职业", "专项", "培训", "技能", "计划"]);
    const choice = applyWhen([plan, next], when, opts);
    expect(choice.evidence.map((p) => p.storyId)).toEqual(["next"]);
    expect(choice.chosenDate).toBe("2026-05-10");
    // One covering the question better is too, whatever it lacks.
    expect(applyWhen([plan, report("better", "2025-12-01", 0.9, ["家政", "培训", "计划", "一年"])], when, opts).evidence.map((p) => p.storyId)).toEqual(["better"]);
    // Asked for the latest, the newest within the wider margin answers, worded alike or not.
    const latest = readWhen("最新的家政服务职业技能专项培训一年培训多少人？", "2026-09-01");
    expect(applyWhen([plan, halfYear], latest, opts).evidence.map((p) => p.storyId)).toEqual(["half"]);
  });

  it("answers a half year's figure from its report, published after it, not the first quarter's, published inside it", async () => {
    const jobs = await engineWith(
        [
          { id: "jy-q1", title: "一季度全国城镇新增就业308万人", date: "2023-04-25", text: "记者从人力资源社会保障部了解到，今年1至3月，全国城镇新增就业308万人，就业形势保持总体稳定。" },
          { id: "jy-h1", title: "上半年就业形势总体稳定", date: "2023-07-22", text: "记者从人力资源社会保障部今天举行的发布会上了解到，上半年，我国就业形势总体稳定。\n上半年，全国城镇新增就业695万人，完成全年目标任务的58%。" },
        ],
    );
    const a = await jobs.ask("2023年上半年全国城镇新增就业多少人？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("695万人");
    expect(a.answer).not.toContain("308万人");
    expect(a.citations[0]?.storyId).toBe("jy-h1");
  });

  it("answers a year's figure from a report of the next spring, and the first three quarters' from one of December", async () => {
    const reports = await engineWith(
        [
          { id: "jy-22", title: "人社部：今年就业开局良好", date: "2023-03-02", text: "2022年，全国城镇新增就业1206万人，完成全年目标任务。\n今年1至2月，各地招聘活动火热。" },
          { id: "px", title: "技能培训提升就业带动力", date: "2024-12-08", text: "今年，国家健全终身职业技能培训制度，前三季度向219万劳动者发放36亿元技能提升补贴。" },
        ],
    );
    const year = await reports.ask("2022年全国城镇新增就业多少人？");
    expect(year.abstained).toBe(false);
    expect(year.answer).toContain("1206万人");
    const quarters = await reports.ask("2024年前三季度国家一共发了多少技能提升补贴？");
    expect(quarters.abstained).toBe(false);
    expect(quarters.answer).toContain("36亿元");
  });

  it("reads the end of a month as when figures stand, answered by a report published months later", async () => {
    // 截至6月底 figures come out at a quarterly press conference, well after the month.
    const when = readWhen("2023年6月底那会儿，全国工伤保险参保的有多少人？", "2025-09-01");
    expect(when.period).toMatchObject({ from: "2023-01-01", to: "2023-09-30" });
    expect(when.rest).toContain("6月底");
    const insured = await engineWith(
        [{ id: "sb", title: "稳步推进社保制度改革", date: "2023-09-11", text: "越来越多的人被覆盖到社会保障网当中，截至6月底，全国基本养老、失业、工伤保险参保人数分别为10.57亿人、2.4亿人、2.94亿人。" }],
    );
    const a = await insured.ask("2023年6月底那会儿，全国工伤保险参保的有多少人？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("2.94亿人");
    // A year's end is reported in the next year's first quarter; a month end without a year is the latest one.
    expect(readWhen("截至去年12月末，工会驿站有多少个？", "2025-09-01").period).toMatchObject({ from: "2024-01-01", to: "2025-03-31" });
    expect(readWhen("截至6月底，全国工伤保险参保人数有多少？", "2025-09-01")).toMatchObject({ period: { from: "2025-01-01", to: "2025-09-30" }, rest: expect.stringContaining("6月底") });
  });

  it("refuses a figure for another span of months (1—7月 for 1到8月, a five-year total for 上半年), and answers the span given", async () => {
    const pooled = await engineWith(
        [
          { id: "gj-7", title: "1至7月全国职工医保个人账户共济2.31亿人次", date: "2025-08-31", text: "记者今天从国家医保局获悉，今年1—7月，全国职工医保个人账户共济人次2.31亿，金额304.57亿元。" },
          { id: "gj-5y", title: "职工医保个人账户共济范围扩大", date: "2025-03-10", text: "国家医保局指导各省开展职工医保个人账户省内共济，5年来累计共济超7.8亿人次，金额超1000亿元。" },
        ],
    );
    const given = await pooled.ask("2025年1到7月，职工医保个人账户共济了多少人次？");
    expect(given.abstained).toBe(false);
    expect(given.answer).toContain("2.31亿");
    for (const q of ["2025年1到8月，职工医保个人账户共济了多少人次？", "今年上半年职工医保个人账户共济了多少人次？"]) {
      const a = await pooled.ask(q);
      expect(a.abstained, q).toBe(true);
      expect(a.answer, q).not.toMatch(/2\.31亿|7\.8亿/);
    }
  });

  it("quotes a sentence whose span of dates reaches the year asked (from December into this year)", async () => {
    const a = await engine.ask("今年的送温暖活动从哪天开始，到哪天结束？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("自2024年12月1日至2025年2月28日");
  });

  it("refuses a place the news does not have, saying so, even when most words match", async () => {
    const a = await engine.ask("法国运输工会为什么罢工？");
    expect(a.abstained).toBe(true);
    expect(a.answer).toContain("“法国”");
    const uk = await engine.ask("英国运输工会为什么罢工？");
    expect(uk.abstained).toBe(false);
    expect(uk.answer).toContain("提高薪资待遇");
  });

  it("reads abbreviations through the glossary (全总 → 全国总工会), and not without it", async () => {
    const a = await engine.ask("全总建了多少个工会驿站？");
    expect(a.abstained).toBe(false);
    expect(a.citations[0]!.storyId).toBe("yz");
    expect(a.answer).toContain("18万个");
    const plain = await (await datedEngine({ GLOSSARY_FILE: "none" })).ask("全总建了多少个工会驿站？");
    expect(plain.answer).not.toEqual(a.answer);
  });
});
