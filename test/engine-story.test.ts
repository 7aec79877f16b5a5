import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { storyPassages, passageListOf } from "../src/passages.js";
import { lexicalServiceOver } from "./support/service.js";

/**
 * A profile whose facts stand in different paragraphs, as news profiles
 * are written, among stories that share its everyday words.
 */
const STORIES = [
  {
    id: "welder",
    title: "【大国工匠】张丽娟：焊花里的梦想",
    date: "2025-05-02",
    text: [
      "记者近日走进中车长客股份公司的焊接车间，见到了全国劳动模范张丽娟。",
      "张丽娟从事铝合金车体焊接已有二十年。",
      "在这个男职工占多数的车间里，她是唯一的女班长。",
      "多年来，张丽娟先后带出了300多名徒弟，其中20人成为高级技师。",
    ].join("\n"),
  },
  {
    id: "painter",
    title: "【劳动者之歌】王秀英：色彩里的匠心",
    date: "2025-06-02",
    text: [
      "记者走进重庆一家造船厂的涂装车间，见到了全国劳动模范王秀英。",
      "王秀英从事船体钢板喷涂已有二十年。",
      "在这个男职工占多数的车间里，她是唯一的女组长。",
      "她喷涂的钢板从未出过质量问题。",
      "多年来，她先后培养了200多名徒弟。",
    ].join("\n"),
  },
  { id: "rail", title: "西延高铁隧道贯通", date: "2025-04-10", text: "西延高铁武家塬隧道今天贯通，建设者们克服了复杂地质条件。" },
  { id: "school", title: "劳模工匠进校园", date: "2025-03-01", text: "市总工会组织劳动模范走进职业学校，为学生讲授焊接技术，带徒传技。" },
  { id: "bus", title: "公交驾驶员技能比赛举行", date: "2025-06-01", text: "上海市公交驾驶员技能比赛今天举行，120名驾驶员参赛。" },
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2025-09-01" })).engine();
});

describe("a question describing a story's subject and asking one detail", () => {
  const question = "车间里那位焊铝合金车体的女班长，带出了多少个徒弟？";

  it("is answered when the best-ranked story holds enough of it across its paragraphs, though no paragraph alone does", async () => {
    const a = await engine.ask(question);
    expect(Math.max(...a.passages.map((p) => p.coverage ?? 0))).toBeLessThan(0.5);
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("300多名");
    expect(a.citations[0]!.storyId).toBe("welder");
  });

  it("reads every paragraph of a story judged whole, not only its three best-ranked", async () => {
    const a = await engine.ask("车间里那位喷涂船体钢板的女组长，带出了多少个徒弟？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("200多名");
  });

  it("is refused when it names a place the story does not hold", async () => {
    const a = await engine.ask(`上海${question}`);
    expect(a.abstained).toBe(true);
  });
});

describe("storyPassages", () => {
  it("finds every passage of a story, and only those, from any of them", () => {
    const list = passageListOf(
      ["a:1", "a:2", "b:1", "b:2", "b:3", "c:1"].map((key) => ({ key, storyId: key.split(":")[0]!, paragraph: Number(key.split(":")[1]), text: key })),
    );
    expect(storyPassages(list, 0)).toEqual([0, 1]);
    expect(storyPassages(list, 3)).toEqual([2, 3, 4]);
    expect(storyPassages(list, 4)).toEqual([2, 3, 4]);
    expect(storyPassages(list, 5)).toEqual([5]);
  });
});
