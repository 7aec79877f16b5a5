import { describe, expect, it } from "vitest";
import { normalizeQuestion } from "../src/answer/question.js";

describe("a member's question cleaned before retrieval", () => {
  it("writes full-width digits and a year spoken digit by digit in digits", () => {
    expect(normalizeQuestion("１１３１１是什么？")).toBe("11311是什么？");
    expect(normalizeQuestion("二零二五年的送清凉什么时候开始")).toBe("2025年的送清凉什么时候开始");
    expect(normalizeQuestion("二〇二四年  送温暖")).toBe("2024年 送温暖");
  });

  it("leaves other Chinese numerals alone", () => {
    expect(normalizeQuestion("一九四九年十月一日")).toBe("1949年十月一日");
    expect(normalizeQuestion("第十二三四五年计划")).toBe("第十二三四五年计划");
    expect(normalizeQuestion("三年行动")).toBe("三年行动");
  });
});
