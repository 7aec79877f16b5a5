import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { CAMPAIGN_REPORTS } from "./support/campaigns.js";
import { lexicalServiceOver } from "./support/service.js";

/**
 * Reports members ask about in their own words: most of a question is
 * wording no story prints, and what decides is whether the passage found
 * states the number or date asked right beside the thing asked about.
 */
const STORIES = [
  {
    id: "stations",
    title: "工会驿站15分钟服务圈体系建成",
    date: "2025-12-10",
    text: "记者从全国总工会了解到，全国主要城市已基本实现15分钟服务圈交叉覆盖的工会服务体系。\n目前，全国已建成工会驿站18.61万个，日服务人次超过230万，服务职工群众1.93亿。",
  },
  {
    id: "stations-2024",
    title: "全国已建成工会驿站18.42万个",
    date: "2024-01-15",
    text: "记者今天从全国总工会了解到，截至目前，我国已建成工会驿站18.42万个，专门供户外劳动者休息。",
  },
  {
    id: "jobs",
    title: "春风行动启动",
    date: "2026-02-10",
    text: "行动将聚焦高校毕业生、农民工等重点群体，力争全年提供就业岗位300万个、服务300万人次。\n各地工会驿站将张贴招聘信息，今年已有120万名户外劳动者前来求职。",
  },
  {
    id: "rules",
    title: "五部门联合出台《超龄劳动者基本权益保障暂行规定》",
    date: "2026-05-25",
    text: "人力资源社会保障部等五部门联合出台《超龄劳动者基本权益保障暂行规定》，明确了用人单位与超龄劳动者的权利和义务。《规定》自2026年7月1日起施行。",
  },
  {
    id: "sunflower",
    title: "陈燕芳：做向日葵一样的追光者",
    date: "2025-04-28",
    text: "陈燕芳和团队选育出高产的向日葵新品种，北屯瓜子畅销海内外，带动当地3000多户农民增收。",
  },
  {
    id: "letter",
    title: "中国一重产业工人代表给总书记写信",
    date: "2025-10-12",
    text: "近日，获得过先进模范称号的中国一重产业工人代表给总书记写信。\n信中汇报了加强技术攻关等情况，表达了为东北全面振兴贡献力量的决心。",
  },
  {
    id: "older-workers",
    title: "五部门进一步支持农民工就业创业",
    date: "2025-05-20",
    text: "人力资源社会保障部等五部门印发《意见》，要求企业不得以年龄为由“一刀切”清退大龄农民工。",
  },
  {
    id: "spring-warmth",
    title: "2025年春暖农民工服务行动启动",
    date: "2025-02-08",
    text: "人力资源社会保障部、全国总工会等9部门联合启动2025年春暖农民工服务行动，为返岗农民工送政策送岗位。",
  },
  {
    id: "steel",
    title: "钢厂职工来信",
    date: "2025-04-21",
    text: "中国企业接手斯梅戴雷沃钢厂后，钢厂扭亏为盈，保住了5000多名员工的饭碗。",
  },
  { id: "marathon", title: "职工马拉松开跑", date: "2026-04-20", text: "今年的职工马拉松于4月20日开跑，比去年提前了12天，报名职工超过3万人。" },
  ...CAMPAIGN_REPORTS,
  // Reports on other topics, so that the words above are as rare as in real news (a word most passages hold is no topic).
  ...[
    "职工职业技能大赛决赛在四川绵阳举办，来自各地的选手同台竞技。",
    "大国工匠刘争带领团队攻克发动机喷管内壁加工难题。",
    "全国劳动模范和先进工作者表彰大会在北京隆重举行。",
    "新就业形态劳动者入会集中行动在多地同步开展。",
    "职工医保个人账户跨省共济规程印发，近亲属可共用。",
    "中国工会第十八次全国代表大会在京开幕。",
    "全国人大常委会启动工会法执法检查，检查组分赴各地。",
    "女职工技能提升行动启动，各地开展岗位练兵。",
    "家政服务职业技能专项培训行动启动，面向有意愿的劳动者。",
    "英国运输工会举行新一轮罢工，要求提高薪资待遇。",
    "最美职工先进事迹发布，十位同志光荣入选。",
    "产业工人队伍建设改革重点任务明确，培养高技能人才。",
    "外头的工地上，工人们顶着烈日打工。",
  ].map((text, n) => ({ id: `other-${n}`, title: text.slice(0, 12), date: `2025-0${(n % 9) + 1}-10`, text })),
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2026-09-01" })).engine();
});

describe("a number or date stated of the thing asked", () => {
  // 现在 and 最新 ask for the latest: the 2024 report, found first, states its own count beside 工会驿站.
  it("answers a count worded the member's way, from the newest report stating it (一共建了, 要最新的数字)", async () => {
    const a = await engine.ask("全国现在一共建了多少个工会驿站？要最新的数字");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("18.61万个");
    expect(a.citations[0]?.storyId).toBe("stations");
  });

  it("answers a date worded the member's way (护着他们, 从哪天开始算数)", async () => {
    const a = await engine.ask("过了退休岁数还干活的人，国家出了个专门护着他们的规定，从哪天开始算数？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("2026年7月1日");
    expect(a.citations[0]?.storyId).toBe("rules");
  });

  it("not when the passage shares little else with the question (bottles of water at a station)", async () => {
    const a = await engine.ask("外卖小哥在工会驿站里一共能领多少瓶免费矿泉水？");
    expect(a.abstained).toBe(true);
    expect(a.answer).not.toContain("18.61万个");
  });

  it("does not take a number the passage says of something else (120万名 job seekers, not 工会驿站)", async () => {
    const a = await engine.ask("春风行动一共动员了多少个工会驿站？");
    expect(a.abstained).toBe(true);
    expect(a.answer).not.toContain("120万名");
  });
});

describe("a count of the thing asked", () => {
  // The story holds a count (3000多户) and the question's things, but no count in 斤.
  it("is not a count in another measure (多少斤瓜子 against 3000多户)", async () => {
    const a = await engine.ask("陈燕芳团队选出来的向日葵新品种一亩地能收多少斤瓜子？");

    expect(a.abstained).toBe(true);
    expect(a.answer).not.toContain("3000多户");
  });

  it("is not answered by a story none of whose paragraphs gives a count", async () => {
    const a = await engine.ask("中国一重给总书记写信的产业工人代表一共几个人？");
    expect(a.abstained).toBe(true);
  });

  it("is read in the thing's own word (9部门 for 几个部门) or as people (5000多名 for 多少工人)", async () => {
    const departments = await engine.ask("2025年春暖农民工服务行动是几个部门联合启动的？");
    expect(departments.answer).toContain("9部门");
    const workers = await engine.ask("中国企业接手的斯梅戴雷沃钢厂保住了多少工人的饭碗？");
    expect(workers.answer).toContain("5000多名");
  });
});

describe("a year left in a question to dated news", () => {
  it("is the story's comparison, not a name it must print (比2025年 in a story saying 比去年)", async () => {
    const a = await engine.ask("2026年职工马拉松比2025年提前了多少天？");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain("12天");
  });
});

describe("a member telling who they are", () => {
  // 五十多, 外头, 打工 describe the asker; weighed in full they outweighed what is asked.
  it("weighs half the words said only of themself, so the rule asked about is found", async () => {
    const a = await engine.ask("我五十多了还在外头打工，听说上面不让因为年纪大就把我们清退，这是哪些部门发的文件？");
    expect(a.abstained).toBe(false);
    expect(a.citations[0]?.storyId).toBe("older-workers");
  });
});
