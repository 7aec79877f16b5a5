import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { CAMPAIGN_REPORTS } from "./support/campaigns.js";
import { lexicalServiceOver } from "./support/service.js";

/** Reports that share a question's place or verbs, and the ones that hold what it asks. */
const STORIES = [
  {
    id: "jobs",
    title: "2025年“工会帮就业”行动启动",
    date: "2025-02-27",
    text: "全国总工会在广东省广州市启动2025年“工会帮就业”行动，预计将提供岗位不低于500万个。各级工会将通过线上线下的方式，为求职者和用人单位提供岗位推介、培训管理、校企合作、就业援助等服务。",
  },
  { id: "stations", title: "全国已建成工会驿站18.42万个", date: "2025-01-15", text: "我国已建成工会驿站18.42万个，驿站遍布城乡。" },
  {
    id: "medals",
    title: "1035人被授予全国五一劳动奖章",
    date: "2023-04-27",
    text: "今天，全国总工会召开大会，表彰今年获得全国五一劳动奖章、奖状及工人先锋号的代表。\n1035人获得全国五一劳动奖章，其中产业工人占比超四成。",
  },
  // More reports, so a city one story names is a name (rarer than a fifth of the passages), not the news' setting.
  ...CAMPAIGN_REPORTS,
  { id: "skills", title: "职工职业技能大赛决赛举行", date: "2025-10-23", text: "来自全国的选手同台竞技，展示职工技能风采。" },
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2026-09-01" })).engine();
});

describe("what a passage must hold to answer by itself", () => {
  it("one of the question's things: the place and a number are not enough (广州市, 500万个 jobs, for 工会驿站)", async () => {
    const a = await engine.ask("广州市有多少个工会驿站？");
    expect(a.abstained).toBe(true);
    // The same report answers what it is about.
    expect((await engine.ask("广州市启动的工会帮就业行动提供多少个岗位？")).citations[0]?.storyId).toBe("jobs");
  });

  it("a number for a count: the paragraph naming the award and its verb does not answer 多少人", async () => {
    const a = await engine.ask("2023年全国五一劳动奖章表彰了多少人？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("1035人");
    expect(a.answer).not.toContain("召开大会");
  });
});
