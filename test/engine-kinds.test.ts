import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { lexicalServiceOver } from "./support/service.js";

/** Reports that share a question's words but not the kind of answer it asks: a share, a number of days, a year. */
const STORIES = [
  {
    id: "strike",
    title: "英国运输工会发起新一轮罢工",
    date: "2025-06-14",
    text: "英国全国铁路、海路与公路运输工会13日发起新一轮罢工，要求提高薪资待遇。受此影响，英国14家铁路公司仅能提供有限的服务。\n罢工导致多条铁路线路停运，22日起逐步恢复。",
  },
  {
    id: "survey",
    title: "全国职工队伍状况调查结果发布",
    date: "2025-08-01",
    text: "全国总工会发布全国职工队伍状况调查结果。目前全国职工总数4.02亿人左右。\n调查显示，职工中具有大专以上学历的占比超4成。",
  },
  {
    id: "painter",
    title: "油漆工班组长陈雪萍：把代表建议写在工地上",
    date: "2025-03-05",
    text: "陈雪萍是山东济南一家国有建筑企业的油漆工班组长。\n她常年在工地一线调研农民工的工作和生活。\n2023年，她所在的企业承建了多个保障房项目。",
  },
  {
    id: "guide",
    title: "四部门联合印发平台算法协商指引",
    date: "2025-02-20",
    text: "近日，全国总工会等四部门联合印发平台算法协商指引，明确协商的核心内容。",
  },
  {
    id: "aid",
    title: "全国总工会下拨帮扶资金",
    date: "2025-07-10",
    text: "今年上半年，全国总工会持续开展困难职工帮扶工作。共下拨帮扶资金12亿元，惠及困难职工30万户。",
  },
  {
    id: "leave",
    title: "带薪休假新规发布",
    date: "2025-11-20",
    text: "今年以来，各地推进带薪休假落实。新规明确，带薪休假新规自元旦起施行。",
  },
  {
    id: "injury",
    title: "工伤保险新规发布",
    date: "2025-02-10",
    text: "今年以来，各地完善工伤保险制度。工伤保险新规自3月1日起施行。",
  },
  {
    id: "welder",
    title: "焊工班长王建国：二十年练就一手绝活",
    date: "2025-05-01",
    text: "王建国是一家造船厂的焊工班长。\n2018年，王建国当选全国人大代表，此后每年都带着工友的建议进京。",
  },
  {
    id: "relief",
    title: "区总工会走访慰问环卫工人",
    date: "2025-07-20",
    text: "入伏以来，区总工会走访慰问环卫工人500人，为环卫工人发放矿泉水300箱。",
  },
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2026-09-01" })).engine();
});

describe("a question is answered only by the kind of answer it asks", () => {
  it("a share by a percentage or a fraction, not by a count or a demand without one", async () => {
    expect((await engine.ask("英国运输工会罢工要求工资涨百分之几？")).abstained).toBe(true);
    expect((await engine.ask("职工队伍状况调查里，职工总数中大专以上学历的比例是多少？")).answer).toContain("4成");
  });

  it("a quantity by a number: `要求提高薪资待遇` says no rise, `4.02亿人` is how many workers there are", async () => {
    const rise = await engine.ask("英国运输工会罢工要求工资涨多少？");
    expect(rise.abstained, rise.answer).toBe(true);
    const total = await engine.ask("全国职工总数是多少？");
    expect(total.abstained, total.answer).toBe(false);
    expect(total.emphasis).toContain("4.02亿人");
  });

  it("a number of days by a span of days, not by the days of the month the report names", async () => {
    const days = await engine.ask("英国运输工会罢工一共持续了几天？");
    expect(days.abstained, `${days.answer} ${JSON.stringify(days.emphasis)}`).toBe(true);
  });

  it("an amount for a span by the sentence giving it, the span stated in the sentence before", async () => {
    const a = await engine.ask("2025年上半年全国总工会下拨了多少帮扶资金？");
    expect(a.abstained).toBe(false);
    expect(a.emphasis).toContain("12亿元");
  });

  it("which day by a day: `近日印发` does not say from which day a guide applies; `13日` does say when a strike began", async () => {
    const strike = await engine.ask("英国运输工会是哪天发起新一轮罢工的？");
    expect(strike.emphasis).toContain("13日");
    expect((await engine.ask("平台算法协商指引从哪天开始施行？")).abstained).toBe(true);
    expect((await engine.ask("平台算法协商指引明确了什么？")).abstained).toBe(false);
  });

  it("money by an amount (多少元 is money, not a head count), things given by their number (发放了多少箱 is no money)", async () => {
    const each = await engine.ask("区总工会慰问环卫工人每人发多少元？");
    expect(each.abstained, each.answer).toBe(true);
    const water = await engine.ask("区总工会给环卫工人发放了多少箱矿泉水？");
    expect(water.abstained, water.answer).toBe(false);
    expect(water.emphasis).toContain("300箱");
  });

  it("which day by the phrase giving it, bolded: 元旦, or 3月1日 rather than 今年", async () => {
    const leave = await engine.ask("带薪休假新规从哪天开始施行？");
    expect(leave.abstained).toBe(false);
    expect(leave.emphasis).toContain("元旦");
    expect((await engine.ask("工伤保险新规从哪天开始施行？")).emphasis).toEqual(["3月1日"]);
  });

  it("which year by a year: a portrait naming none does not say when its subject was elected, though the story names another year", async () => {
    expect((await engine.ask("油漆工班组长陈雪萍是哪一年当选全国人大代表的？")).abstained).toBe(true);
    const a = await engine.ask("焊工班长王建国是哪一年当选全国人大代表的？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("2018年");
  });
});

describe("coverage must pass its bar, not just reach it", () => {
  it("refuses a question of two halves when each passage holds only one (劳模 in one story, 保险 in another)", async () => {
    const halves = (
      await lexicalServiceOver(
        [
          { id: "rest", title: "市总工会组织劳模疗养", date: "2025-07-10", text: "市总工会组织一线劳模到北戴河疗养。" },
          { id: "mutual", title: "工会开展职工互助保障活动", date: "2025-05-15", text: "区总工会开展职工互助保障活动，为会员办理大病保险。" },
          { id: "survey", title: "全国职工队伍状况调查结果发布", date: "2025-08-01", text: "全国总工会发布全国职工队伍状况调查结果。" },
        ],
        { NOW: "2025-09-01" },
      )
    ).engine();
    const a = await halves.ask("劳模保险怎么报销？");
    expect(a.passages[0]!.coverage).toBe(0.5);
    expect(a.abstained, a.answer).toBe(true);
    expect((await halves.ask("劳模疗养保险？")).abstained).toBe(false);
  });
});

describe("quotes from one long paragraph", () => {
  it("are cited once, in reading order, though the paragraph is indexed in pieces", async () => {
    const filler = "市总工会坚持以职工为中心，深入开展各项服务活动，不断提升服务质量和水平。".repeat(16);
    const text = `今年，市总工会为环卫工人发放了毛巾和绿豆。${filler}此外，市总工会还为环卫工人发放了藿香正气水。`;
    const service = await lexicalServiceOver(
      [
        { id: "a", title: "市总工会慰问环卫工人", date: "2025-07-10", text },
        { id: "x", title: "市总工会召开全委会议", date: "2025-06-20", text: "市总工会召开全委会议，部署下半年工作。" },
      ],
      { NOW: "2025-09-01" },
    );
    const a = await service.engine().ask("市总工会为环卫工人发放了什么？");
    expect(a.abstained, a.answer).toBe(false);
    expect(a.citations).toHaveLength(1);
    const lines = a.answer.split("\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toContain("毛巾");
    expect(lines.every((l) => l.endsWith("[1]"))).toBe(true);
  });
});
