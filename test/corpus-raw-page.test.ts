import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawPage } from "../src/corpus/raw-page.js";
import { endsSentence } from "../src/corpus/text.js";
import { seedCorpusDir, seedFile } from "./support/paths.js";

const raw = readFileSync(path.join(seedCorpusDir, seedFile), "utf8");
const { stories, warnings } = parseRawPage(seedFile, raw);
const byTitle = (fragment: string) => {
  const s = stories.find((x) => x.title.includes(fragment));
  if (!s) throw new Error(`no story titled …${fragment}…`);
  return s;
};

describe("raw page parser on the seed page", () => {
  it("finds the 8 stories in page order, with nothing left over", () => {
    expect(stories.map((s) => s.title)).toEqual([
      "市总工会“赞辉煌成就·聚银发力量”专题调研座谈会召开",
      "北京市工人北戴河疗养院打造劳模工匠事迹展示阵地",
      "和平街街道总工会开展职工沟通日活动",
      "北京市教育工会赴山西武乡开展“太行精神”主题实践教育",
      "中国职工保险互助会北京办事处慰问货运驾驶员",
      "北京公交集团工会全面启动“夏送清凉”活动",
      "通州区中式烹调师职业技能竞赛举办",
      "龙潭街道社工联合工会心理培训班开班",
    ]);
    expect(warnings).toEqual([]);
  });

  it("keeps rubrics and subtitles apart from titles", () => {
    expect(byTitle("专题调研座谈会").rubric).toBe("深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面");
    expect(byTitle("慰问货运驾驶员").rubric).toBe("夏送清凉 工会行动");
    expect(byTitle("公交集团").subtitle).toBe("一系列细致入微举措保障职工身心健康");
    expect(byTitle("公交集团").rubric).toBeUndefined();
    const plain = stories.filter((s) => s.rubric === undefined && s.subtitle === undefined);
    expect(plain).toHaveLength(5);
  });

  it("reads byline kind and names", () => {
    expect(byTitle("北戴河").byline).toEqual({ kind: "通讯员", names: ["李凯萌"] });
    expect(byTitle("专题调研座谈会").byline).toEqual({ kind: "记者", names: ["宗晓畅"] });
    expect(stories.map((s) => s.byline?.names.join())).toEqual(["宗晓畅", "李凯萌", "刘欣欣", "任洁", "张晶", "盛丽", "宗晓畅", "边磊"]);
  });

  it("rejoins every paragraph the layout broke", () => {
    const all = stories.flatMap((s) => s.paragraphs);
    for (const p of all) expect(endsSentence(p), p).toBe(true);
    const joins = [
      "并通过网络征文、参观学习",
      "读书交流环节中",
      "入选大国工匠人才培育工程",
      "将“职工沟通日”“工会宣传日”",
      "八路军太行纪念馆，走访了关家垴",
      "北京市教育工会相关负责人指出，武乡县",
      "对在高温环境下坚守岗位的货运驾驶员表示问候",
      "尤其在面对新冠疫情",
      "发放了毛巾、茶叶、绿茶饮料等防暑降温慰问品",
      "客三分公司工会积极宣传",
      "实践操作复赛以及特色创意菜决赛",
      "并结合接诉即办案例",
    ];
    for (const j of joins) expect(all.filter((p) => p.includes(j)), j).toHaveLength(1);
    expect(all).toHaveLength(25);
  });

  it("never glues a headline to a body paragraph", () => {
    const headings = stories.flatMap((s) => [s.title, s.subtitle, s.rubric].filter((h) => h !== undefined));
    for (const p of stories.flatMap((s) => s.paragraphs)) {
      for (const h of headings) expect(p.includes(h), `${h} inside ${p.slice(0, 20)}`).toBe(false);
    }
    for (const s of stories) expect(s.paragraphs[0]).toMatch(/^本报讯（/);
  });

  it("gives each story a distinct id that a rebuild reproduces", () => {
    const again = parseRawPage(seedFile, raw).stories.map((s) => s.id);
    expect(again).toEqual(stories.map((s) => s.id));
    expect(new Set(again).size).toBe(8);
    expect(parseRawPage("other.txt", raw).stories[0]!.id).not.toBe(stories[0]!.id);
  });
});

describe("raw page parser on other layouts", () => {
  it("accepts a headline ending in a question mark, a date line, and a subtitle with a dash", () => {
    const page = [
      "2024年7月3日 星期三",
      "",
      "高温天气 职工权益",
      "高温津贴怎么发？",
      "——市总工会答职工问",
      "本报讯（记者 张三 李四 通讯员 王五）近日，市总工会就高温津贴",
      "发放标准答复了职工的问题。",
      "标准为每月180元。",
    ].join("\n");
    const [s] = parseRawPage("p.txt", page).stories;
    expect(s).toMatchObject({
      title: "高温津贴怎么发？",
      subtitle: "市总工会答职工问",
      rubric: "高温天气 职工权益",
      date: "2024-07-03",
      byline: { kind: "记者、通讯员", names: ["张三", "李四", "王五"] },
    });
    expect(s!.paragraphs).toEqual([
      "本报讯（记者 张三 李四 通讯员 王五）近日，市总工会就高温津贴发放标准答复了职工的问题。",
      "标准为每月180元。",
    ]);
  });
});
