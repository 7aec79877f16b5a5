import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { lexicalServiceOver } from "./support/service.js";

/** An award's report: its lead lists the values it honours, its next sentence the people honoured. */
const STORIES = [
  {
    id: "best-2026",
    title: "2026年“最美职工”先进事迹发布",
    date: "2026-04-29",
    text: [
      "为大力弘扬劳模精神、劳动精神、工匠精神，中央宣传部、全国总工会向全社会发布2026年“最美职工”先进事迹。高丰、肖素枝、楼雅佳、肖冬样、邓述东、吴琦、杨平原、拉毛叶忠、马丛、桑南才10位同志光荣入选。",
      "他们是新时代职工的优秀代表。",
    ].join("\n"),
  },
  {
    id: "welder",
    title: "【大国工匠】用焊花熔铸匠心",
    date: "2023-04-29",
    text: [
      "我国风电装机容量稳居世界第一。今天的《大国工匠》，我们来认识中国华能集团的高级焊接技师程平。",
      "乘坐电梯上升80多米后，再经过20多米的攀爬，他们来到了位于110米高空的风机机舱。因为位置受限，只能半跪着焊接，6个小时后，焊接终于顺利完成。",
    ].join("\n"),
  },
  // Wind farms are reported on more than once: 风机 and 机舱 tell no story apart, as in the news.
  { id: "windfarm", title: "风电场运维人员坚守岗位", date: "2025-07-10", text: "风电场的风机机舱高达百米，运维人员每天爬上机舱检修风机，一干就是几个小时。" },
  { id: "summer", title: "工会送清凉活动启动", date: "2026-06-29", text: "全国总工会部署开展工会送清凉活动，重点关注货车司机、网约车司机、快递员等群体。" },
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2026-09-01" })).engine();
});

describe("who", () => {
  it("is answered with the list of names, not the lead's list of values", async () => {
    const a = await engine.ask("今年评出来的“最美职工”都有谁？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("高丰、肖素枝");
    expect(a.emphasis?.[0]).toMatch(/^高丰、肖素枝/);
  });

  it("叫啥 is answered with the person's name, not the sentence that repeats the question's words", async () => {
    const a = await engine.ask("华能有个焊工，爬到一百多米高的风机机舱里半跪着焊了6个钟头，这个师傅叫啥？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("程平");
    expect(a.emphasis?.join()).toContain("程平");
  });
});
