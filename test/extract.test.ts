import { describe, expect, it } from "vitest";
import { aboutAskedYears, askingClause, extractQuotes } from "../src/answer/extract.js";
import { splitSentences } from "../src/passages.js";
import { askedFor } from "../src/answer/asks.js";
import { whatGives } from "../src/answer/gives.js";
import { createEvidenceScorer } from "../src/search/evidence.js";
import { parseGlossary } from "../src/search/glossary.js";
import { createSegmenter } from "../src/search/segment.js";

/** Every word equally rare, so that only the question's words and what a sentence gives tell sentences apart. */
const evidence = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 2) });

describe("the sentences quoted", () => {
  const question = "风区抢险救援队最年轻的90后驾驶员，这些年一共救了多少被困的人？";
  const passages = [{ text: "“90后”驾驶员李长青是风区抢险救援队最年轻的队员，开过3种救援车。", title: "风区抢险救援队" }, { text: "这些年，救援队累计救助被困群众2.5万余人次。", title: "风区抢险救援队" }];
  const terms = evidence.terms(question);
  const asked = askedFor(question);

  it("for a count, the sentence giving the count asked is quoted and bolded, not one numbering something else", () => {
    const quotes = extractQuotes(evidence, terms, passages, question, { askedBonus: 0.3, asked, gives: whatGives(asked, question, terms).inSentence });
    expect(quotes.map((q) => q.emphasis)).toEqual([undefined, "2.5万余人次"]);
  });

  it("without what the question wants of a sentence, any number earns the bonus", () => {
    const quotes = extractQuotes(evidence, terms, passages, question, { askedBonus: 0.3, asked });
    expect(quotes[0]!.emphasis).toBe("3种");
  });
});

describe("the sentence answering a description's question", () => {
  /** A portrait: who she is in the first paragraph, what she proposes this year in the last, after a sentence about last year. */
  const passages = [
    { text: "陈红是山东济南一家建筑企业的油漆工班组长，干了三十多年油漆工，当选全国人大代表。", title: "代表履职故事：陈红" },
    { text: "截至2025年底，山东共打造了310个特色劳务品牌。今年全国两会，陈红打算将“建立农民工返乡就业平台”作为自己的建议重点。", title: "代表履职故事：陈红" },
  ];
  const question = "济南那个干了三十多年油漆工的女人大代表，今年两会打算提啥建议？";
  const terms = evidence.terms(question);

  it("is the one holding the words of the clause that asks, not the one repeating the description", () => {
    const quotes = extractQuotes(evidence, terms, passages, question, { askedBonus: 0.3, asked: askedFor(question) });
    expect(quotes.map((q) => q.sentence).join("")).toContain("建立农民工返乡就业平台");
  });

  it("is not about this year for a 今年 inside another word (如今年轻人, 至今年均)", () => {
    const sentences = ["2023年，新增青年技工12万人。", "如今年轻人学技术的热情高涨，新增青年技工3万人。", "至今年均增长一成。", "今年全国两会，陈红打算提交建议。"].map((sentence) => ({ sentence }));
    expect(aboutAskedYears(sentences, [2025]).map((s) => s.sentence)).toEqual(["今年全国两会，陈红打算提交建议。"]);
    // A year named to compare with is not what the sentence is about.
    const compared = [{ sentence: "今年上半年，全市新增工会会员3万人，比2024年同期增长10%。" }, { sentence: "上半年新增会员较2024年多1万人。" }];
    expect(aboutAskedYears(compared, [2025])).toHaveLength(2);
  });

  it("is about this year when it says 今年, though the sentence before named another year", () => {
    const quotes = extractQuotes(evidence, terms, passages, question, { askedBonus: 0.3, asked: askedFor(question), years: [2026] });
    expect(quotes.map((q) => q.sentence).join("")).toContain("建立农民工返乡就业平台");
  });
});

describe("the clause that asks", () => {
  it("is weighed after a clause describing whom or what it is about, not after one setting the scene", () => {
    expect(askingClause("济南那个干了三十多年油漆工的女人大代表，今年两会打算提啥建议？")).toBe("今年两会打算提啥建议");
    expect(askingClause("那个从浙江农村去上海打工、骑共享单车调研快递外卖的，他今年两会准备提啥建议？")).toBe("他今年两会准备提啥建议");
    expect(askingClause("2008年世界游泳锦标赛中，拉诺米刷新的世界纪录是多少？")).toBeUndefined();
    expect(askingClause("在2006年，阿尔坎塔拉地区的人口数量是多少？")).toBeUndefined();
    expect(askingClause("今年两会打算提啥建议？")).toBeUndefined();
    // 这次, 这个月 set the scene too (a review found them read as descriptions).
    expect(askingClause("在这次技能大赛的焊工决赛中，冠军的成绩是多少？")).toBeUndefined();
    expect(askingClause("这个月，工会发了多少慰问金？")).toBeUndefined();
  });
});

describe("a Latin word of the question", () => {
  it("is found when the glossary or a quote writes it in capitals (AI, CR450)", () => {
    const glossary = parseGlossary("人工智能|AI|智能化\n", "g.txt");
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 2) }, glossary);
    const passage = "AI赋能产业工人，各地工会开展数字技能培训。";
    // 产业工人 and AI (for 人工智能) held, 影响 not.
    expect(scorer.coverage(scorer.terms("人工智能对产业工人有啥影响？"), passage)).toBeCloseTo(0.8);
    expect(scorer.holdsTopic(scorer.terms("AI对产业工人有啥影响？"), passage)).toBe(true);
    expect(scorer.coverage(scorer.terms("“CR450动车组”什么时候试制的？"), "CR450动车组样车试制成功。")).toBe(1);
  });

  it("is found in a sentence whatever its case (jieba lowercases the question's words)", () => {
    const question = "X光检查能发现什么？";
    const passages = [{ text: "常规检查能发现高血压。X光能发现骨折。", title: "体检" }];
    const quotes = extractQuotes(evidence, evidence.terms(question), passages, question, { askedBonus: 0.3 });
    expect(quotes.map((q) => q.sentence)).toContain("X光能发现骨折。");
  });
});

describe("sentences to quote", () => {
  it("keep a quotation with the short clause saying who said it, and split elsewhere as before", () => {
    expect(splitSentences("“这次慰问让我们感受到了工会的温暖！”环卫工人李德明说。工会还将继续开展活动。", { atSemicolons: false })).toEqual([
      "“这次慰问让我们感受到了工会的温暖！”环卫工人李德明说。",
      "工会还将继续开展活动。",
    ]);
    expect(splitSentences("“很好。”记者了解到，活动持续三天。", { atSemicolons: false })).toEqual(["“很好。”", "记者了解到，活动持续三天。"]);
    // Packing long paragraphs for the index is unchanged.
    expect(splitSentences("“好！”他说。")).toEqual(["“好！”", "他说。"]);
  });
});
