import { describe, expect, it } from "vitest";
import { orderWithinStories } from "../src/search/story-order.js";
import { lexicalServiceOver } from "./support/service.js";

describe("a story's paragraphs in coverage order", () => {
  const story = (i: number) => ["a", "b", "a", "c", "a", "b"][i]!;
  const ranked = [
    { index: 0, coverage: 0.3, score: 0.9 },
    { index: 1, coverage: 0.5, score: 0.8 },
    { index: 2, coverage: 0.9, score: 0.7 },
    { index: 3, coverage: 0.2, score: 0.6 },
    { index: 4, coverage: 0.3, score: 0.5 },
    { index: 5, coverage: 0.6, score: 0.4 },
  ];
  const ordered = orderWithinStories(ranked, story);

  it("keeps each story's places and scores, and fills them by coverage", () => {
    expect(ordered.map((c) => story(c.index))).toEqual(ranked.map((c) => story(c.index)));
    expect(ordered.map((c) => c.score)).toEqual(ranked.map((c) => c.score));
    expect(ordered.map((c) => c.index)).toEqual([2, 5, 0, 3, 4, 1]);
  });

  it("keeps the ranking's order between paragraphs of equal coverage, and loses or repeats none", () => {
    // Paragraphs 0 and 4 of story a tie at 0.3: 0 stays ahead.
    expect(ordered.indexOf(ordered.find((c) => c.index === 0)!)).toBeLessThan(ordered.indexOf(ordered.find((c) => c.index === 4)!));
    expect(ordered.map((c) => c.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(orderWithinStories([], story)).toEqual([]);
  });
});

describe("the engine cites the paragraph that holds the question, not the story's lead", () => {
  it("puts the paragraph with the rest of the question's words first", async () => {
    const stories = [
      {
        id: "jc",
        title: "全国人大常委会启动工会法执法检查",
        date: "2025-04-20",
        text: [
          "工会法执法检查启动，工会法执法检查工作会议召开。",
          "据介绍，今年的执法检查组将聚焦职工权益保障、基层工会建设、劳动关系协调等重点问题，听取各方面意见建议，分赴河北、辽宁、浙江、湖南、广东5个省开展实地检查，同时委托其他省区市人大常委会在本行政区域内开展检查，推动法律有效实施。",
          "会议强调，要把工会法各项规定落到实处。",
        ].join("\n"),
      },
      { id: "yz", title: "全国已建成工会驿站18万个", date: "2024-01-15", text: "全国已建成工会驿站18万个，服务户外劳动者超过1亿人次。" },
      { id: "fx", title: "职工法律知识竞赛举行", date: "2025-05-01", text: "市总工会举办职工法律知识竞赛，工会法、劳动法等内容纳入题库。" },
    ];
    const service = await lexicalServiceOver(stories);
    try {
      const a = await service.engine().ask("工会法执法检查组要去哪几个省实地检查？");
      expect(a.passages[0]!.title).toBe("全国人大常委会启动工会法执法检查");
      expect(a.passages[0]!.paragraph).toBe(2);
      const scores = a.passages.map((p) => p.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    } finally {
      await service.close();
    }
  });
});
