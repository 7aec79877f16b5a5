import { describe, expect, it } from "vitest";
import { readWhen } from "../src/answer/when.js";

const NOW = "2026-09-01";

describe("time in a member's question", () => {
  it("reads explicit dates at the precision written and takes the words out", () => {
    expect(readWhen("2024年11月全总发布了什么？", NOW)).toEqual({
      period: { from: "2024-11-01", to: "2024-11-30", precision: "month" },
      label: "2024年11月",
      latest: false,
      rest: "全总发布了什么？",
    });
    expect(readWhen("2025年5月1日前后的报道", NOW).period).toEqual({ from: "2025-05-01", to: "2025-05-01", precision: "day" });
    expect(readWhen("2023年夏天的高温津贴", NOW).period).toMatchObject({ from: "2023-06-01", to: "2023-08-31", precision: "season" });
    // A year still to come is a target the news speaks of, not when it reported: it stays in the question.
    const target = readWhen("到2035年要培养多少名大国工匠？", NOW);
    expect(target.period).toBeUndefined();
    expect(target.rest).toBe("到2035年要培养多少名大国工匠？");
    // A month or day of a relative year is that year's, not the latest such month.
    expect(readWhen("去年4月的执法检查去了哪些省", NOW)).toMatchObject({ period: { from: `${Number(NOW.slice(0, 4)) - 1}-04-01`, precision: "month" }, label: "去年4月" });
    expect(readWhen("前年3月5日的报道", NOW).period).toMatchObject({ from: `${Number(NOW.slice(0, 4)) - 2}-03-05`, precision: "day" });
    expect(readWhen("2023年春，工会做了什么", NOW).period).toMatchObject({ from: "2023-03-01", to: "2023-05-31", precision: "season" });
    // 春节 is a festival in January or February, 夏送清凉 a campaign: the year is the period, not a season.
    expect(readWhen("2023年春节前下拨了多少资金", NOW).period).toMatchObject({ from: "2023-01-01", to: "2023-12-31", precision: "year" });
    expect(readWhen("2024年夏送清凉发了什么", NOW).period).toMatchObject({ precision: "year" });
    expect(readWhen("去年春运期间", NOW).period).toMatchObject({ precision: "year" });
    expect(readWhen("2024年上半年的吞吐量", NOW).period).toMatchObject({ from: "2024-01-01", to: "2024-06-30" });
    // Figures to date within a year: the months they cover, not the whole year.
    expect(readWhen("2024年前5个月外贸总值多少？", NOW)).toMatchObject({ period: { from: "2024-01-01", to: "2024-05-31" }, label: "2024年前5个月", rest: "前5个月 外贸总值多少？" });
    // The fraction of the year stays a word to match: reports print it (`上半年，全国城镇新增就业…`), not the year.
    expect(readWhen("2025年上半年全国城镇新增就业多少人？", NOW)).toMatchObject({ period: { from: "2025-01-01", to: "2025-06-30" }, rest: "上半年 全国城镇新增就业多少人？" });
    expect(readWhen("去年的前三季度外贸总值", NOW).rest).toBe("前三季度 外贸总值");
    expect(readWhen("今年1—6月快递业务量", NOW).period).toMatchObject({ from: `${NOW.slice(0, 4)}-01-01`, to: `${NOW.slice(0, 4)}-06-30` });
    expect(readWhen("2025年一季度的共济人次", NOW).period).toMatchObject({ from: "2025-01-01", to: "2025-03-31" });
    expect(readWhen("2025年第二季度", NOW).period).toMatchObject({ from: "2025-04-01", to: "2025-06-30" });
    expect(readWhen("去年前三季度", NOW).period).toMatchObject({ to: `${Number(NOW.slice(0, 4)) - 1}-09-30` });
    expect(readWhen("2024年前的事", NOW).period).toBeUndefined();
    expect(readWhen("24年的送清凉", NOW).period).toMatchObject({ from: "2024-01-01", to: "2024-12-31" });
    // A two-digit year before a part or fraction of the year, or its festival; never 二十年前 (twenty years ago).
    expect(readWhen("25年一季度全国城镇新增就业多少人？", NOW)).toMatchObject({ period: { from: "2025-01-01", to: "2025-03-31" }, rest: "一季度 全国城镇新增就业多少人？" });
    expect(readWhen("24年过年前全总送温暖安排了多少钱", NOW).period).toMatchObject({ from: "2024-01-01", to: "2024-12-31" });
    expect(readWhen("24年底工会驿站有多少个", NOW).period).toMatchObject({ from: "2024-01-01" });
    expect(readWhen("20年前的老劳模", NOW).period).toBeUndefined();
    // A count of years stays one: after 坚守, 这, 干了…, or before 初心.
    for (const q of ["坚守20年初心不改的劳模是谁？", "这10年全年无休的快递员", "这20年头一回拿到全国奖", "干了15年底层岗位"]) expect(readWhen(q, NOW).period).toBeUndefined();
    // A span of months is not a day: 2024年3-5月 is March to May.
    expect(readWhen("2024年3-5月的快递业务量", NOW).period).toMatchObject({ from: "2024-03-01", to: "2024-05-31" });
    expect(readWhen("24年1-6月的快递业务量", NOW).period).toMatchObject({ from: "2024-01-01", to: "2024-06-30" });
    expect(readWhen("2024-07-10的报道", NOW).period).toMatchObject({ from: "2024-07-10", precision: "day" });
    // 头五个月 is 前五个月, as members say it.
    expect(readWhen("去年头五个月共济了多少人次", NOW)).toMatchObject({ period: { from: "2025-01-01", to: "2025-05-31" }, rest: "头五个月 共济了多少人次" });
    // A part of a month is the month: 中旬 is no word to match.
    expect(readWhen("2024年1月中旬那会儿全国工会驿站有多少个", NOW)).toMatchObject({ period: { from: "2024-01-01", to: "2024-01-31" }, rest: "那会儿全国工会驿站有多少个" });
  });

  it("reads relative words against NOW (an archive's clock), or today", () => {
    expect(readWhen("今年送清凉什么时候开始？", NOW)).toMatchObject({ period: { from: "2026-01-01", to: "2026-12-31" }, label: "今年", rest: "送清凉什么时候开始？" });
    expect(readWhen("去年的送温暖", NOW).period).toMatchObject({ from: "2025-01-01" });
    expect(readWhen("上个月有什么新闻", NOW).period).toMatchObject({ from: "2026-08-01", to: "2026-08-31" });
    expect(readWhen("本周", NOW).period).toMatchObject({ from: "2026-08-31", to: "2026-09-06" });
    // A month and day without a year is the latest one not after today.
    expect(readWhen("12月3日的报道", NOW).period).toMatchObject({ from: "2025-12-03" });
    expect(readWhen("今年的", undefined).period!.from).toBe(`${new Date().getUTCFullYear()}-01-01`);
    // Inside other words they name no year: 如今/年轻人, 至今/年均, 提前/年休假, 当前/年; 比如/去年 still does.
    for (const q of ["如今年轻人找工作，工会有什么帮扶？", "至今年均增长多少？", "提前年休假怎么算？", "当前年轻职工多吗？"]) expect(readWhen(q, NOW).period, q).toBeUndefined();
    expect(readWhen("比如去年的送清凉发了什么？", NOW).label).toBe("去年");
    expect(readWhen("今年度先进个人有谁？", NOW)).toMatchObject({ label: "今年度", rest: "先进个人有谁？" });
    // A span of days is read whole, across a year's end; months to date without a year are the latest such months.
    expect(readWhen("2025年12月3日至2026年3月3日送温暖慰问了多少人？", NOW)).toMatchObject({ period: { from: "2025-12-03", to: "2026-03-03", precision: "day" }, rest: "送温暖慰问了多少人？" });
    expect(readWhen("2025年7月1日到8月31日送清凉发了什么？", NOW).period).toMatchObject({ from: "2025-07-01", to: "2025-08-31" });
    expect(readWhen("1-3月全市城镇新增就业多少人？", NOW).period).toMatchObject({ from: "2026-01-01", to: "2026-03-31" });
    expect(readWhen("10月到12月的送温暖", NOW).period).toMatchObject({ from: "2025-10-01", to: "2025-12-31" });
    // This year's winter, asked in January, is the one under way; asked in December, the one beginning.
    expect(readWhen("今年冬天送温暖慰问了多少人？", "2026-01-10").period).toMatchObject({ from: "2025-12-01", to: "2026-02-28" });
    expect(readWhen("今年冬天送温暖慰问了多少人？", "2026-12-10").period).toMatchObject({ from: "2026-12-01" });
  });

  it("marks requests for the latest and leaves durations and anniversaries alone", () => {
    expect(readWhen("最近一次全总公布的工会驿站有多少个？", NOW)).toEqual({ latest: true, rest: "全总公布的工会驿站有多少个？" });
    // 这次 of 最近这次 is part of asking for the latest, not a word to match; 上回 asks for it too.
    expect(readWhen("最近这次全总的送温暖行动是从哪天开始的？", NOW)).toEqual({ latest: true, rest: "全总的送温暖行动是从哪天开始的？" });
    // A campaign's round too (最近这一轮).
    expect(readWhen("最近这一轮工会送温暖走访慰问，是从哪天开始的？", NOW)).toEqual({ latest: true, rest: "工会送温暖走访慰问，是从哪天开始的？" });
    expect(readWhen("最新的这一届最美职工有谁？", NOW)).toEqual({ latest: true, rest: "最美职工有谁？" });
    expect(readWhen("上回送清凉发了什么？", NOW)).toEqual({ latest: true, rest: "送清凉发了什么？" });
    expect(readWhen("工会送温暖最新一轮是从啥时候到啥时候", NOW)).toEqual({ latest: true, rest: "工会送温暖 是从啥时候到啥时候" });
    expect(readWhen("最美职工最新一批选了几个人", NOW)).toEqual({ latest: true, rest: "最美职工 选了几个人" });
    // Only a measure word after 最近/最新 with 一, 这 or 那 before it: 回 of 回乡 and 批 of 批准 are other words.
    expect(readWhen("最近回乡创业的农民工有什么补贴？", NOW).rest).toBe("回乡创业的农民工有什么补贴？");
    expect(readWhen("最新批准的国家职业标准有哪些？", NOW).rest).toBe("批准的国家职业标准有哪些？");
    expect(readWhen("新中国成立75周年", NOW)).toEqual({ latest: false, rest: "新中国成立75周年" });
    expect(readWhen("10年来工会做了什么", NOW).period).toBeUndefined();
    expect(readWhen("干了5个月", NOW).period).toBeUndefined();
  });
});
