import { describe, expect, it } from "vitest";
import { splitQuestions } from "../src/conversation/split.js";
import { createSegmenter } from "../src/search/segment.js";

describe("several questions in one message", () => {
  const segmenter = createSegmenter();

  it("are split when each names its own subject", () => {
    expect(splitQuestions(segmenter, "公交职工收到了哪些防暑降温慰问品？杨华清是谁？")).toEqual(["公交职工收到了哪些防暑降温慰问品？", "杨华清是谁？"]);
  });

  it("stay together when one leans on the one before, or is only courtesy", () => {
    expect(splitQuestions(segmenter, "杨华清是谁？他是哪个单位的？")).toEqual(["杨华清是谁？他是哪个单位的？"]);
    expect(splitQuestions(segmenter, "通州区中式烹调师竞赛评出了几名一等奖？那二等奖呢？")).toEqual(["通州区中式烹调师竞赛评出了几名一等奖？那二等奖呢？"]);
    expect(splitQuestions(segmenter, "你好？杨华清是谁？")).toEqual(["你好？杨华清是谁？"]);
    expect(splitQuestions(segmenter, "杨华清是谁")).toEqual(["杨华清是谁"]);
  });
});
