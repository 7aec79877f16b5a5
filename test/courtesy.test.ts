import { describe, expect, it } from "vitest";
import { aboutTheAsker, withoutCourtesy } from "../src/answer/courtesy.js";
import { QuestionError } from "../src/errors.js";

const kindOf = (message: string) => {
  try {
    return withoutCourtesy(message);
  } catch (error) {
    expect(error).toBeInstanceOf(QuestionError);
    return `(${(error as QuestionError).kind})`;
  }
};

describe("courtesy around a question", () => {
  it("sets greetings and asking formulas aside at the start, thanks at the end", () => {
    expect(kindOf("你好，请问大国工匠今年推选多少人？")).toBe("大国工匠今年推选多少人？");
    expect(kindOf("您好！我想问一下，送清凉什么时候开始？谢谢")).toBe("送清凉什么时候开始？");
    expect(kindOf("老师您好 请问一下职代会几年开一次")).toBe("职代会几年开一次");
    expect(kindOf("师傅好，麻烦问下职代会几年开一次，麻烦了")).toBe("职代会几年开一次");
    expect(kindOf("问下，今年的五一劳动奖章发给了多少人？")).toBe("今年的五一劳动奖章发给了多少人？");
    expect(kindOf("想问问职代会几年开一次")).toBe("职代会几年开一次");
    for (const q of ["咨询下职代会几年开一次", "想请问一下职代会几年开一次", "请问一下下职代会几年开一次", "问一下哈，职代会几年开一次", "职代会几年开一次，感谢感谢", "职代会几年开一次，谢了"]) expect(kindOf(q), q).toBe("职代会几年开一次");
    // "Got it" before thanks, and thanks for the answer, are courtesy only.
    for (const q of ["好的，谢谢", "明白了，谢谢", "OK，谢谢", "嗯嗯，谢谢", "谢谢你的回答"]) expect(kindOf(q), q).toBe("(thanks)");
    expect(kindOf("大国工匠今年推选多少人谢谢🙏")).toBe("大国工匠今年推选多少人");
    expect(kindOf("hi，工会驿站有多少个？ thanks")).toBe("工会驿站有多少个？");
    expect(kindOf("请告诉我大国工匠今年推选多少人")).toBe("大国工匠今年推选多少人");
    expect(kindOf("帮我查一下送清凉什么时候开始")).toBe("送清凉什么时候开始");
  });

  it("reads courtesy in traditional characters too, and keeps the question as the member wrote it", () => {
    expect(kindOf("您好，請問一下，大國工匠今年推選多少人？謝謝您了")).toBe("大國工匠今年推選多少人？");
    expect(kindOf("麻煩幫我查一下送清涼什麼時候開始")).toBe("送清涼什麼時候開始");
    expect(kindOf("感謝！")).toBe("(thanks)");
    expect(kindOf("你是機器人嗎？")).toBe("(about-bot)");
  });

  it("leaves a question without courtesy as it is, and words that only look like courtesy", () => {
    expect(kindOf("送清凉什么时候开始？")).toBe("送清凉什么时候开始？");
    expect(kindOf("history of 工会")).toBe("history of 工会");
    expect(kindOf("全总给谁发了感谢信")).toBe("全总给谁发了感谢信");
    expect(kindOf("好人好事有哪些")).toBe("好人好事有哪些");
  });

  it("says a message that is only courtesy is no question, by kind", () => {
    expect(kindOf("你好")).toBe("(greeting)");
    expect(kindOf("在吗？")).toBe("(greeting)");
    expect(kindOf("Hello!")).toBe("(greeting)");
    expect(kindOf("谢谢！")).toBe("(thanks)");
    expect(kindOf("謝謝")).toBe("(thanks)");
    expect(kindOf("你好，谢谢")).toBe("(thanks)");
    expect(kindOf("好的👍")).toBe("(acknowledgement)");
    expect(kindOf("嗯嗯")).toBe("(acknowledgement)");
    expect(kindOf("你好，你能做什么？")).toBe("(about-bot)");
    expect(kindOf("怎么用")).toBe("(about-bot)");
    expect(kindOf("你是机器人吗？")).toBe("(about-bot)");
    // A question about something else that happens to start the same way is asked.
    expect(kindOf("怎么用工会卡")).toBe("怎么用工会卡");
  });
});

describe("the member telling who they are", () => {
  it("is the opening clauses about themself that ask nothing", () => {
    expect(aboutTheAsker("我是厂里流水线上的女工，听说工会要帮女职工学数字化，那个方案叫什么？")).toBe("我是厂里流水线上的女工，");
    expect(aboutTheAsker("我跑长途拉货的，天太热了。今年送清凉提到货车司机了吗？")).toBe("我跑长途拉货的，");
  });
  it("is nothing for 我国, 我市 (the topic), a clause asking 能不能 or 如何, or one quoting", () => {
    expect(aboutTheAsker("我国高技能人才总量，达到了多少")).toBe("");
    expect(aboutTheAsker("我市困难职工送清凉慰问，具体标准是多少钱")).toBe("");
    expect(aboutTheAsker("我能不能申请困难职工帮扶，需要准备哪些材料")).toBe("");
    expect(aboutTheAsker('我在"职工之家"上班，有什么活动')).toBe("");
  });

  it("is nothing when the clause asks, speaks for 我们, or is all there is", () => {
    expect(aboutTheAsker("我想知道送清凉是哪天开始的，谢谢")).toBe("");
    expect(aboutTheAsker("我们这儿正在搞“小三级”工会建设，联合会最晚哪年建起来？")).toBe("");
    expect(aboutTheAsker("我是女工，行吗")).toBe("");
  });
});
