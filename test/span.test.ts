import { describe, expect, it } from "vitest";
import { sentencesFor, spansIn } from "../src/answer/span.js";

const months = (first: number, last: number) => ({ first, last });

describe("the span of months a figure is for", () => {
  it("reads halves, spans to date, quarters, the whole year and a month's or quarter's end", () => {
    expect(spansIn("今年上半年，全国城镇新增就业695万人")).toEqual([months(1, 6)]);
    expect(spansIn("今年1—7月，共济2.31亿人次；1至6月为2亿人次")).toEqual([months(1, 7), months(1, 6)]);
    expect(spansIn("前三季度发放补贴36亿元，第四季度另有安排")).toEqual([months(1, 9), months(10, 12)]);
    expect(spansIn("力争全年提供岗位300万个")).toEqual([months(1, 12)]);
    expect(spansIn("截至6月底，参保人数2.94亿人；截至三季度末，另有统计")).toEqual([months(1, 6), months(1, 9)]);
    expect(spansIn("前5个月，头十一个月")).toEqual([months(1, 5), months(1, 11)]);
  });

  it("reads a span however its months are joined", () => {
    for (const text of ["1月至7月", "1月—7月", "1～7月", "1－7月", "1―7月", "1-7月", "一至七月"]) expect(spansIn(`今年${text}，共济2.31亿人次`), text).toEqual([months(1, 7)]);
    expect(spansIn("一至三季度")).toEqual([months(1, 9)]);
  });

  it("reads no span in a day, a month alone, a deadline, a target or a span that makes none", () => {
    expect(spansIn("6月30日发布，7月举行")).toEqual([]);
    expect(spansIn("今年8—3月")).toEqual([]);
    expect(spansIn("7月底前新建100个站点")).toEqual([]);
    expect(spansIn("完成全年目标任务的60%")).toEqual([]);
  });

  it("gives the sentences stating the span, and those after them stating no other", () => {
    const text = "今年1—7月，全国共济2.31亿人次；共济金额304.57亿元。同比增长12%。今年1—6月为2亿人次。";
    expect(sentencesFor(text, months(1, 7))).toEqual(["今年1—7月，全国共济2.31亿人次；共济金额304.57亿元。", "同比增长12%。"]);
    expect(sentencesFor(text, months(1, 6))).toEqual(["今年1—6月为2亿人次。"]);
  });

  it("for a bare month's end, the span to date or a sentence under no span (what was done that month)", () => {
    const [end] = spansIn("2023年8月底全国总工会下拨了多少帮扶资金？");
    expect(end).toEqual({ first: 1, last: 8, monthEnd: true });
    expect(sentencesFor("日前，全国总工会下拨9.6亿元帮扶资金。", end!)).toHaveLength(1);
    expect(sentencesFor("截至8月底，累计下拨帮扶资金12亿元。", end!)).toHaveLength(1);
    expect(sentencesFor("今年1—7月，下拨帮扶资金8亿元。", end!)).toEqual([]);
    // 截至8月底 is the span to date only, with its year too.
    expect(spansIn("截至2023年8月底，全国有多少个工会驿站？")).toEqual([months(1, 8)]);
    expect(sentencesFor("日前，全国总工会下拨9.6亿元帮扶资金。", spansIn("截至8月底下拨了多少帮扶资金？")[0]!)).toEqual([]);
  });

  it("for a whole year, sentences with no span and no total over years in force", () => {
    const whole = months(1, 12);
    expect(sentencesFor("2024年，共济4.64亿人次。", whole)).toHaveLength(1);
    for (const text of ["5年来累计共济超7.8亿人次。", "十年来建成18万个站点。", "党的十八大以来建成18万个站点。", "今年1—10月，共济2.83亿人次。"]) {
      expect(sentencesFor(text, whole), text).toEqual([]);
    }
    // A total within one year is the year's: 累计 alone says nothing of years.
    expect(sentencesFor("2024年，各级工会累计筹集送温暖资金32.5亿元。", whole)).toHaveLength(1);
    // A year named alone starts the whole year again after a span.
    expect(sentencesFor("今年1—7月，共济2.31亿人次。2024年，共济4.64亿人次。", whole)).toEqual(["2024年，共济4.64亿人次。"]);
    expect(sentencesFor("5年来累计共济超7.8亿人次。已有33个省份开通。", whole)).toEqual([]);
  });
});
