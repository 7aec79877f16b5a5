import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { lexicalServiceOver } from "./support/service.js";

/** The same campaign two winters running: one report gives its funds, the other only its launch. */
const STORIES = [
  {
    id: "warmth-2025",
    title: "全国总工会启动2025年送温暖行动",
    date: "2024-12-10",
    text: "全国总工会日前启动2025年元旦春节期间送温暖行动。\n此次行动共安排资金12.6亿元，走访慰问困难职工和一线职工。",
  },
  {
    id: "warmth-2026",
    title: "全国总工会启动2026年送温暖行动",
    date: "2025-12-05",
    text: "全国总工会日前启动2026年元旦春节期间送温暖行动。\n行动将走访慰问困难职工、新就业形态劳动者和一线职工。",
  },
  { id: "summer", title: "工会送清凉活动启动", date: "2025-06-29", text: "全国总工会部署开展工会送清凉活动，加强高温劳动保护。" },
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2026-09-01" })).engine();
});

describe("how much money", () => {
  it("is answered with an amount of money, in bold for presenters", async () => {
    const a = await engine.ask("2025年送温暖行动安排了多少钱？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("12.6亿元");
    expect(a.emphasis).toContain("12.6亿元");
  });

  it("is refused when the report gives no amount, rather than quoting its launch", async () => {
    const a = await engine.ask("工会送清凉活动安排了多少钱？");
    expect(a.abstained).toBe(true);
    // The same report answers what it does say.
    expect((await engine.ask("工会送清凉活动加强什么保护？")).citations[0]?.storyId).toBe("summer");
  });
});
