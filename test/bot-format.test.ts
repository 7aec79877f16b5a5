import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/answer.js";
import { CALLBACK_DATA_LIMIT, decodeAction, encodeAction } from "../src/bot/callbacks.js";
import { memoryEphemeralStore } from "../src/state/ephemeral.js";
import { formatAnswer, storyPages } from "../src/bot/format.js";
import { escapeHtml, splitMessage } from "../src/bot/html.js";

const answer = (over: Partial<Answer> = {}): Answer => ({
  question: "q",
  mode: "lexical",
  abstained: false,
  answer: "发放了毛巾<b>&茶叶。[1]\n第二句。[2]",
  citations: [
    { n: 1, storyId: "aaa", title: "标题<一>", byline: { kind: "记者", names: ["盛丽"] }, paragraph: 2, text: "t", score: 1, file: "p.txt" },
    { n: 2, storyId: "bbb", title: "标题二", paragraph: 1, text: "t", score: 0.5, date: "2024-07-03", file: "p.txt" },
  ],
  passages: [],
  closestTitles: [],
  latencyMs: 1,
  ...over,
});

/** True when every tag opened in the message is closed in it, in order. */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)(\w+)[^>]*>/g)) {
    if (m[1] === "") stack.push(m[2]!);
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

describe("Telegram HTML formatting", () => {
  it("escapes everything that comes from the corpus or the user", () => {
    expect(escapeHtml(`<b>&"x"</b>`)).toBe("&lt;b&gt;&amp;\"x\"&lt;/b&gt;");
    const [text] = formatAnswer(answer());
    expect(text).toContain("毛巾&lt;b&gt;&amp;茶叶。[1]");
    expect(text).toContain("[1] 《标题&lt;一&gt;》 记者 盛丽 · 第2段 · 日期不详 · p.txt");
    expect(text).toContain("[2] 《标题二》 · 第1段 · 2024年7月3日");
    expect(text).not.toContain("<b>&");
    expect(balanced(text!)).toBe(true);
  });

  it("lists the closest stories when abstaining", () => {
    const [text] = formatAnswer(answer({ abstained: true, answer: "没有在已收录的新闻中找到相关内容。", citations: [], closestTitles: ["A&B"] }));
    expect(text).toContain("1. 《A&amp;B》");
    expect(text).not.toContain("来源");
  });

  it("marks the cited paragraph when showing a story", () => {
    const story = { id: "s", file: "p.txt", title: "T", paragraphs: ["一。", "二<x>。", "三。"], byline: { kind: "记者", names: ["甲"] } };
    const [text] = storyPages(story, 2);
    expect(text).toContain("▶ <b>第2段</b> 二&lt;x&gt;。");
    expect(text).not.toContain("▶ <b>第1段</b>");
    expect(text).toContain("记者 甲 · 日期不详");
  });
});

describe("splitting long messages", () => {
  it("keeps short output in one message", () => {
    expect(splitMessage(["a", "b"])).toEqual(["a\nb"]);
  });

  it("packs blocks into messages within the limit without breaking tags", () => {
    const blocks = Array.from({ length: 200 }, (_, i) => `<b>${i}</b> ${"职工".repeat(20)}`);
    const messages = splitMessage(blocks, 4096);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(4096);
      expect(balanced(m)).toBe(true);
    }
    expect(messages.join("\n")).toBe(blocks.join("\n"));
  });

  it("cuts an over-long plain block at a sentence end, never inside an entity", () => {
    const sentence = "工会&amp;职工".repeat(30) + "。";
    const block = sentence.repeat(40);
    const messages = splitMessage([block], 1000);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(1000);
      expect(m).not.toMatch(/&[a-z]*$/);
      expect(m).not.toMatch(/^[a-z]*;/);
    }
    expect(messages.slice(0, -1).every((m) => m.endsWith("。"))).toBe(true);
    expect(messages.join("")).toBe(block);
  });
});

describe("callback data", () => {
  it("round-trips within Telegram's 64 bytes", () => {
    const story = { kind: "story", storyId: "f8df810529b9-2", paragraph: 12 } as const;
    expect(decodeAction(encodeAction(story))).toEqual(story);
    const more = { kind: "more", answerId: "mgz1k2", offset: 3 } as const;
    expect(decodeAction(encodeAction(more))).toEqual(more);
    expect(Buffer.byteLength(encodeAction({ kind: "story", storyId: "x".repeat(40), paragraph: 999 }))).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
  });

  it("rejects data it did not make", () => {
    expect(decodeAction("story:abc")).toBeUndefined();
    expect(decodeAction("drop table")).toBeUndefined();
  });

  it("forgets the oldest answers first", async () => {
    const cache = memoryEphemeralStore({ capacity: 2, ttlMs: Infinity });
    const a = await cache.put(answer());
    const b = await cache.put(answer());
    const c = await cache.put(answer());
    expect(await cache.get(a)).toBeUndefined();
    expect(await cache.get(b)).toBeDefined();
    expect(await cache.get(c)).toBeDefined();
  });

  it("puts the answer phrase in bold and the report's date above an answer chosen among dated reports", () => {
    const a = {
      question: "q",
      mode: "lexical" as const,
      abstained: false,
      answer: "今年计划投入资金7.3亿元<多>。[1]",
      citations: [{ n: 1, storyId: "s", title: "T", paragraph: 2, text: "t", score: 1, date: "2025-06-04", file: "f.jsonl" }],
      passages: [],
      closestTitles: [],
      emphasis: ["7.3亿元<多>"],
      asOf: "2025-06-04",
      latencyMs: 1,
    };
    const [text] = formatAnswer(a);
    expect(text).toContain("（据2025年6月4日的报道）\n今年计划投入资金<b>7.3亿元&lt;多&gt;</b>。[1]");
    expect(text).toContain("[1] 《T》 · 第2段 · 2025年6月4日");
  });

  it("bolds a line's own figure, not another line's inside it (2亿元 is not the end of 12亿元)", () => {
    const citation = { n: 1, storyId: "s", title: "T", paragraph: 1, text: "t", score: 1, date: "2025-06-04", file: "f.jsonl" };
    const a = {
      question: "q",
      mode: "lexical" as const,
      abstained: false,
      answer: "上半年下拨帮扶资金2亿元。[1]\n全年下拨帮扶资金12亿元。[1]",
      citations: [citation],
      passages: [],
      closestTitles: [],
      emphasis: ["2亿元", "12亿元"],
      latencyMs: 1,
    };
    const [text] = formatAnswer(a);
    expect(text).toContain("上半年下拨帮扶资金<b>2亿元</b>。[1]");
    expect(text).toContain("全年下拨帮扶资金<b>12亿元</b>。[1]");
  });
});
