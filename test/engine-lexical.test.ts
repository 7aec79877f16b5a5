import { beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/answer.js";
import type { Engine } from "../src/answer/engine.js";
import { QuestionError } from "../src/errors.js";
import { lexicalSeedService } from "./support/service.js";

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalSeedService()).engine();
});

/** Every marker points to a listed source and every source is cited; cited text is the story's paragraph. */
function expectConsistentCitations(a: Answer): void {
  const markers = [...a.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  expect(markers.length).toBeGreaterThan(0);
  expect(new Set(markers)).toEqual(new Set(a.citations.map((c) => c.n)));
  a.citations.forEach((c, i) => {
    expect(c.n).toBe(i + 1);
    const story = engine.story(c.storyId)!;
    expect(story.title).toBe(c.title);
    expect(story.paragraphs[c.paragraph - 1]).toContain(c.text);
  });
  for (const line of a.answer.split("\n")) {
    const [, sentence, n] = /^(.*)\[(\d+)\]$/.exec(line)!;
    const cited = a.citations.find((c) => c.n === Number(n))!;
    expect(cited.text).toContain(sentence);
  }
}

async function answered(question: string, expected: { text: string; title: string }): Promise<Answer> {
  const a = await engine.ask(question);
  expect(a.abstained, `abstained on ${question}`).toBe(false);
  expect(a.answer).toContain(expected.text);
  expect(a.citations.some((c) => c.title.includes(expected.title))).toBe(true);
  expectConsistentCitations(a);
  return a;
}

describe("the engine on the seed corpus, lexical retrieval", () => {
  it("answers from paragraphs the layout had broken", async () => {
    await answered("公交职工收到了哪些防暑降温慰问品？", { text: "毛巾、茶叶、绿茶饮料", title: "公交集团" });
    await answered("杨华清入选了什么人才工程？", { text: "大国工匠人才培育工程", title: "北戴河" });
    await answered("市总工会离退休干部是通过什么形式开展专题调研的？", { text: "网络征文、参观学习以及座谈交流", title: "专题调研座谈会" });
    await answered("北京市教育工会相关负责人指出了什么？", { text: "红色旅游融合发展试点单位", title: "太行精神" });
  });

  it("finds names, numbers and quoted terms", async () => {
    await answered("杨华清是谁？", { text: "杨华清", title: "北戴河" });
    await answered("11311工作体系", { text: "11311", title: "中式烹调师" });
    await answered("１１３１１工作体系", { text: "11311", title: "中式烹调师" });
    await answered("公交集团分几组去了多少个基层场站？", { text: "28个基层场站", title: "公交集团" });
    const quoted = await answered("“清凉小屋”是哪里开设的？", { text: "清凉小屋", title: "公交集团" });
    expect(quoted.passages[0]!.text).toContain("清凉小屋");
  });

  it("ranks the expected story first and returns k passages", async () => {
    const a = await engine.ask("龙潭街道社区工作者心理培训讲了什么", { k: 3 });
    expect(a.passages).toHaveLength(3);
    expect(a.passages[0]!.title).toContain("龙潭街道");
    const scores = a.passages.map((p) => p.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
  });

  it("abstains on questions the news does not cover, naming the closest stories", async () => {
    for (const q of ["今天北京天气怎么样？", "上海市总工会今年举办了哪些劳动竞赛？", "工会会费怎么交？", "股票基金怎么投资"]) {
      const a = await engine.ask(q);
      expect(a.abstained, q).toBe(true);
      expect(a.answer).toMatch(/^没有在已收录的新闻中找到相关内容/);
      expect(a.citations).toEqual([]);
      expect(a.answer).not.toMatch(/\[\d+\]/);
    }
    const near = await engine.ask("上海市总工会今年举办了哪些劳动竞赛？");
    expect(near.closestTitles.length).toBeGreaterThan(0);
  });

  it("answers bad questions with a clear message, not an exception of another kind", async () => {
    const kinds = async (q: string) => {
      try {
        await engine.ask(q);
        return "answered";
      } catch (error) {
        expect(error).toBeInstanceOf(QuestionError);
        return (error as QuestionError).kind;
      }
    };
    expect(await kinds("")).toBe("empty");
    expect(await kinds(" \u3000 \n")).toBe("empty");
    expect(await kinds("😀😀🎉")).toBe("no-words");
    // Nothing named to look for: news in general, only question words, or one verb.
    expect(await kinds("最新消息")).toBe("no-topic");
    expect(await kinds("有什么新闻？")).toBe("no-topic");
    expect(await kinds("怎么报名？")).toBe("no-topic");
    expect(await kinds("你是谁？")).toBe("about-bot");
    expect(await kinds("你好")).toBe("greeting");
    expect(await kinds("工会".repeat(251))).toBe("too-long");
    expect(await kinds("工会".repeat(250))).toBe("answered");
  });

  it("collapses whitespace and reports the trimmed question", async () => {
    const a = await engine.ask("   杨华清   是谁？  ");
    expect(a.question).toBe("杨华清   是谁？");
    expect(a.abstained).toBe(false);
  });
});
