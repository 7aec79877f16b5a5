import { describe, expect, it } from "vitest";
import { spansIn, statesSpan } from "../src/answer/span.js";

describe("the span of months a figure is for", () => {
  it("reads halves, spans to date, quarters, the whole year and a month's end", () => {
    expect(spansIn("今年上半年，全国城镇新增就业695万人")).toEqual([{ first: 1, last: 6 }]);
    expect(spansIn("今年1—7月，共济2.31亿人次；1至6月为2亿人次")).toEqual([{ first: 1, last: 7 }, { first: 1, last: 6 }]);
    expect(spansIn("前三季度发放补贴36亿元，第四季度另有安排")).toEqual([{ first: 1, last: 9 }, { first: 10, last: 12 }]);
    expect(spansIn("力争全年提供岗位300万个")).toEqual([{ first: 1, last: 12 }]);
    expect(spansIn("截至6月底，参保人数2.94亿人")).toEqual([{ first: 1, last: 6 }]);
    expect(spansIn("前5个月，头十一个月")).toEqual([{ first: 1, last: 5 }, { first: 1, last: 11 }]);
  });

  it("reads no span in a day, a month alone or a span that makes none", () => {
    expect(spansIn("6月30日发布，7月举行")).toEqual([]);
    expect(spansIn("今年8—3月")).toEqual([]);
  });

  it("takes a sentence stating the span, or for a whole year one stating none and no total over years", () => {
    expect(statesSpan("今年1—6月，共济2亿人次。", { first: 1, last: 6 })).toBe(true);
    expect(statesSpan("今年1—7月，共济2.31亿人次。", { first: 1, last: 6 })).toBe(false);
    expect(statesSpan("5年来累计共济超7.8亿人次。", { first: 1, last: 6 })).toBe(false);
    expect(statesSpan("2024年，共济4.64亿人次。", { first: 1, last: 12 })).toBe(true);
    expect(statesSpan("5年来累计共济超7.8亿人次。", { first: 1, last: 12 })).toBe(false);
    expect(statesSpan("今年1—10月，共济2.83亿人次。", { first: 1, last: 12 })).toBe(false);
  });
});
