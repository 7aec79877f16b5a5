import { describe, expect, it } from "vitest";
import type { EvalQuestion } from "../src/eval/questions.js";
import { rewordQuestions } from "../src/eval/variants.js";

const questions: EvalQuestion[] = [
  { id: "a", question: "全国总工会启动了什么行动？", answers: ["送温暖"], story: "送温暖" },
  { id: "b", question: "职工代表大会几年开一次？", answers: ["5年"] },
  { id: "c", question: "北京有多少个工会驿站？", unanswerable: true },
  { id: "d", question: "送清凉什么时候开始？" },
];

describe("questions reworded as members send them", () => {
  it("wraps each in one of three courtesy forms in turn, keeping everything else", async () => {
    const worded = await rewordQuestions(questions, "courtesy");
    expect(worded.map((q) => q.question)).toEqual([
      "你好，请问全国总工会启动了什么行动？谢谢",
      "您好！我想问一下，职工代表大会几年开一次？？谢谢！",
      "老师好，麻烦问下北京有多少个工会驿站？，麻烦了",
      "你好，请问送清凉什么时候开始？谢谢",
    ]);
    expect(worded.map(({ question: _, ...rest }) => rest)).toEqual(questions.map(({ question: _, ...rest }) => rest));
  });

  it("types them in traditional characters, gold answers unchanged", async () => {
    const worded = await rewordQuestions(questions, "traditional");
    expect(worded[0]!.question).toBe("全國總工會啟動了什麼行動？");
    expect(worded[1]!.question).toBe("職工代表大會幾年開一次？");
    expect(worded[0]!.answers).toEqual(["送温暖"]);
  });
});
