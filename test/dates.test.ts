import { describe, expect, it } from "vitest";
import { parseCorpusFile } from "../src/corpus/load.js";
import { fileNameDate, headerDate, leadDate } from "../src/corpus/story-date.js";
import { displayDate, normalizeDate, periodOf, sortKey } from "../src/dates.js";

const page = (lines: string[]) => new TextEncoder().encode(lines.join("\n"));

describe("dates at the precision the source gives", () => {
  it("normalizes the forms sources write and refuses what is not a date", () => {
    expect(normalizeDate("2024-07-10")).toBe("2024-07-10");
    expect(normalizeDate("2024/7/1")).toBe("2024-07-01");
    expect(normalizeDate("2024年7月10日")).toBe("2024-07-10");
    expect(normalizeDate("2024-07-10T08:00:00+08:00")).toBe("2024-07-10");
    expect(normalizeDate("2024年7月")).toBe("2024-07");
    expect(normalizeDate("2024")).toBe("2024");
    expect(normalizeDate("2024-02-30")).toBeUndefined();
    expect(normalizeDate("上周")).toBeUndefined();
  });

  it("turns each precision into a period and shows it as members read dates", () => {
    expect(periodOf("2024-07-10")).toEqual({ from: "2024-07-10", to: "2024-07-10", precision: "day" });
    expect(periodOf("2024-02")).toEqual({ from: "2024-02-01", to: "2024-02-29", precision: "month" });
    expect(periodOf("2024-winter")).toEqual({ from: "2024-12-01", to: "2025-02-28", precision: "season" });
    expect(periodOf("2024")).toMatchObject({ from: "2024-01-01", to: "2024-12-31" });
    expect(periodOf(undefined)).toBeUndefined();
    expect(displayDate("2024-07-10")).toBe("2024年7月10日");
    expect(displayDate("2024-summer")).toBe("2024年夏季");
    expect(displayDate("2024-07")).toBe("2024年7月");
    // A season sorts as its last day, so a July story of that year is not "newer" than the summer page.
    expect(sortKey("2024-summer") > sortKey("2024-07-10")).toBe(true);
    expect(sortKey(undefined)).toBe("");
  });

  it("reads dates from file names, page headers and datelines", () => {
    expect(fileNameDate("2024/union-news_20240610_p1.txt")).toBe("2024-06-10");
    expect(fileNameDate("2024-summer_union-news_page-01.txt")).toBe("2024-summer");
    expect(fileNameDate("news-2023-11.jsonl")).toBe("2023-11");
    expect(fileNameDate("page-01.txt")).toBeUndefined();
    expect(headerDate("2024年7月10日 星期三")).toBe("2024-07-10");
    expect(headerDate("本报讯 2024年7月10日")).toBeUndefined();
    expect(leadDate("本报讯（记者 张三）7月9日，市总工会启动……", 2024)).toBe("2024-07-09");
    expect(leadDate("今天（11月3日），全国总工会在北京启动……", 2022)).toBe("2022-11-03");
    expect(leadDate("本报讯（记者 张三）7月9日，……", undefined)).toBeUndefined();
    expect(leadDate("本报讯（记者 张三）近日，市总工会召开……", 2024)).toBeUndefined();
  });

  it("dates each story of a page: its dateline first, then the page header, then the file name; never guessed", () => {
    const parsed = parseCorpusFile(
      "2024-summer_news.txt",
      page([
        "2024年7月10日 星期三",
        "市总工会启动送清凉",
        "本报讯（记者 张三）7月8日，市总工会启动2024年送清凉活动。",
        "区总工会慰问环卫工人",
        "本报讯（记者 李四）近日，区总工会慰问环卫工人。",
      ]),
    );
    expect(parsed.stories.map((s) => s.date)).toEqual(["2024-07-08", "2024-07-10"]);
    const undated = parseCorpusFile("page.txt", page(["区总工会慰问环卫工人", "本报讯（记者 李四）近日，区总工会慰问环卫工人。"]));
    expect(undated.stories[0]!.date).toBeUndefined();
  });

  it("normalizes JSONL dates and reports a bad one by file and line, keeping the story", () => {
    const lines = [
      JSON.stringify({ title: "甲", text: "甲文。", date: "2024年7月10日" }),
      JSON.stringify({ title: "乙", text: "乙文。", date: "不详" }),
      JSON.stringify({ title: "丙", text: "丙文。" }),
    ];
    const parsed = parseCorpusFile("cms-2023-11.jsonl", page(lines));
    expect(parsed.stories.map((s) => s.date)).toEqual(["2024-07-10", "2023-11", "2023-11"]);
    expect(parsed.warnings).toEqual([expect.stringContaining('cms-2023-11.jsonl:2: date "不详" is not a date; using 2023-11 from the file name')]);
  });
});
