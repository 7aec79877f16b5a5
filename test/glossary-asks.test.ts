import { describe, expect, it } from "vitest";
import { answerPhrases, askedFor, countAsked, givesCount, quantityAsked, statesNear } from "../src/answer/asks.js";
import { DEFAULT_GLOSSARY } from "../src/config.js";
import { CorpusError } from "../src/errors.js";
import { editionForms } from "../src/search/edition.js";
import { bookTitles, createEvidenceScorer } from "../src/search/evidence.js";
import { loadGlossary, parseGlossary } from "../src/search/glossary.js";
import { createSegmenter } from "../src/search/segment.js";

describe("the glossary", () => {
  it("finds terms in a question, longest first, each with its concept", () => {
    const g = parseGlossary("# comment\n全国总工会|全总\n外卖配送员|外卖小哥|外卖\n", "g.txt");
    expect(g.size).toBe(5);
    expect(g.find("全总给外卖小哥送清凉")).toEqual([
      { term: "外卖小哥", concept: ["外卖配送员", "外卖小哥", "外卖"] },
      { term: "全总", concept: ["全国总工会", "全总"] },
    ]);
    expect(g.find("工会会员")).toEqual([]);
  });

  it("does not find a term that straddles two of the question's words", async () => {
    const g = parseGlossary("国有企业|国企\n全国总工会|全总\n", "g.txt");
    // 中国/企业: 国企 starts inside 中国 and ends inside 企业.
    expect(g.find("中国企业接手钢厂", new Set([0, 2, 4, 6, 8]))).toEqual([]);
    expect(g.find("中国企业接手钢厂")).toHaveLength(1);
    // One edge on a word's edge is enough: 全/总编 still holds 全总.
    expect(g.find("全总编的书", new Set([0, 1, 3, 4, 5]))).toEqual([{ term: "全总", concept: ["全国总工会", "全总"] }]);
    // Through the question's own segmentation, as evidence is judged.
    const scorer = createEvidenceScorer(createSegmenter(), { idf: () => 1 }, g);
    expect(scorer.terms("塞尔维亚那家让咱们中国企业接手的钢厂").alternatives?.has("国企")).toBe(false);
    expect(scorer.terms("那家国企接手了钢厂").alternatives?.get("国企")).toEqual(["国有企业"]);
  });

  it("finds a term whatever the case of its Latin letters (ai for AI), as the news is matched", () => {
    const g = parseGlossary("人工智能|AI\n国内生产总值|GDP\n", "g.txt");
    expect(g.find("ai会取代产业工人吗")).toEqual([{ term: "ai", concept: ["人工智能", "AI"] }]);
    expect(g.find("今年GDP增长多少").map((h) => h.term)).toEqual(["gdp"]);
    const scorer = createEvidenceScorer(createSegmenter(), { idf: () => 1 }, g);
    const terms = scorer.terms("ai培训班办了几期？");
    expect(terms.alternatives?.get("ai")).toContain("人工智能");
    expect(scorer.coverage(terms, "市总工会举办人工智能培训班。")).toBeGreaterThan(scorer.coverage(terms, "市总工会举办培训班。"));
  });

  it("does not find a term that only opens a longer word (老师 in 老师傅), but finds one ending it", () => {
    const g = parseGlossary("教师|老师\n全国总工会|全总\n市总工会|市总\n", "g.txt");
    // 那位/老师傅/的: 老师 starts on a word's edge but ends inside the same word.
    expect(g.find("那位老师傅的徒弟", new Set([0, 2, 5, 6, 8]))).toEqual([]);
    expect(g.find("那位老师的学生", new Set([0, 2, 4, 5, 7]))).toHaveLength(1);
    // 北京市总工会 is one word to jieba: 市总工会 ends it, and is there.
    expect(g.find("北京市总工会主席是谁", new Set([0, 6, 8, 9, 10]))).toEqual([{ term: "市总工会", concept: ["市总工会", "市总"] }]);
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) }, g);
    const terms = scorer.terms("给神舟飞船装太阳能板的那位老师傅叫什么？");
    expect(terms.alternatives?.has("老师")).toBe(false);
    // 老师傅 is how a member calls someone, not a name a passage must print.
    expect(terms.names).not.toContain("老师傅");
  });

  it("names to a member only words they wrote: not a fragment jieba glued (要评, 能休), nor one holding a question word", () => {
    // An index that holds none of these words.
    const scorer = createEvidenceScorer(createSegmenter(), { idf: () => 9 });
    const named = (q: string) => scorer.nameable(scorer.terms(q));
    expect(scorer.unseen(scorer.terms("今年国家要评多少个乡村工匠名师？"))).toContain("要评");
    expect(named("今年国家要评多少个乡村工匠名师？")).not.toContain("要评");
    expect(named("女职工产假一共能休多少天？")).toEqual(expect.arrayContaining(["产假"]));
    expect(named("女职工产假一共能休多少天？")).not.toContain("能休");
    expect(named("这个计划由谁来主持？")).not.toContain("由谁来");
    // Words and names it does not know stay nameable: 会费 is a word, 佩内塔 a name.
    expect(named("工会会费是按工资的百分之几交？")).toEqual(expect.arrayContaining(["会费"]));
    expect(named("佩内塔擅长什么战术？")).toContain("佩内塔");
  });

  it("keeps the head of a word a glossary term ends as a word of its own (上海 of 上海市总工会)", async () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : w === "北京" ? 1 : 4) }, await loadGlossary(DEFAULT_GLOSSARY));
    const shanghai = scorer.terms("上海市总工会今年举办了哪些劳动竞赛？");
    expect(shanghai.alternatives?.has("市总工会")).toBe(true);
    expect(shanghai.names).toContain("上海");
    expect(scorer.missingNames(shanghai, "北京市总工会举办职工劳动竞赛。")).toEqual(["上海"]);
    // 北京 in a Beijing paper is the setting: a word, not a name a passage must hold (the role asked, 主席, is one).
    expect(scorer.terms("北京市总工会主席是谁？").names).toEqual(["主席"]);
  });

  it("weighs nothing of the member's own (我爸, 家里人): a refusal named 我爸 as a word the news lacks", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const old = scorer.terms("我爸过了退休年龄还在工地上干活，有什么规定？");
    expect(old.words.has("我爸")).toBe(false);
    expect(scorer.unseen(old)).not.toContain("我爸");
    const family = scorer.terms("医保个人账户里的钱能给家里人用吗？");
    expect(family.names).not.toContain("家里人");
    expect(family.words.has("个人账户")).toBe(true);
  });

  it("requires an edition as a name (第三届, 十九号), not a word that only ends like one (外号) nor a question (第几届)", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : w === "外号" || w === "几届" || w === "十九号" ? 9 : 3) });
    const nickname = scorer.terms("那位航天老师傅外号叫什么？");
    expect(nickname.names).not.toContain("外号");
    expect(scorer.terms("送外卖是第几届开始有的工种？").names).toEqual([]);
    expect([...scorer.terms("送外卖是第几届开始有的工种？").words.keys()]).not.toContain("几届");
    expect(scorer.terms("第三届大国工匠创新交流大会在哪开？").names).toContain("第三届");
    expect(scorer.terms("十九号文件讲了什么？").names).toContain("十九号");
  });

  it("weighs 一共 as wording, as 总共: jieba tags it an abbreviation, and it weighed as the rarest thing asked", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : w === "一共" || w === "总共" ? 6 : 3) });
    const terms = scorer.terms("全国一共建成了多少个工会驿站？");
    expect(terms.words.get("一共")).toBe(3);
    expect(scorer.terms("全国总共建成了多少个工会驿站？").words.get("总共")).toBe(3);
    expect(terms.topics).not.toContain("一共");
  });

  it("takes the noun of a pronoun compound no passage holds as a thing asked (本剧 → 剧)", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" || w === "此剧" ? 9 : 3) });
    const terms = scorer.terms("此剧的制作人是谁？");
    expect(terms.words.get("剧")).toBe(3);
    expect(terms.topics).toContain("剧");
    expect(terms.words.has("此剧")).toBe(false);
  });

  it("tells a quantity or a span asked (涨多少, 多高, 多大岁数, 几天) from a count of things (多少人, 多少个驿站)", () => {
    for (const q of ["要求工资涨多少？", "抽成最高不能超过多少", "这座塔有多高？", "他今年多大岁数了？", "获奖者的平均年龄是多少", "罢工持续了几天？", "干了多少年"]) expect(quantityAsked(q), q).toBe(true);
    for (const q of ["评了多少人？", "全国建了多少个工会驿站？", "拨了多少资金", "近几年全国建了多少个驿站？", "这几天有多少人报名"]) expect(quantityAsked(q), q).toBe(false);
    // A word the unit opens is no span (年轻, 天然气, 月饼, 年级), nor a time the question is set in (过去几年).
    for (const q of ["有多少年轻职工参加了技能大赛？", "今年进口了多少天然气？", "送了多少月饼？", "读到几年级", "过去几年建了多少个工会驿站？"]) expect(quantityAsked(q), q).toBe(false);
    // How long, answered only by a span of time: `一年多`, `3周` too.
    expect(answerPhrases("number", "地铁5号线建设用了一年多时间。", "地铁5号线建设用了多长时间？")).toEqual(["一年多"]);
    expect(answerPhrases("number", "罢工持续3周，影响了200个航班。", "罢工持续了几个星期？")).toEqual(["3周"]);
    // How old by an age, how high or deep by a measure: `五部门` and `3个` are neither.
    expect(answerPhrases("number", "人社部等五部门出台规定，明确年满60岁的劳动者为超龄劳动者。", "多大岁数算超龄劳动者？")).toEqual(["60岁"]);
    expect(answerPhrases("number", "人社部等五部门联合出台规定。", "多大岁数算超龄劳动者？")).toEqual([]);
    expect(answerPhrases("number", "设计井深7770米，共3个井段。", "这口井打了多深？")).toEqual(["7770米"]);
    // A span of time is no depth either.
    expect(answerPhrases("number", "20多个小时后，终于打捞成功。", "这口井最后打到了多深？")).toEqual([]);
    // A month is when, never the amount asked, alone or with its part (`7月`, `7月底`, `12月份`); `3个月` is a span.
    expect(answerPhrases("number", "今年7月，工会为一线职工发放了防暑降温费。", "防暑降温费标准是多少？")).toEqual([]);
    expect(answerPhrases("number", "每人每月发放300元，7月底前发完，12月份补发。", "防暑降温费标准是多少？")).toEqual(["300元"]);
    expect(quantityAsked("他今年多少岁？")).toBe(true);
    // A count asked beside words that only look like an age or a size (a review found them): 十几岁, 更多高技能, 许多重大.
    expect(answerPhrases("number", "全国已建成技能大师工作室1000个。", "为了培养更多高技能人才，全国建了多少个技能大师工作室？")).toEqual(["1000个"]);
    expect(answerPhrases("number", "他先后带出了48个徒弟。", "那个十几岁就进厂的老师傅，一共带出了多少个徒弟？")).toEqual(["48个"]);
    expect(answerPhrases("number", "今年开工的重大工程有120个。", "许多重大工程今年开工了多少个？")).toEqual(["120个"]);
    expect(answerPhrases("number", "产业园现有厂房5000平方米。", "这个产业园现在规模多大了？")).toEqual(["5000平方米"]);
    // A count asked beside the span: either answers, the count is not filtered away.
    expect(answerPhrases("number", "张国庆在矿山干了30年，带出48个徒弟。", "张国庆在矿山干了多少年，带出多少个徒弟？")).toContain("48个");
    // How long, answered only by a span of time.
    expect(answerPhrases("number", "受此影响，英国14家铁路公司停运，罢工持续了3天。", "罢工持续了几天？")).toEqual(["3天"]);
    expect(answerPhrases("number", "受此影响，英国14家铁路公司停运。", "罢工持续了几天？")).toEqual([]);
  });

  it("finds a Latin word of the question in a passage whatever its case (jieba lowercases the question's: jaxr for JAXR)", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const terms = scorer.terms("JAXR是什么？");
    const passage = "JAXR（Java API for XML Registries）是为Java平台上的应用程序定义的API。";
    expect(scorer.coverage(terms, passage)).toBe(1);
    expect(scorer.holdsTopic(terms, passage)).toBe(true);
    expect(scorer.coverage(scorer.terms("POWER6什么时候推出的？"), "POWER6是IBM于2007年推出的微处理器。")).toBe(1);
  });

  it("keeps a noun character an unseen compound's parts leave out (男 of 男主角, 性 of 重要性), and no other", () => {
    const unseen = new Set(["\u0000never-indexed", "男主角", "重要性", "本科毕业"]);
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (unseen.has(w) ? 9 : 3) });
    const actor = scorer.terms("独孤剑是哪部电视剧的男主角？");
    expect(actor.words.get("主角")).toBe(3);
    expect(actor.words.get("男")).toBe(3);
    // A passage about a 女主角 holds 主角, not 男.
    expect(scorer.coverage(actor, "她是这部电视剧的女主角。")).toBeLessThan(0.5);
    expect(scorer.terms("其地理位置的重要性体现在哪些方面？").words.get("性")).toBe(3);
    // Not of a word jieba does not know: a name glued to the next word's first character (李桂英区).
    const glued = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" || w === "李桂英区" ? 9 : 3) }).terms("李桂英区工会主席是谁？");
    expect(glued.words.has("区")).toBe(false);
    // Both ends covered by the parts: nothing more to weigh (本科 and 毕业).
    const graduate = scorer.terms("他本科毕业于哪所大学？").words;
    expect(graduate.get("本科")).toBe(3);
    expect(graduate.has("本") || graduate.has("业")).toBe(false);
  });

  it("weighs no character glued to 个 or 了个 (有个, 歇个, 搞了个), though a name glued to it still weighs; reads 东西 (things) as no place", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" || w === "有个" || w.startsWith("陈红") || w === "红个" ? 9 : 3) });
    const terms = scorer.terms("航天科技集团有个工艺师，他有几项国家专利？");
    expect(terms.words.has("有个")).toBe(false);
    expect(terms.words.has("工艺师")).toBe(true);
    // Nor one glued to 了个, which jieba tags as a noun (搞了个).
    const scorerAll = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" || ["搞了个", "搞了", "了个"].includes(w) ? 9 : 3) });
    expect(scorerAll.terms("听说国家搞了个专门的培训，一年培训多少人？").words.has("搞了个")).toBe(false);
    // jieba glues an unknown name to 个: the name no passage holds still weighs, toward a refusal.
    expect(scorer.terms("工会给了陈红个奖吗？").words.has("陈红个")).toBe(true);
    expect(scorer.terms("那个顺路给乡亲捎东西的司机是谁？").names ?? []).not.toContain("东西");
  });

  it("weighs no demonstrative of time (过年那阵子, 那阵儿, 这段时间), which jieba tags as names", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const terms = scorer.terms("送温暖一共安排多少钱，过年那阵子用了多少？");
    expect(terms.words.has("那阵子")).toBe(false);
    expect(terms.names ?? []).not.toContain("那阵子");
    expect(terms.words.has("送温暖")).toBe(true);
    expect(scorer.terms("那段时间工会发了多少慰问金？").names ?? []).not.toContain("段时间");
    expect(scorer.terms("疫情那阵儿谁来送饭？").names ?? []).not.toContain("那阵儿");
  });

  it("finds no glossary term after one character of a word (家人 in 客家人, 规则 in 潜规则), and keeps a place a term starts in", async () => {
    const g = await loadGlossary(DEFAULT_GLOSSARY);
    // 客家人/过年/吃/什么 and 外卖/行业/有/哪些/潜规则.
    expect(g.find("客家人过年吃什么", new Set([0, 3, 5, 6, 8]))).toEqual([]);
    expect(g.find("外卖行业有哪些潜规则", new Set([0, 2, 4, 5, 7, 10])).map((h) => h.term)).not.toContain("规则");
    // 全国工会/驿站: a colloquial cut across a word's edge still holds 工会驿站.
    expect(g.find("全国工会驿站建了多少", new Set([0, 4, 6, 8, 10])).map((h) => h.term)).toContain("工会驿站");
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) }, g);
    // 在/湖北省/外/务工: 省外 (another province) starts inside 湖北省, which is still named.
    expect(scorer.terms("在湖北省外务工的人员有多少？").names).toContain("湖北");
    // 异地 (elsewhere, even within a province) is not 跨省.
    expect(g.find("省内异地就医要备案吗").flatMap((h) => h.concept)).not.toContain("跨省");
    // A plan as members ask it (打算) is the news' 计划: a report saying 计划 covers the question.
    const plan = scorer.terms("国家一年打算培训多少人？");
    expect(plan.alternatives?.get("打算")).toContain("计划");
    expect(scorer.coverage(plan, "六部门计划每年培训150万人次。")).toBeGreaterThan(scorer.coverage(scorer.terms("国家一年设想培训多少人？"), "六部门计划每年培训150万人次。"));
    // The words held are those coverage counts, a glossary term held in the news' wording.
    expect(scorer.held(plan, "六部门计划每年培训150万人次。").sort()).toEqual(["培训", "打算"]);
    expect(scorer.held(plan, "上半年全国完成职业技能培训512万人次。")).toEqual(["培训"]);
  });

  it("weighs no form of address (那位大姐, 师傅) and no demonstrative glued to a character (那回)", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : w === "大姐" || w === "那回" ? 9 : 3) });
    const sister = scorer.terms("从家政员干成全国人大代表的那位大姐提了什么建议？");
    expect(sister.words.has("大姐")).toBe(false);
    expect(sister.words.has("建议")).toBe(true);
    expect(scorer.terms("青岛港开铲车的那个师傅叫什么？").words.has("师傅")).toBe(false);
    const strike = scorer.terms("英国运输工会罢工那回，他们要求什么？");
    expect(strike.words.has("那回")).toBe(false);
    expect(strike.words.has("罢工")).toBe(true);
  });

  it("takes the question's things as its topics, not its names or wording, and finds them with their glossary wordings", () => {
    const idf = (w: string) => (w === "\u0000never-indexed" ? 9 : w === "广州市" ? 6 : 3);
    const scorer = createEvidenceScorer(createSegmenter(), { idf }, parseGlossary("工会驿站|户外劳动者驿站\n", "g.txt"));
    const terms = scorer.terms("广州市现在一共有多少个工会驿站？");
    expect(terms.topics).toEqual(["工会驿站"]);
    expect(scorer.holdsTopic(terms, "全国总工会在广州市启动工会帮就业行动，提供岗位500万个。")).toBe(false);
    expect(scorer.holdsTopic(terms, "广州市开放户外劳动者驿站300多家。")).toBe(true);
    // A thing most passages hold (工会 here) tells no story from another: it is no topic.
    const common = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : w === "工会" ? 0.5 : w === "广州市" ? 6 : 3) });
    expect(common.terms("广州市工会有多少个驿站？").topics).not.toContain("工会");
    // A question of names and wording alone has no topic to miss.
    expect(scorer.holdsTopic(scorer.terms("广州市在哪里？"), "北京市。")).toBe(true);
  });

  it("weighs no question word, nor a fragment jieba glued to one (在哪开的 → 哪开), nor a filler", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 1) });
    for (const q of ["表彰大会在哪开的？", "劳模有哪些？", "工会会费交多少？", "今年两会打算提啥建议？", "实地检查去了哪几个省市？"]) {
      const words = [...scorer.terms(q).words.keys()];
      expect(words.length).toBeGreaterThan(0);
      expect(words.filter((w) => /[哪咋啥]|多少/.test(w))).toEqual([]);
    }
    // 哪几个 (jieba's one word) asks; the word after it names the kind of answer and weighs half.
    expect(scorer.terms("实地检查去了哪几个省市？").words.get("省市")).toBe(0.5);
    // Nor the fillers voice input keeps.
    expect([...scorer.terms("那个就是说送清凉然后是什么时候开始的啊").words.keys()].sort()).toEqual(["开始", "清凉", "送"].sort());
  });

  it("does not require a name most passages share: it is the news' setting", () => {
    const idf = (w: string) => ({ 中国: 1.2, 塞尔维亚: 5, 钢厂: 4.5 })[w] ?? (w === "\u0000never-indexed" ? 7 : 3);
    const scorer = createEvidenceScorer(createSegmenter(), { idf });
    const terms = scorer.terms("塞尔维亚的钢厂让中国企业接手以后怎么样了？");
    expect(terms.names).toEqual(["塞尔维亚"]);
    expect(scorer.missingNames(terms, "塞尔维亚的钢厂在中资企业投资后扭亏为盈。")).toEqual([]);
    expect(scorer.missingNames(terms, "英国的钢厂工人举行罢工。")).toEqual(["塞尔维亚"]);
  });

  it("does not take a form of address jieba tags as a name (师傅/nr) for a name a passage must hold", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const terms = scorer.terms("那位女焊工师傅在济南带出了多少个徒弟？");
    expect(terms.names).toEqual(["济南"]);
    expect(scorer.missingNames(terms, "济南的孙景南先后带出了600多名徒弟。")).toEqual([]);
    // Nor does it weigh: it is how the member calls the person the rest of the question describes.
    expect(terms.words.has("师傅")).toBe(false);
    expect(terms.words.has("徒弟")).toBe(true);
  });

  it("requires the edition a question names, though another story holds it (第三届 is not 第二届)", () => {
    // Every word is known to the index, 第三届 included (another event's third edition).
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const terms = scorer.terms("第三届大国工匠创新交流大会在哪个城市举办？");
    expect(terms.names).toContain("第三届");
    expect(scorer.missingNames(terms, "第二届大国工匠创新交流大会暨大国工匠论坛开幕。")).toContain("第三届");
    expect(scorer.missingNames(terms, "第三届大国工匠创新交流大会在武汉开幕。")).toEqual([]);
    // 第一次 is the first time, not an edition.
    expect(scorer.terms("第一次评选大国工匠是哪年？").names).not.toContain("第一次");
    // Written with digits (which jieba cuts apart) or numerals, either form in the passage holds it.
    expect(scorer.missingNames(terms, "第3届大国工匠创新交流大会在武汉开幕。")).toEqual([]);
    const digits = scorer.terms("第18届执委会选出了谁？");
    expect(digits.names).toContain("第18届");
    expect(scorer.missingNames(digits, "会议选举产生了第十八届执行委员会。")).toEqual([]);
    expect(scorer.missingNames(digits, "会议选举产生了第十七届执行委员会。")).toEqual(["第18届"]);
    expect(editionForms("第二十一届")).toEqual(["第二十一届", "第21届"]);
    // A year in digits too (in undated text; dated news reads it as time first), not a count of years.
    const year = scorer.terms("在2004年世锦赛中，她击败了哪两个运动员？", { yearsAsNames: true });
    expect(scorer.missingNames(year, "2007年世锦赛，她赢得一面铜牌。")).toEqual(["2004"]);
    expect(scorer.missingNames(year, "2004年世锦赛，她击败了两名对手。")).toEqual([]);
    expect(scorer.terms("在2004年世锦赛中，她击败了哪两个运动员？").names).not.toContain("2004");
    for (const q of ["坚守岗位20年的劳模是谁？", "1990年代的劳模是谁？", "有1500年历史的古镇在哪？"]) {
      expect((scorer.terms(q, { yearsAsNames: true }).names ?? []).filter((n) => /\d/.test(n)), q).toEqual([]);
    }
    expect(editionForms("第5期")).toEqual(["第5期", "第五期"]);
    // A batch too: the seventh batch of new occupations does not answer for the eighth.
    const batch = scorer.terms("人社部第八批新职业都有哪些？");
    expect(batch.names).toContain("第八批");
    expect(scorer.missingNames(batch, "人力资源社会保障部公示第七批新职业名单。")).toEqual(["第八批"]);
    expect(scorer.missingNames(batch, "人力资源社会保障部公示第8批新职业名单。")).toEqual([]);
    // 第一批 is "the first to", not an edition a passage must print.
    expect(scorer.terms("哪些人成了第一批受益的职工？").names).not.toContain("第一批");
  });

  it("requires the role whose holder is asked (馆长是谁, 组长是哪位): a passage naming no curator does not answer", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const curator = scorer.terms("汉口中华全国总工会旧址纪念馆的馆长是谁？");
    expect(curator.names).toContain("馆长");
    expect(scorer.missingNames(curator, "今天，汉口中华全国总工会旧址纪念馆正式对公众开放。")).toEqual(["馆长"]);
    expect(scorer.missingNames(curator, "汉口中华全国总工会旧址纪念馆馆长张华介绍了展陈内容。")).toEqual([]);
    // Roles jieba tags otherwise (主任 b, 组长 v), by their ending.
    expect(scorer.terms("经费审查委员会的主任是谁？").names).toContain("主任");
    expect(scorer.terms("检查组组长是哪位领导？").names).toContain("组长");
    // Not a name, nor how a member calls someone.
    expect(scorer.terms("许振超是谁？").names ?? []).not.toContain("许振超是");
    expect(scorer.terms("带了600多个徒弟的那位大姐是谁？").names ?? []).not.toContain("大姐");
  });

  it("requires a title named in 《》 as a name: a report of another document sharing its words does not answer", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const terms = scorer.terms("全国总工会那个《农民工数字技能提升方案》，主要从哪几方面来提升？");
    expect(terms.names).toContain("农民工数字技能提升方案");
    expect(scorer.missingNames(terms, "全国总工会印发《女职工数字技能提升方案》，从五方面加大培养力度。")).toEqual(["农民工数字技能提升方案"]);
    expect(scorer.missingNames(terms, "全国总工会印发《农民工数字技能提升方案》，从五方面提升。")).toEqual([]);
    // Its parenthesis may be left out on either side.
    expect(bookTitles("《平台劳动规则和算法协商指引（试行）》是哪几个部门印发的？")).toEqual(["平台劳动规则和算法协商指引"]);
    const trial = scorer.terms("《平台劳动规则和算法协商指引》是哪几个部门印发的？");
    expect(scorer.missingNames(trial, "四部门联合印发《平台劳动规则和算法协商指引（试行）》。")).toEqual([]);
  });

  it("weighs no span of numbers (1-3 of 1-3月) and no 近几年: they say when, which no passage need print", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    expect([...scorer.terms("今年1-3月全市城镇新增就业多少人？").words.keys()]).not.toContain("1-3");
    expect([...scorer.terms("近几年工会为农民工做了什么？").words.keys()]).not.toContain("近几年");
    expect([...scorer.terms("4x100米接力创造了什么纪录？").words.keys()]).toContain("4x100");
  });

  it("holds an edition only where what it is an edition of follows it (the seventh 残疾人 contest is not the seventh 职工 one)", () => {
    const scorer = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 3) });
    const terms = scorer.terms("第七届全国职工职业技能大赛是在哪个省办的？");
    expect(terms.editionsOf?.get("第七届")).toEqual(expect.arrayContaining(["职工", "大赛"]));
    expect(scorer.missingNames(terms, "第七届全国残疾人职业技能大赛6月27日在济南开幕。")).toEqual(["第七届"]);
    expect(scorer.missingNames(terms, "第7届全国职工职业技能大赛决赛在广东举行。")).toEqual([]);
    // A member who drops a word of the long name still names it.
    const shorter = scorer.terms("第八届全国职工技能大赛有哪些工种？");
    expect(scorer.missingNames(shorter, "第八届全国职工职业技能大赛决赛首次设立网约配送员等工种。")).toEqual([]);
    // Elsewhere in the passage the nouns do not make the edition theirs.
    expect(scorer.missingNames(terms, "第七届全国残疾人职业技能大赛开幕。此前的全国职工职业技能大赛已办了六届。")).toEqual(["第七届"]);
    // An edition with one noun or none after it is matched alone, as before.
    expect(scorer.terms("第18届执委会选出了谁？").editionsOf).toBeUndefined();
  });

  it("refuses a malformed line by number, and names an unreadable file", async () => {
    expect(() => parseGlossary("甲|乙\n只有一个词\n", "g.txt")).toThrow(/g\.txt:2: a glossary line lists two or more terms/);
    expect(() => parseGlossary("甲||乙", "g.txt")).toThrow(CorpusError);
    await expect(loadGlossary("/nonexistent/g.txt")).rejects.toThrow(/\/nonexistent\/g\.txt: cannot read the glossary \(ENOENT\)/);
  });

  it("ships a union and labour glossary that loads", async () => {
    const g = await loadGlossary(DEFAULT_GLOSSARY);
    expect(g.size).toBeGreaterThan(200);
    expect(g.find("职代会什么时候开")[0]!.concept).toContain("职工代表大会");
    // A member's family and another province, as the rules on shared medical accounts name them.
    expect(g.find("医保卡里的钱能给外省的爸妈用吗").flatMap((h) => h.concept)).toEqual(expect.arrayContaining(["近亲属", "跨省"]));
    expect(g.find("平台派单那些规矩").flatMap((h) => h.concept)).toContain("规则");
  });
});

describe("what a question asks for", () => {
  it("reads the kind of answer from the question word", () => {
    expect(askedFor("工会驿站有多少个？")).toBe("number");
    expect(askedFor("纪念馆有多大？")).toBe("number");
    expect(askedFor("谁当选了主席？")).toBe("person");
    expect(askedFor("决赛在哪里举行？")).toBe("place");
    expect(askedFor("送清凉什么时候开始？")).toBe("time");
    expect(askedFor("送清凉是什么活动？")).toBeUndefined();
    expect(askedFor("送温暖一共拨了多少钱？")).toBe("money");
    expect(askedFor("帮扶资金有多少？")).toBe("number");
    expect(askedFor("下拨了多少帮扶资金？")).toBe("money");
    expect(askedFor("一共慰问了多少人？")).toBe("number");
    // 几 before any measure word a count takes asks a count, as 多少 does (`几篇采访`, `几本书`, `几件货`).
    for (const q of ["书里一共收了几篇采访？", "出了几本书？", "捎了几件货？"]) expect(askedFor(q)).toBe("number");
    expect(askedFor("帮农民工讨回了多少工钱？")).toBe("money");
    for (const q of ["每人发多少元？", "给了多少块钱", "下拨了多少专项资金？", "一共拨了多少？"]) expect(askedFor(q), q).toBe("money");
    // 几点要求 lists points and 几号线 is a line; 星期几 and 几时 ask when; 几周 and 几小时 how long.
    for (const q of ["总书记提出了几点要求？", "坐几号线能到职工服务中心？"]) expect(askedFor(q), q).toBeUndefined();
    for (const q of ["驿站星期几开放？", "几时开始报名？", "几号开始？"]) expect(askedFor(q), q).toBe("time");
    for (const q of ["培训要几周？", "焊了几小时？"]) expect(askedFor(q), q).toBe("number");
    expect(askedFor("规模以上企业有哪些？")).toBeUndefined();
    // The verbs that give money give things and time too; 块 counts medals.
    for (const q of ["发放了多少份慰问品？", "安排了多少岗位？", "花了多少时间？", "得了多少块奖牌？", "多少人领到了补贴？"]) expect(askedFor(q), q).toBe("number");
    // 好几天, 十几年: several days, a dozen years, said by the member, not asked.
    expect(askedFor("天太热工地停了好几天，老板能扣工资吗？")).toBeUndefined();
    expect(askedFor("十几年如一日给乡亲捎东西的司机是谁？")).toBe("person");
    for (const q of ["这几年工会做了什么？", "近几年工会驿站发展怎么样？", "那几天工会做了什么？", "如何培养更多高技能人才？", "许多重大工程是怎么建成的？"]) expect(askedFor(q), q).toBeUndefined();
  });

  it("reads an hour in words only for 几点: `两点` is also two points", () => {
    expect(answerPhrases("time", "凉茶铺每天清晨六点开门。", "凉茶铺几点开门？")).toEqual(["六点"]);
    expect(answerPhrases("time", "会议提出两点要求。", "会议什么时候召开？")).toEqual([]);
    expect(answerPhrases("time", "发布仪式于21时播出。", "发布仪式什么时候播出？")).toEqual(["21时"]);
  });

  it("finds phrases of that kind the question does not already hold", () => {
    expect(answerPhrases("number", "今天（11月17日），纪念馆总建筑面积3160平方米。", "纪念馆有多大？")).toEqual(["3160平方米"]);
    expect(answerPhrases("number", "今天（11月17日），纪念馆正式开放。", "纪念馆有多大？")).toEqual([]);
    expect(answerPhrases("number", "共有二十四支队伍参赛。", "有多少支队伍？")).toEqual(["二十四支"]);
    // Any measure word after digits (箱 is not in the list), but not a date's or a clock's unit.
    expect(answerPhrases("number", "2003年4月27日，团队创造了每小时339箱的纪录。", "每小时多少箱？")).toEqual(["339箱"]);
    expect(answerPhrases("number", "会议于8时开始。", "开了多少天？")).toEqual([]);
    // Latin units after digits, and the bodies and parts news counts in numerals (四部门, 五方面).
    expect(answerPhrases("number", "土地面积为1.601 km²，身高182CM。", "面积是多少？")).toEqual(["1.601 km²", "182CM"]);
    expect(answerPhrases("number", "全国总工会等四部门联合印发方案，从五方面加大培养力度。", "从几个方面来抓？")).toEqual(["四部门", "五方面"]);
    // Not any letters after digits (5G, 4K), nor 一方面 (on the one hand).
    expect(answerPhrases("number", "依托5G网络和4K屏幕，一方面方便职工，另一方面方便企业。", "有多少？")).toEqual([]);
    expect(answerPhrases("money", "全总下拨资金9.55亿元，支持1842个项目，人均2000元。", "拨了多少钱？")).toEqual(["9.55亿元", "2000元"]);
    expect(answerPhrases("money", "2026年1月，全总启动送温暖行动，走访慰问1842户。", "拨了多少钱？")).toEqual([]);
    expect(answerPhrases("time", "活动于2024年6月启动。", "什么时候启动？")).toEqual(["2024年6月"]);
    // News says when by its own date: 近日 in a report of 2026-06-29.
    expect(answerPhrases("time", "近日，全国总工会印发通知，部署开展工会送清凉活动。", "送清凉什么时候开始？")).toEqual(["近日"]);
    expect(answerPhrases("place", "决赛在陕西省西安市举行。", "决赛在哪里举行？")[0]).toContain("西安市");
  });

  it("does not take a span of time for the count of things asked (几个工人 is not answered by 十年来)", () => {
    const sentence = "牢记嘱托，十年来，8名职工代表给总书记写信，3个月后收到回信。";
    expect(answerPhrases("number", sentence, "是几个工人写的信？")).toEqual(["8名"]);
    expect(answerPhrases("number", "两个多月的时间里，用人单位提供岗位1413.5万个。", "发布了多少岗位？")).toEqual(["1413.5万个"]);
    expect(answerPhrases("number", "黎明公司十年来取得新突破。", "是几个工人写的信？")).toEqual([]);
    // A span asked (多少天, 几个小时) or a bare 多少 still takes it.
    expect(answerPhrases("number", sentence, "过了几个月收到回信？")).toContain("3个月");
    expect(answerPhrases("number", sentence, "用了多少天？")).toContain("十年");
  });

  it("takes a list of short names as the persons a 谁 asks for", () => {
    expect(answerPhrases("person", "李晓宝、朱先波、管益辉等10人当选年度人物。", "年度人物都有谁？")).toEqual(["李晓宝、朱先波、管益辉"]);
    expect(answerPhrases("person", "特别节目将于今晚在央视综合频道播出。", "年度人物都有谁？")).toEqual([]);
  });

  it("takes a list of concepts for no list of names (劳模精神、劳动精神、工匠精神 answers no 谁), nor a compound for a name", () => {
    const { nameLike } = createEvidenceScorer(createSegmenter(), { idf: () => 1 });
    const lead = "为大力弘扬劳模精神、劳动精神、工匠精神，中央宣传部、全国总工会向全社会发布2026年“最美职工”先进事迹。";
    const list = "高丰、肖素枝、楼雅佳、肖冬样、邓述东、吴琦、杨平原、拉毛叶忠、马丛、桑南才10位同志光荣入选。";
    expect(answerPhrases("person", lead, "今年评出来的“最美职工”都有谁？", nameLike)).toEqual([]);
    expect(answerPhrases("person", "重点关注货车司机、网约车司机、快递员等群体。", "都有谁？", nameLike)).toEqual([]);
    expect(answerPhrases("person", list, "今年评出来的“最美职工”都有谁？", nameLike)[0]).toMatch(/^高丰、肖素枝/);
    expect(answerPhrases("person", "李晓宝、朱先波、管益辉等10人当选年度人物。", "年度人物都有谁？", nameLike)).toEqual(["李晓宝、朱先波、管益辉"]);
    // A bare word before a parenthesis too: a name (莫瓦桑), not a compound jieba knows (铬酰氟).
    expect(answerPhrases("person", "与金属铬反应，则生成铬酰氟（CrOF）。", "硝酰氟首先被谁制成？", nameLike)).toEqual([]);
    expect(answerPhrases("person", "它首先由莫瓦桑（Henri Moissan）于1905年制得。", "硝酰氟首先被谁制成？", nameLike)).toEqual(["莫瓦桑"]);
    // Elsewhere the context says it is a person, whatever jieba makes of the name.
    expect(answerPhrases("person", "方圆，全国总工会主席，出席会议。", "谁出席了会议？", nameLike)).toEqual(["方圆"]);
  });

  it("asks a name with 叫啥 / 叫什么名字, answered by a person's name jieba reads or a designation in quotes", () => {
    const { nameLike } = createEvidenceScorer(createSegmenter(), { idf: () => 1 });
    for (const q of ["这个师傅叫啥？", "大伙儿管他叫啥？", "那位大国工匠叫什么名字？", "叫啥名来着"]) expect(askedFor(q)).toBe("name");
    for (const q of ["以什么名义发的通知？", "他得了什么名次？"]) expect(askedFor(q)).not.toBe("name");
    const q = "华能有个焊工，爬到一百多米高的风机机舱里焊了6个钟头，这个师傅叫啥？";
    // A person, as for 谁: after a title, or 名叫 (jieba does not know most names: 程平/x).
    expect(answerPhrases("name", "我们来认识中国华能集团的高级焊接技师程平。", q, nameLike).join()).toContain("程平");
    expect(answerPhrases("name", "在那里有一位名叫邓兰舟的客运司机。", "开乡村客车的司机叫啥名来着", nameLike).join()).toContain("邓兰舟");
    expect(answerPhrases("name", "乘坐电梯上升80多米后，他们来到了位于110米高空的机舱。", q, nameLike)).toEqual([]);
    expect(answerPhrases("name", "他被同事们称为“帆板王子”。", "大伙儿管他叫啥？", nameLike)).toEqual(["“帆板王子”"]);
    // Not the name the question gives.
    expect(answerPhrases("name", "他被同事们称为“帆板王子”。", "“帆板王子”真名叫什么？", nameLike)).toEqual([]);
  });

  it("answers a count of people (几个人, 多少名) with a number of people or person-times, not of visits or provinces", () => {
    expect(answerPhrases("number", "总书记两次到中国一重考察，走访了6个省。", "写信的产业工人代表一共几个人？")).toEqual([]);
    expect(answerPhrases("number", "桑南才等10位同志光荣入选。", "最美职工选了几个人？")).toEqual(["10位"]);
    expect(answerPhrases("number", "全国五一劳动奖章1462名、全国工人先锋号1183个。", "五一劳动奖章发了多少人？")).toEqual(["1462名"]);
    // The news counts people trained or served in person-times.
    expect(answerPhrases("number", "计划每年培训150万人次，覆盖30个省份。", "一年打算培训多少人？")).toEqual(["150万人次"]);
    // 多少人次 counts visits, not people; 多少人民币 and 多少名额 are no count of people.
    expect(answerPhrases("number", "共济4.64亿人次。", "共济了多少人次？")).toEqual(["4.64亿人次"]);
    expect(answerPhrases("number", "每人每月补贴500元。", "每月补贴多少人民币？")).toEqual(["500元"]);
    expect(answerPhrases("number", "今年新增2000个。", "今年新增多少名额？")).toEqual(["2000个"]);
    // 哪几位 asks who, not how many.
    expect(askedFor("今年最美职工是哪几位？")).toBe("person");
  });

  it("reads where an event was held, written without a place's suffix (在安徽亳州启动)", () => {
    expect(answerPhrases("place", "2026年“春暖农民工”服务行动今天在安徽亳州启动。", "春暖农民工活动是在哪儿启动的？")).toEqual(["安徽亳州"]);
    expect(answerPhrases("place", "活动期间，全国各地将组织专场招聘活动。", "春暖农民工活动是在哪儿启动的？")).toEqual([]);
    // Not an adverb, a time or a locative before the verb, nor the 在 of 正在.
    for (const s of ["大会在北京隆重举行。", "将在近期举办。", "在会上启动。", "在线上举行。", "正在积极筹备召开。"]) expect(answerPhrases("place", s, "在哪举办的？")).toEqual([]);
  });

  it("reads times written as short years, era years, centuries and ages, and keeps durations as amounts", () => {
    expect(answerPhrases("time", "承光元年（577年），元皇后被释放。", "元皇后什么时候被释放？")).toEqual(["元年", "577年"]);
    expect(answerPhrases("time", "自十八岁开始，她一直是冠军。", "她什么时候成为冠军？")).toEqual(["十八岁"]);
    expect(answerPhrases("time", "这座桥建于20世纪90年代。", "这座桥什么时候建的？")).toEqual(["20世纪", "90年代"]);
    // Only calendar dates are kept out of 多少: an age or a number of years is the amount asked.
    expect(answerPhrases("number", "他今年38岁，干了20年，2024年7月10日领到500元。", "有多少？")).toEqual(["38岁", "20年", "500元"]);
  });
});

describe("a number or date stated of the thing asked", () => {
  const stations = "目前，全国已建成工会驿站18.61万个，日服务人次超过230万。";
  it("finds the number beside one of the question's things, on either side", () => {
    expect(statesNear("number", stations, "全国一共建了多少个工会驿站？", ["工会驿站"], 4)).toBe(true);
    expect(statesNear("number", "会议选举产生了由278名委员组成的执行委员会。", "执委会一共多少个委员？", ["委员"], 4)).toBe(true);
  });
  it("counts the characters between them, so a long thing right beside its number is near", () => {
    expect(statesNear("number", "新就业形态劳动者1000万人入会。", "有多少新就业形态劳动者入会？", ["新就业形态劳动者"], 3)).toBe(true);
  });
  it("not across a sentence's end, not a thing inside the number, not an article or a span of years", () => {
    expect(statesNear("time", "五部门出台《超龄劳动者基本权益保障暂行规定》。4月1日，全总召开座谈会。", "那个规定哪天开始算数？", ["规定"], 3)).toBe(false);
    expect(statesNear("number", "从五方面加大培养力度。", "从几个方面来抓？", ["方面"], 3)).toBe(false);
    expect(statesNear("number", "这是一个工会驿站。", "建了多少个工会驿站？", ["工会驿站"], 3)).toBe(false);
    expect(statesNear("time", "工会驿站一年来服务职工。", "工会驿站什么时候建的？", ["工会驿站"], 3)).toBe(false);
  });
  it("not one said of something further along, nor a date read as a number", () => {
    expect(statesNear("number", "各地工会驿站将张贴招聘信息，今年已有120万名劳动者前来求职。", "动员了多少个工会驿站？", ["工会驿站"], 4)).toBe(false);
    expect(statesNear("number", "工会驿站于2025年12月10日全部建成。", "建了多少个工会驿站？", ["工会驿站"], 4)).toBe(false);
    expect(statesNear("number", stations, "全国一共建了多少个工会驿站？", [], 4)).toBe(false);
  });
  it("finds a date beside the thing for a time asked", () => {
    expect(statesNear("time", "《规定》自2026年7月1日起施行。", "那个规定从哪天开始算数？", ["规定"], 4)).toBe(true);
    expect(statesNear("time", "《规定》明确了用人单位的义务，保障劳动报酬、休息休假等权益，2026年7月1日起施行。", "那个规定从哪天开始算数？", ["规定"], 4)).toBe(false);
  });
});

describe("what a count question counts", () => {
  const words = ["光塔", "穆斯林", "时期", "部门", "联合", "工人", "问题", "瓜子", "徒弟", "地方", "调研", "箱", "人次", "家庭", "帮扶", "职工", "参加", "技能", "竞赛", "铁路", "几内亚"];
  it("reads the measure word and the thing: the word after 多少, and the head after a 的", () => {
    expect(countAsked("一亩地能收多少斤瓜子？", words)).toEqual({ measure: "斤", things: ["瓜子"] });
    expect(countAsked("是几个部门联合搞的？", words)).toEqual({ measure: "个", things: ["部门"] });
    expect(countAsked("至今有多少穆斯林统治时期的光塔？", words)).toEqual({ things: ["穆斯林", "光塔"] });
    expect(countAsked("这些年一共救出来多少被困的人", words)).toEqual({ things: ["人"] });
    expect(countAsked("共济了多少人次？", words)).toEqual({ things: ["人次"] });
    expect(countAsked("有多少职工参加了今年的技能竞赛？", words)?.things).toContain("职工");
  });
  it("reads people for a 的 with no noun after it (多少送外卖的被纳入保障)", () => {
    expect(countAsked("有多少送外卖跑快递的被纳进了保障？", [...words, "外卖", "快递", "保障"])?.things).toContain("人");
    expect(countAsked("有多少职工参加了今年的技能竞赛？", words)?.things).not.toContain("人");
    // A noun after the 的 is the thing: provinces, not people.
    expect(countAsked("有多少个省份的就业率超过九成？", [...words, "省份", "就业率"])?.things).toEqual(["省份", "就业率"]);
  });
  it("reads a word the measure word opens as the thing (多少家庭), not the measure", () => {
    expect(countAsked("今年帮扶了多少家庭？", words)).toEqual({ things: ["家庭"] });
  });
  it("reads nothing for people, two counts at once, a bare 多少, or 几 inside a word", () => {
    expect(countAsked("一共有多少人报名？", words)).toBeUndefined();
    expect(countAsked("几家银行降息了？降了多少？", words)).toBeUndefined();
    expect(countAsked("工资涨幅是多少？", words)).toBeUndefined();
    expect(countAsked("在几内亚建的铁路有多长？", words)).toBeUndefined();
    expect(countAsked("这几年职工帮扶了多少家庭？", words)).toEqual({ things: ["家庭"] });
  });
  it("finds a count in the measure asked, holding the thing, of people, or beside the thing", () => {
    expect(givesCount("创造了每小时339箱的世界纪录。", "每小时多少箱？", { measure: "箱", things: [] }, [], 8)).toBe(true);
    expect(givesCount("人社部等9部门联合启动。", "几个部门联合搞的？", { measure: "个", things: ["部门"] }, [], 8)).toBe(true);
    expect(givesCount("保住了5000多名员工的饭碗。", "保住了多少工人的饭碗？", { things: ["工人"] }, [], 8)).toBe(true);
    expect(givesCount("光塔至今仍有30座保存。", "多少光塔？", { things: ["光塔"] }, [], 8)).toBe(true);
    expect(givesCount("他先后到近30个城市调研。", "跑了多少地方调研？", { things: ["地方"] }, [], 8)).toBe(true);
    expect(givesCount("职工书屋藏书三千册。", "藏书多少册？", { measure: "册", things: [] }, [], 8)).toBe(true);
  });
  it("not a count of something else, nor one in another measure", () => {
    expect(givesCount("检查组分为3个小组，将到6个省开展检查。", "一共查出了多少问题？", { things: ["问题"] }, [], 8)).toBe(false);
    expect(givesCount("北屯瓜子畅销海内外，带动当地3000多户农民增收。", "一亩地能收多少斤瓜子？", { measure: "斤", things: ["瓜子"] }, [], 8)).toBe(false);
  });
});

describe("what a question asks", () => {
  it("a time for 什么年份, which an anniversary answers, and only it", () => {
    expect(askedFor("总书记说今年是个什么特别的年份？")).toBe("time");
    expect(askedFor("工会法是哪个年份颁布的")).toBe("time");
    expect(answerPhrases("time", "习近平指出，今年是新中国成立75周年。", "今年是什么年份？")).toContain("75周年");
    expect(answerPhrases("time", "全国总工会举行庆祝成立100周年大会。", "全国总工会是什么时候成立的")).toEqual([]);
    expect(askedFor("为什么这个年份工资涨了")).toBeUndefined();
    expect(askedFor("为什么今年份额少了")).toBeUndefined();
  });

  it("still what a question before a tag asks (你知道吗, 对吗), and not 吗 inside a word", () => {
    expect(askedFor("全国总工会今年拨了多少资金，你知道吗")).toBe("money");
    expect(askedFor("工会驿站一共建了多少个，对吗")).toBe("number");
    expect(askedFor("全总是哪一年成立的，是吗")).toBe("time");
    expect(askedFor("工会帮扶了多少人，其中有吗啡成瘾者")).toBe("number");
  });

  it("not a number told in the member's situation before a yes-or-no question", () => {
    expect(askedFor("天太热工地停了几天，老板说要扣工资，这样合规吗？")).toBeUndefined();
    expect(askedFor("有没有规定平台抽成最高不能超过多少？")).toBe("number");
    expect(askedFor("几家大银行又降存款利息了？降了多少？")).toBe("number");
  });
});
