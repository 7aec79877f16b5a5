import { describe, expect, it } from "vitest";
import { dateAsked, dateGiven, shareAsked, shareGiven } from "../src/answer/asks.js";
import { whatGives } from "../src/answer/gives.js";
import type { QueryTerms } from "../src/search/evidence.js";

const terms = (...words: string[]): QueryTerms => ({ words: new Map(words.map((w) => [w, 1])), exact: [] });

describe("what a text must give to answer a question", () => {
  it("a count of the thing counted, not of something else", () => {
    const gives = whatGives("number", "一亩地能收多少斤瓜子？", terms("一亩", "瓜子"));
    expect(gives("亩产瓜子达到300斤。")).toBe(true);
    expect(gives("北屯瓜子畅销海内外，带动当地3000多户农民增收。")).toBe(false);
  });

  it("a figure for the span of months asked, in the sentence stating it or one after", () => {
    const gives = whatGives("number", "1到7月职工医保个人账户共济了多少人次？", terms("职工", "医保", "共济", "人次"));
    expect(gives("今年1—7月，全国职工医保个人账户共济人次2.31亿。共济金额304.57亿元。")).toBe(true);
    expect(gives("今年1—6月，全国职工医保个人账户共济2亿人次。")).toBe(false);
    expect(gives.forSpan("5年来累计共济超7.8亿人次。")).toBe(false);
  });

  it("a share as a percentage or a fraction, not a figure in another unit", () => {
    const gives = whatGives("number", "女职工占职工总数的比例是多少？", terms("女职工", "职工", "总数"));
    expect(gives("女职工占职工总数的三分之一以上。")).toBe(true);
    expect(gives("女职工占比达39.6%。")).toBe(true);
    expect(gives("女职工占比超4成。")).toBe(true);
    expect(gives("男女职工比例约为1.3:1。")).toBe(true);
    expect(gives("目前全国职工总数4.02亿人左右。")).toBe(false);
    expect(gives("调查显示，女职工已成为职工队伍中的重要力量，共有1.5亿人。")).toBe(false);
  });

  it("a number of days as a span of days, not a day of the month", () => {
    const gives = whatGives("number", "罢工持续了几天？", terms("罢工", "持续"));
    expect(gives("工会13日发起罢工，22日停运。")).toBe(false);
    expect(gives("罢工持续了5天。")).toBe(true);
    expect(gives("企业应在15日内答复工会。")).toBe(true);
  });

  it("a day for which day, a year for which year and an hour for what time, required of a passage that answers by itself", () => {
    const gives = whatGives("time", "他是哪一年当选全国人大代表的？", terms("当选", "全国人大代表"));
    expect(gives.required).toBe(true);
    expect(gives("2018年，他当选全国人大代表。")).toBe(true);
    expect(gives("三年前，他当选全国人大代表。")).toBe(true);
    expect(gives("他当选全国人大代表已经十年。")).toBe(false);
    expect(gives("一年来，他走访了上百个工地。")).toBe(false);
    const day = whatGives("time", "协商指引从哪天开始施行？", terms("协商", "指引", "施行"));
    expect(day.required).toBe(true);
    expect(day("近日，四部门联合印发协商指引。")).toBe(false);
    expect(day("指引自2025年3月1日起施行。")).toBe(true);
    const hour = whatGives("time", "发布仪式几点播出？", terms("发布", "仪式", "播出"));
    expect(hour.required).toBe(true);
    expect(hour("发布仪式将于今晚21时20分在央视科教频道播出。")).toBe(true);
    expect(hour("中央宣传部、全国总工会今年5月向全社会发布先进事迹。")).toBe(false);
    // Other times are not required: a story's date says when a campaign it reports was launched.
    expect(whatGives("time", "送清凉活动什么时候启动的？", terms("送清凉", "活动", "启动")).required).toBe(false);
    expect(whatGives("number", "建了多少个驿站？", terms("驿站")).required).toBe(true);
  });

  it("anything, for a question of another kind", () => {
    const gives = whatGives("person", "主席是谁？", terms("主席"));
    expect(gives("会议在北京举行。")).toBe(true);
    expect(gives.forSpan("会议在北京举行。")).toBe(true);
    expect(gives.required).toBe(false);
  });

  describe("as a review found them misread (each failed before its fix)", () => {
    it("a number of days after or before a word of duration is no day of the month", () => {
      const gives = whatGives("number", "劳动者辞职要提前多少天通知用人单位？", terms("劳动者", "辞职", "通知", "用人单位"));
      expect(gives("劳动者提前30日以书面形式通知用人单位。")).toBe(true);
      expect(whatGives("number", "申请期限最长多少天？", terms("申请", "期限"))("申请期限为30日以上。")).toBe(true);
    });

    it("成本, 成员 and 成果 ask no share; points, 千分之 and 1∶1.2 give one; a clock, 三五成群 and 一成不变 do not", () => {
      for (const q of ["全年节约了多少成本？", "有多少成员单位？", "取得了多少成果？"]) expect(shareAsked(q), q).toBe(false);
      expect(shareAsked("女职工占比提高了几个百分点？")).toBe(true);
      for (const t of ["占比提高了2.3个百分点", "事故率降至千分之五", "男女比例为1∶1.2", "比例约为1.3:1"]) expect(shareGiven(t), t).toBeDefined();
      for (const t of ["晚会19:30开始", "工人们三五成群", "制度一成不变"]) expect(shareGiven(t), t).toBeUndefined();
    });

    it("哪几点 and 几点要求 ask no hour; a decimal and points of a list give none", () => {
      expect(dateAsked("总书记对工会工作提出了哪几点要求？")).toBeUndefined();
      expect(dateAsked("提出了几点要求？")).toBeUndefined();
      expect(dateAsked("发布仪式几点播出？")).toBe("hour");
      expect(dateGiven("增长百分之六点五", "hour")).toBeUndefined();
      expect(dateGiven("会议提出三点建议", "hour")).toBeUndefined();
      expect(dateGiven("凉茶铺清晨六点开门", "hour")).toBe("六点");
    });

    it("a day: not a line's or a document's number, 15日内 or 提前天数; 元旦 and 星期日 are days", () => {
      for (const t of ["近日，地铁3号线正式开通", "中央1号文件发布", "应在15日内答复", "提前天数不少于三天"]) expect(dateGiven(t, "day"), t).toBeUndefined();
      // A number of days is no day: 连续3日, 为期5日, 3日后.
      for (const t of ["连续3日超过40摄氏度", "活动为期5日", "3日后恢复运行"]) expect(dateGiven(t, "day"), t).toBeUndefined();
      expect(dateGiven("7月3日起停工", "day")).toBe("7月3日");
      expect(dateGiven("新规自元旦起施行", "day")).toBe("元旦");
      expect(dateGiven("每年5月的第三个星期日为全国助残日", "day")).toBe("星期日");
      expect(dateGiven("今年以来，新规自3月1日起施行", "day")).toBe("3月1日");
    });

    it("a year: not 今年 inside a word, nor a span of years in digits", () => {
      for (const t of ["如今年轻人都爱上网", "目前年产值过亿", "这座古镇已有600年历史", "建党100年来"]) expect(dateGiven(t, "year"), t).toBeUndefined();
      expect(dateGiven("工厂于1954年组建", "year")).toBe("1954年");
    });
  });
});
