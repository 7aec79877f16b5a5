import { describe, expect, it } from "vitest";
import { whatGives } from "../src/answer/gives.js";
import type { QueryTerms } from "../src/search/evidence.js";

const terms = (...words: string[]): QueryTerms => ({ words: new Map(words.map((w) => [w, 1])), exact: [] });

describe("what a text must give to answer a question", () => {
  it("a count of the thing counted, not of something else", () => {
    const gives = whatGives("number", "一亩地能收多少斤瓜子？", terms("一亩", "瓜子"));
    expect(gives("亩产瓜子达到300斤。")).toBe(true);
    expect(gives("北屯瓜子畅销海内外，带动当地3000多户农民增收。")).toBe(false);
  });

  it("a figure for the span of months asked, in the sentence stating it or one after", () => {
    const gives = whatGives("number", "1到7月职工医保个人账户共济了多少人次？", terms("职工", "医保", "共济", "人次"));
    expect(gives("今年1—7月，全国职工医保个人账户共济人次2.31亿。共济金额304.57亿元。")).toBe(true);
    expect(gives("今年1—6月，全国职工医保个人账户共济2亿人次。")).toBe(false);
    expect(gives.forSpan("5年来累计共济超7.8亿人次。")).toBe(false);
  });

  it("anything, for a question of another kind", () => {
    const gives = whatGives("person", "主席是谁？", terms("主席"));
    expect(gives("会议在北京举行。")).toBe(true);
    expect(gives.forSpan("会议在北京举行。")).toBe(true);
  });
});
