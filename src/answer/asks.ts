/**
 * What kind of thing a question asks for, read from its question word, and
 * where a sentence carries one. An answer to 多少 holds a number, to 谁 a
 * person, to 哪里 a place, to 什么时候 a time: a sentence that merely repeats
 * the question's words without one is not the answer.
 */
export type Asked = "money" | "number" | "name" | "person" | "place" | "time";

/** Measure words a count question puts after 多少 or 几 (`多少斤`, `几家`, `几篇`). */
const MEASURE_WORD = "[个位名项家次件条所场座处支批种户套斤箱吨台辆栋层篇艘架块张本棵头只间册份首幅匹枚颗袋瓶]";

const ASKS: readonly (readonly [Asked, RegExp])[] = [
  // An amount of money: 多少钱, 多少元, 多少(专项)资金, 拨了多少 ending the clause (not 发放了多少份慰问品, 安排了多少岗位,
  // 花了多少时间: the verbs give things and time too), nor 多少块奖牌.
  ["money", /多少(?:万|亿)?(?:钱|元)|多少块钱?(?=$|[\s，。？！?!,；;呢啊呀吧])|多少(?![个位名家项次])[^人员工者拿领得到给发有是被的\P{Script=Han}]{0,4}?(?:资金|经费|补贴|津贴|奖金|工资|工钱|薪水|薪酬|欠薪|赔偿金?|罚款|费用|款)|(?:拨|花|投入|安排|筹集|发放|赔|补|奖励?|讨回|追回|追讨)了?多少(?:万|亿)?(?=$|[\s，。？！?!,；;呢啊呀吧]|钱|元)/u],
  // 什么年份 asks which year, or what kind of year (`新中国成立75周年`); not 为什么, nor 今年份额.
  // Not 几号线 (a line), nor 几点要求 (points of a list).
  ["time", /什么时候|何时|哪天|哪一天|哪年|哪一年|几月|几号(?![线楼门院])|什么时间|哪个月|几点(?!要求|建议|意见|希望|措施|内容|体会|经验|做法)|(?:星期|礼拜|周)几|几时|多久以前|啥时候?|(?<!为)(?:什么|啥)[\u4e00-\u9fa5]{0,4}年份(?!额)|哪一?个年份/],
  // Not 哪几位 / 哪几个人, which ask who, nor 好几天, 十几年, 这几年, 那几天, 近几年, 前几天, which say "several"
  // (停了好几天), nor 更多高技能人才, 许多重大工程, where 多 is "many".
  ["number", new RegExp(`多少|(?<![好哪十这那近前])几(?:${MEASURE_WORD}|[年天人元万岁期届千百亿周]|小时|分钟|星期)|(?<![许很更诸众较最])多[大高长重远久深宽厚快]|百分之几|几成|几倍|第几|数量|总数|规模(?!以上|以下|化)`)],
  // What someone or something is called (这个师傅叫啥, 管他叫啥, 叫什么名字): a person's name or a designation in quotes.
  ["name", /叫(?:啥|什么)|名字(?:是|叫)?(?:啥|什么)|(?:啥|什么)名(?:字|称)?(?![义次额堂单])/],
  ["person", /谁|哪位|什么人|何人|哪几位/],
  ["place", /哪里|哪儿|在哪|什么地方|何地|何处|哪个(?:省|市|国家|城市|地区|区|县)|哪座|哪所/],
];

/** A clause asking yes or no: 吗 (not 吗啡), 是否, 有没有, 能不能. */
const YES_OR_NO = /吗(?!啡)|是否|有没有|能不能|可不可以|合不合|是不是/;
/** Question words that always ask, unlike 几, which also says "a few" (`停了几天`). */
const ALWAYS_ASKS = /多少|什么|哪|谁|何|啥|咋|怎/;

/**
 * The kind of answer a question wants, or undefined for 什么/怎么/为什么 questions, which any sentence may answer.
 * Clauses before one asking yes or no tell the member's situation and ask nothing when their only question word is
 * 几 (`天太热工地停了几天，老板说要扣工资，这样合规吗`: 几天 is "a few days"); a question before a tag (`拨了多少资金，
 * 你知道吗`) still asks.
 */
export function askedFor(question: string): Asked | undefined {
  const clauses = question.split(/[，,。？?！!；;]/).filter((c) => c.trim() !== "");
  const yesOrNo = clauses.findIndex((c) => YES_OR_NO.test(c));
  if (yesOrNo > 0 && !ALWAYS_ASKS.test(clauses.slice(0, yesOrNo).join(""))) question = clauses.slice(yesOrNo).join("，");
  for (const [kind, re] of ASKS) if (re.test(question)) return kind;
  return undefined;
}

const CN_NUMBER = "[零〇一二三四五六七八九十百千万亿两几]";
/** Measure words, and the bodies and parts news counts in Chinese numerals (四部门, 五方面). */
const MEASURE = "(?:[个位名项次家年月天日人元万亿岁期届批种条所场座处支余多件户套吨米公里斤台辆栋层倍分秒%％册本篇份张首幅间棵匹艘架枚颗箱袋瓶]|平方米|公顷|亩|万元|亿元|小时|分钟|周年|万人|人次|万个|万家|个月|部门|方面|星期|工作日|钟头|周(?!年))";
/** Calendar dates: never the amount a 多少 asks for (`11月17日` is no size, nor `7月`). */
const DATE = /\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|(?<![\d.个])\d{1,2}月(?:\d{1,2}[日号])?(?:份|初|底|末|中旬|上旬|下旬)?/g;
/**
 * A day of the month standing alone, as news writes it (`13日发起新一轮罢工`, `22日停运`): when, not how many days. Not
 * after a word of duration (`提前30日`, `延长30日`, `连续3日`, `持续5日`) nor before one (`15日内`, `30日以上`, `3日后`).
 */
const DAY_OF_MONTH = /(?<![\d.个]|提前|延长|超过|连续|满|累计|近|共|为期|长达|持续|历时|用时|耗时|不少于|不超过|至少|最多|最长|达)\d{1,2}日(?![内以之后])/g;

/** `text` with its calendar dates blanked (same length), for reading the amounts a count question asks. */
function masked(text: string): string {
  const blank = (d: string) => "　".repeat(d.length);
  return text.replace(DATE, blank).replace(DAY_OF_MONTH, blank);
}

/**
 * Chinese puts a measure word after a written number (`339箱`, `5篇`, `12艘`): digits followed
 * by any character but a date's (年月日号时) are a quantity, whatever the measure word; the list
 * above still decides for numbers in Chinese numerals, which also open ordinary words (一起, 三峡).
 */
const DIGITS_AND_MEASURE = "\\d+(?:[.,]\\d+)*(?:多|余|近|约)?[万亿千百]?(?![年月日号时])[\\u4e00-\\u9fa5]";

/** 多少 or 几 before a thing counted (几个工人, 多少岗位), not before a span of time (多少天, 几个月) or a bare 多少？. */
const COUNT_OF_THINGS = new RegExp(`(?:多少|几)(?!个?(?:年|天|月|日|小时|钟头|分钟|秒|周|星期|礼拜|岁|倍|成))[个位名项次家人批种条所场座处支件户套]?[\\u4e00-\\u9fa5]`);
/** 几个人, 多少人, 几位, 多少名: a count of people (not 多少人次, a count of visits). */
const COUNT_OF_PEOPLE = /(?:多少|几)个?(?:人(?![民力工次均])|位(?!数)|名(?![额次单堂义]))/;

/** A span of time written as a number (`十年`, `3个月`, `两个多月`, `20多天`, `一年多`, `4周`): how long, never how many of a thing. */
const DURATION = new RegExp(`^(?:\\d+(?:\\.\\d+)?|${CN_NUMBER}+)(?:多|余|近|约)?个?(?:多|余)?(?:年|月|天|日|小时|钟头|分钟|秒|周年|周|星期|工作日)(?:多|半)?$`);

/**
 * A question asking how long (`持续了几天`, `干了多少年`, `多长时间`), which only a span of time answers; not `近几年`,
 * `过去几年`, `这几天` or `多少年来`, which say when, nor a word the unit opens (`多少年轻职工`, `多少天然气`, `多少月饼`,
 * `几年级`, `多少周岁`).
 */
const SPAN_ASKED = /(?<![近这前那好十哪去])(?:多少|几)个?(?:天|日|月|年|小时|钟头|分钟|周|星期)(?![来前后里内轻然饼级岁龄度薪津票份气初底末])|多久|多长时间/;

/**
 * How old (`多大岁数`, `年龄`, `几岁`, `多大年纪`): only an age answers. Not `十几岁` (an age said of someone whose
 * count of things is asked), nor `多大了` (`规模多大了`).
 */
const AGE_ASKED = /岁数|年龄(?!段)|(?<![十二三四五六七八九])几岁|多少岁|多大年纪/;
/**
 * How high, deep, long, far, heavy, wide or thick (`多高`, `多深`): a measure answers, not a count of things (`五部门`,
 * `3个`). Not `更多高技能人才`, `许多重大工程`, where 多 is "many".
 */
const SIZE_ASKED = /(?<![许很更诸众较最])多[高深长远重宽厚]/;
/** A count of things, by its measure word: no size. */
const COUNTED_THING = /(?:[个位名项家次条批种所场座处支件户套人]|部门)$/;

/** Units written in Latin letters after digits (`1.601 km²`, `182CM`, `64MB`), not any letters (`5G`, `4K`, `H7N9`). */
const LATIN_UNIT = "(?:[kK]?[mM][²³]|[kKcCmM][mM]|m|[kKmM][gG]|[mM][lL]|[kKmMgGtT][bB]|[kKmMgG][wW][hH]?|[kK][vV]|mAh|[kKmMgG]?Hz)";

/**
 * An hour: `21时`, `8点`, or in Chinese numerals (`六点`, `十二点半`); not `一点` (mostly "a little"), a decimal
 * (`百分之六点五`), nor points of a list (`三点建议`).
 */
const HOUR = "\\d{1,2}[点时]|(?<![之一二三四五六七八九十])(?:十[一二]?|[二三四五六七八九两])点(?:半|[一二三四五]十分?)?(?![零一二三四五六七八九十]|要求|建议|意见|希望|措施|内容|体会|经验|做法)";
/** An hour in Chinese numerals: the time asked only by 几点 (see `answerPhrases`). */
const HOUR_IN_WORDS = /^[^\d]+点/;

const CURRENCY = "(?:元|美元|欧元|英镑|日元|港元|港币|澳元|人民币|块钱?)";

const PATTERNS: Readonly<Record<Asked, RegExp>> = {
  money: new RegExp(`(?:\\d+(?:[.,]\\d+)*|${CN_NUMBER}{1,6})(?:多|余)?[万亿千百]*${CURRENCY}`, "g"),
  // Digits with a measure word, a percentage, a Latin unit (`1.601 km²`, `182CM`), or digits before any other character.
  number: new RegExp(`(?:\\d+(?:[.,]\\d+)*|${CN_NUMBER}{1,6})(?:多|余|近|约)?${MEASURE}+|\\d+(?:\\.\\d+)?(?:%|％)|\\d+(?:\\.\\d+)? ?${LATIN_UNIT}(?![A-Za-z])|百分之${CN_NUMBER}+|${DIGITS_AND_MEASURE}`, "g"),
  // Years of any length (577年) or in Chinese numerals (承光元年, 二〇〇八年), anniversaries (75周年, for 什么年份), centuries and
  // decades, a day of the month as news gives it (`26日早上`; not `15日内`, how long), ages (十八岁 answers "since when").
  time: new RegExp(`(?:\\d{1,4}|${CN_NUMBER}{1,4})周年|(?:\\d{1,4}|${CN_NUMBER}{1,4}|元)年(?:代|\\d{1,2}月(?:\\d{1,2}日)?)?|\\d{1,2}月\\d{1,2}日|\\d{1,2}月(?:份|初|上旬|中旬|下旬|底)?|(?<![\\d.])\\d{1,2}日(?!内)|(?:今年|去年|明年)(?:\\d{1,2}月)?|近日|日前|今天|昨天|前天|[上下]半年|年[初底中]|[春夏秋冬]季|${HOUR}|(?:\\d{1,2}|${CN_NUMBER}{1,3})世纪|(?:\\d{1,3}|${CN_NUMBER}{1,3})岁`, "g"),
  // A place by its suffix, or where an event was held, as the news writes it without one (`在安徽亳州启动`).
  place: /[\u4e00-\u9fa5]{1,8}(?:省|市|自治区|区|县|镇|乡|村|街道|社区|路|街|广场|公园|大厦|中心|基地|园区|学院|大学|医院|馆)|(?<=(?<![正现存实])在)(?!近期|会上|线上|线下|网上)[\u4e00-\u9fa5]{2,6}(?<![上内中下重式大利续时极备])(?=启动|举办|举行|开幕|开赛|召开|闭幕|开班|揭牌)/g,
  // A designation in quotes (`“帆板王子”`) or a title (`《习近平与一线职工朋友们》`); persons are read as for 谁 (see `answerPhrases`).
  name: /“[^”]{2,16}”|《[^》]{2,30}》/g,
  // A list of three or more short names (`李晓宝、朱先波、管益辉等10人`) answers "who".
  person: /(?:[\u4e00-\u9fa5]{2,4}、){2,}[\u4e00-\u9fa5]{2,4}?(?=等|[^\u4e00-\u9fa5]|$)|(?:记者|通讯员|主席|副主席|书记|主任|厂长|经理|院长|局长|部长|总经理|工程师|技师|师傅|代表|劳模|工匠|名叫)[\u4e00-\u9fa5]{2,3}|[\u4e00-\u9fa5]{2,3}(?=同志|师傅|先生|女士|老师|（|\(|，[^，。]{0,12}(?:主席|书记|主任|工程师|技师|代表|劳模|工匠))/g,
};

/**
 * The phrases of `sentence` that answer a question of this kind and do not
 * just repeat the question (`55米` for 多高, `2024年6月` for 什么时候). Empty
 * when the sentence holds none. `nameLike` tells names from other words
 * (`劳模精神、劳动精神、工匠精神` is no answer to 谁); without it every phrase counts.
 */
export function answerPhrases(kind: Asked, sentence: string, question: string, nameLike: (item: string) => boolean = () => true): string[] {
  const re = PATTERNS[kind];
  re.lastIndex = 0;
  if (kind === "name") {
    // A person, as for 谁, or what someone or something is called.
    const found = [...answerPhrases("person", sentence, question, nameLike), ...[...sentence.matchAll(re)].map((m) => m[0])];
    return [...new Set(found.filter((p) => !question.includes(p.replace(/^[“《]|[”》]$/g, ""))))];
  }
  // A date is not the amount asked by 多少 or 多大 (`11月17日` is no size).
  const text = kind === "number" || kind === "money" ? masked(sentence) : sentence;
  const found = [...text.matchAll(re)]
    .filter((m) => !question.includes(m[0]) && (kind !== "person" || readsAsNames(m[0], /^[（(]/.test(text.slice(m.index + m[0].length)), nameLike)))
    .map((m) => m[0]);
  // 几个工人 asks a count of workers: `十年来` in the sentence says how long, not how many.
  const things = kind === "number" && COUNT_OF_THINGS.test(question) ? found.filter((p) => !DURATION.test(p)) : found;
  // 几个人, 多少名 ask a count of people: `两次`, `6个省` are no answer; `1462名`, `10位`, `2.94亿人` are, and so is
  // `150万人次`, how the news counts people trained, served or rescued (`一年培训多少人`).
  // 几天, 多少年, 多长时间 ask how long: `14家` is no answer, `59天` is. Not when a count is asked beside it (`干了多少年，
  // 带出多少个徒弟`): either answers.
  const amounts =
    kind === "number" && COUNT_OF_PEOPLE.test(question)
      ? things.filter((p) => PEOPLE_COUNT.test(p))
      : kind === "number" && SPAN_ASKED.test(question) && !COUNT_OF_THINGS.test(question)
        ? things.filter((p) => DURATION.test(p))
        : kind === "number" && AGE_ASKED.test(question) && !COUNT_OF_THINGS.test(question)
          ? things.filter((p) => p.endsWith("岁"))
          : kind === "number" && SIZE_ASKED.test(question) && !COUNT_OF_THINGS.test(question)
            ? things.filter((p) => !COUNTED_THING.test(p) && !DURATION.test(p))
            : things;
  // 一方面…另一方面 is "on the one hand", not one part. An anniversary (`100周年`) is the time asked only by 什么年份,
  // not when something happened, and an hour in words (`两点`, also "two points") only by 几点.
  const kept =
    kind === "number"
      ? amounts.filter((p) => p !== "一方面")
      : kind === "time"
        ? amounts.filter((p) => (!p.endsWith("周年") || /年份/.test(question)) && (!HOUR_IN_WORDS.test(p) || dateAsked(question) === "hour"))
        : amounts;
  return [...new Set(kept)];
}

/** Where a sentence or clause of a list ends: a number is not said of a word across it. */
const SENTENCE_END = /[。！？；!?;\n]/;

/**
 * `一个`, `一种` (an article, not a count) and a span of years in numerals (`一年来`, `百年`):
 * they stand beside the question's things without saying how many or when.
 */
const NOT_STATED: Partial<Record<Asked, RegExp>> = { number: /^一[个种位名项家次条]$/, time: /^[一二三四五六七八九十百千万两几]+年$/ };

/**
 * Whether `text` states a phrase answering this kind of question within
 * `window` characters of one of `anchors` (the question's things) in the
 * same sentence: the number said of the thing asked about
 * (`工会驿站18.61万个`, `278名委员`), or its date
 * (`《规定》自2026年7月1日起施行`), not one said of something else further
 * along or in the next sentence. An anchor inside the phrase (`方面` of
 * `五方面`) is not beside it.
 */
export function statesNear(kind: Asked, text: string, question: string, anchors: readonly string[], window: number): boolean {
  const answering = new Set(answerPhrases(kind, text, question));
  if (answering.size === 0 || anchors.length === 0) return false;
  // Masked as `answerPhrases` reads it, so a date is never the number found.
  const read = kind === "number" || kind === "money" ? masked(text) : text;
  for (const m of read.matchAll(PATTERNS[kind])) {
    if (!answering.has(m[0]) || NOT_STATED[kind]?.test(m[0])) continue;
    const start = m.index;
    const end = start + m[0].length;
    for (const anchor of anchors) {
      for (let at = read.indexOf(anchor); at >= 0; at = read.indexOf(anchor, at + 1)) {
        const before = at + anchor.length <= start;
        if (!before && at < end) continue;
        const between = before ? read.slice(at + anchor.length, start) : read.slice(end, at);
        if (between.length <= window && !SENTENCE_END.test(between)) return true;
      }
    }
  }
  return false;
}

/** A question asking a share (`百分之几`, `比例是多少`, `占比`, `几成`): only a percentage or a fraction answers it. */
const SHARE_ASKED = /百分之(?:几|多少)|百分比|比例|占比|比重|百分点|(?:几|多少)成(?![本员果绩交功立为就品])/;
/**
 * A share as the news writes it: `4.2%`, `百分之三十`, `超4成` (not 成为, 成立, 成果, 三五成群, 一成不变…), `三分之二`, `千分之五`, a
 * change in points (`提高了2.3个百分点`), a ratio (`1∶1.2`, `1.3:1`, `三比一`; not a clock's `19:30`). A figure in another unit
 * (`4.02亿人`, `13日`) does not say what share it is.
 */
const SHARE = new RegExp(
  [
    "\\d+(?:\\.\\d+)?\\s*[%％]",
    "(?:\\d+(?:\\.\\d+)?|[一二三四五六七八九十两]+)个?百分点",
    "\\d+(?:\\.\\d+)?\\s*[∶比]\\s*\\d+",
    "(?<![\\d:：])\\d+(?:\\.\\d+)?\\s*[:：]\\s*(?!\\d{2}(?![\\d.]))\\d+(?:\\.\\d+)?",
    "[一二三四五六七八九十两]比[一二三四五六七八九十两]",
    "百分之[零〇一二三四五六七八九十百点两]+",
    "(?:\\d+(?:\\.\\d+)?|(?<![一二三四五六七八九十])[一二三四五六七八九十两])成(?![为立功果员本绩长就型熟都品交效群不])",
    "[\\d一二三四五六七八九十两百千万]+分之[\\d一二三四五六七八九十两]+",
  ].join("|"),
);

/** Whether a question asks a share: see `givesShare`. */
export function shareAsked(question: string): boolean {
  return SHARE_ASKED.test(question);
}

/** The phrase of a text that gives a share (`超4成`, `5%`), as a question asking one wants; undefined when none does. */
export function shareGiven(text: string): string | undefined {
  return SHARE.exec(text)?.[0];
}

/**
 * A quantity asked with nothing after it to count (`要求工资涨多少？`, `抽成最高不能超过多少`), or by its measure
 * (`多高`, `多深`, `多大岁数`, `年龄`): only a number answers it, not a list or the words of a sentence about the same thing.
 */
const QUANTITY_ASKED = /多少(?=[？?。，,！!；;\s]|$|[呢啊呀了吗])|(?<![许很更诸众较最])多[大高长深远重宽厚快久]|岁数|年龄(?!段)|(?<![十二三四五六七八九])几岁|多少岁|多大年纪/;

/** Whether a question asks a quantity (see `QUANTITY_ASKED`) rather than a count of things. */
export function quantityAsked(question: string): boolean {
  return QUANTITY_ASKED.test(question) || SPAN_ASKED.test(question);
}

/** How precisely a question asks when: which day (`从哪天开始施行`, `几号`), which year (`哪一年当选`) or what time (`几点播出`). */
export type DateAsked = "day" | "year" | "hour";

/** Not `什么年份`, which an anniversary or `开局之年` answers, nor `什么时候`, which a story's date may answer. */
const DATE_ASKED: readonly (readonly [DateAsked, RegExp])[] = [
  ["day", /哪一?天|几号|几月几/],
  ["year", /哪一?年|哪一?个年份/],
  // Not 哪几点 nor 几点要求 (how many points).
  ["hour", /(?<!哪)几点(?!要求|建议|意见|希望|体会|经验|措施|内容|原因|理由|做法|意义)/],
];

/**
 * A day, a year or an hour as an answer: `3月1日`, `26日`, `今天`, `元旦`, `星期日`; `2018年`, `二〇〇八年`, `今年`, `三年前`;
 * `21时`, `8点`. Not `近日` or `日前` (lately, in any month), a line or a document's number (`3号线`, `1号文件`), a span of
 * days or years (`15日内`, `三年`, `一年来`, `600年历史`), nor `今年` inside a word (`如今年轻人`).
 */
const DATE_GIVEN: Readonly<Record<DateAsked, RegExp>> = {
  day: /(?:\d{4}年)?(?:\d{1,2}月)?(?<!\d|提前|延长|超过|连续|满|累计|近|共|为期|长达|持续|历时|用时|耗时|不少于|不超过|至少|最多|最长|达)\d{1,2}(?:日(?![内以之后])|号(?![线楼文院机码台]))|(?<![提之以])[今昨前明]天|当天|当日|次日|元旦|除夕|(?:星期|礼拜|周)[一二三四五六日天]/g,
  hour: new RegExp(HOUR, "g"),
  year: /\d{4}年(?![来间])|\d{3}年(?![来历间])|[〇零一二三四五六七八九]{4}年|元年|(?<![如当目此提])[今去前]年(?![轻产均度])|(?:\d+|[一二三四五六七八九十两]+)年前/g,
};

/** Which day, year or hour a question asks, if it asks one: see `givesDate`. */
export function dateAsked(question: string): DateAsked | undefined {
  return DATE_ASKED.find(([, re]) => re.test(question))?.[0];
}

/** The phrase of a text that gives a day, a year or an hour, as a question asking which one wants; undefined when none does. */
export function dateGiven(text: string, precision: DateAsked): string | undefined {
  const re = DATE_GIVEN[precision];
  re.lastIndex = 0;
  return re.exec(text)?.[0];
}

/** What a count question counts: the measure word after 多少 or 几 (`多少斤`, `几个`) and the things it may name (`问题`, `徒弟`). */
export interface CountAsked {
  readonly measure?: string;
  readonly things: readonly string[];
}

/**
 * 多少 or 几 asking a count, and the measure word after it: not 多多少少, and 几 only before a measure
 * word (几个, 几家), so that 几乎, 几内亚, 茶几 and 这几年 ask nothing.
 */
const COUNT_ASKED = new RegExp(`(?<!多)多少(?!少)(${MEASURE_WORD}?)|(?<![好哪十这近前茶])几(${MEASURE_WORD})`, "g");
/** Where the words after 多少 end: the thing counted is named before the clause ends. */
const CLAUSE = /^[^，。？！、,?!；;]*/;
/** What follows a 的 that ends a phrase with no noun after it: a verb's helper (not the clause's end: `是几个部门联合搞的`). */
const HEADLESS = /^[被是有都在也就把将会还已]/;
/** Things counted that are people (`工人`, `队员`, `劳动者`): `5000多名` counts them. */
const PEOPLE = /[人工员者]$/;
/** A number of people (`1462名`, `10位`, `2.94亿人`), or of person-times (`150万人次`), as the news counts people trained or served. */
const PEOPLE_COUNT = /(?:[人名位]|人次)$/;
/** 多少地方 is answered by places counted (`近30个城市`, `18个省份`). */
const SOME_PLACE = new Set(["地方", "地区"]);
const PLACES = ["省", "市", "县", "城市", "省份", "地区", "国家"];

/**
 * What a count question counts: the measure word after 多少 or 几, unless a word of the question starts
 * there (`多少家庭`, `多少项目` count 家庭 and 项目), and the longest of the question's `words` right after
 * it (`多少问题`, `几个部门联合搞的`, `多少人次`), with the head after a 的 in the same clause too
 * (`多少穆斯林统治时期的光塔` counts 光塔, `多少被困的人` people; `多少职工参加了…的技能竞赛` still 职工), or
 * people when nothing follows the 的 (`多少送外卖的被纳入保障`).
 * Undefined for a count of people (多少人, 几位: `answerPhrases` reads those), when a question asks two
 * counts (one passage may give either), and when nothing names it (`是多少`).
 */
export function countAsked(question: string, words: readonly string[]): CountAsked | undefined {
  const asked = [...question.matchAll(COUNT_ASKED)];
  const m = asked[0];
  if (m === undefined || asked.length > 1 || COUNT_OF_PEOPLE.test(question)) return undefined;
  const wordAt = (text: string) => {
    let found: string | undefined = /^人(?![民力工次均])/.test(text) ? "人" : undefined;
    for (const w of words) if (text.startsWith(w) && w.length > (found?.length ?? 0)) found = w;
    return found;
  };
  const marked = m[1] || m[2] || "";
  const after = m.index + m[0].length;
  // 多少家庭: 家 opens the word counted, it is no measure word.
  const opens = marked !== "" && words.some((w) => w.length > 1 && question.startsWith(w, after - 1));
  const measure = marked === "" || opens ? undefined : marked;
  const rest = question.slice(opens ? after - 1 : after);
  const clause = CLAUSE.exec(rest)![0];
  const of = clause.lastIndexOf("的");
  // 多少送外卖跑快递的被纳进了保障: a 的 with no noun after it names those who do it, people.
  const head = of < 0 ? undefined : (wordAt(clause.slice(of + 1)) ?? (HEADLESS.test(clause.slice(of + 1)) ? "人" : undefined));
  const things = [wordAt(rest), head].filter((w): w is string => w !== undefined);
  if (measure === undefined && things.length === 0) return undefined;
  return { ...(measure === undefined ? {} : { measure }), things: [...new Set(things)] };
}

/**
 * Whether `text` gives a count of what the question counts: a number in its measure word (`339箱`
 * for 多少箱, `18.61万个` for 多少个), holding its thing (`9部门` for 几个部门), of people for people
 * (`5000多名` for 多少工人), or standing within `window` characters of its thing or one of
 * `alternatives` in the same sentence (`光塔至今仍有30座`). A passage whose only numbers count something
 * else (`3个小组`, `6个省` for 查出了多少问题) does not, nor one without the measure asked (多少斤瓜子, where
 * the passage counts no 斤). A `个` counts anything: `3个小组` does answer 多少个问题.
 */
export function givesCount(text: string, question: string, count: CountAsked, alternatives: readonly string[], window: number): boolean {
  if (countPhrase(text, question, count) !== undefined) return true;
  const places = count.things.some((t) => SOME_PLACE.has(t));
  return statesNear("number", text, question, [...count.things, ...alternatives, ...(places ? PLACES : [])], window);
}

/** The first number of `text` in the measure word asked, holding its thing, or of people for people (see `givesCount`). */
export function countPhrase(text: string, question: string, count: CountAsked): string | undefined {
  const { measure, things } = count;
  const people = things.some((t) => PEOPLE.test(t));
  const fits = (p: string) => (measure !== undefined && p.endsWith(measure)) || things.some((t) => p.includes(t)) || (people && PEOPLE_COUNT.test(p));
  return answerPhrases("number", text, question).find(fits);
}

/**
 * Whether a phrase the person pattern found reads as names: a list when most
 * of its items do (`高丰、肖素枝…`, not `劳模精神、劳动精神、工匠精神`), a bare
 * word before `（` when it does (`莫瓦桑（`, not the compound `铬酰氟（`).
 * Before 同志, 先生 or a title the context says it is a person.
 */
function readsAsNames(phrase: string, beforeParenthesis: boolean, nameLike: (item: string) => boolean): boolean {
  if (phrase.includes("、")) {
    const items = phrase.split("、");
    return items.filter(nameLike).length * 2 > items.length;
  }
  return !beforeParenthesis || nameLike(phrase);
}
