import {
  dayPeriod,
  monthPeriod,
  monthsPeriod,
  type Period,
  type Season,
  seasonPeriod,
  today as todayOf,
  validDay,
  yearPeriod,
} from "../dates.js";

/** What a question says about time, and the question without those words. */
export interface When {
  /** The period asked about, explicit (`2024年11月`) or relative (`去年`, read against today). */
  readonly period?: Period;
  /** The words that named the period, as the member wrote them, for a refusal to quote. */
  readonly label?: string;
  /** "最近 / 最新 / 最近一次 …": the newest relevant story is wanted. */
  readonly latest: boolean;
  /** The question with the time words taken out, so they are not matched as content words. */
  readonly rest: string;
}

const SEASON: Readonly<Record<string, Season>> = { 春: "spring", 夏: "summer", 秋: "autumn", 冬: "winter" };
const LATEST = /(?:最近|最新)(?:的)?(?:(?:这|那)一?|一)(?:次|期|届|回|轮|批)|最后一次|上一次|上一回|上回|最近|最新|近期|近来|新近|目前|眼下|现在/g;

interface Rule {
  readonly re: RegExp;
  readonly period: (m: RegExpExecArray, now: Now) => Period | undefined;
  /**
   * The period is a fraction of a year, which reports print in their text
   * (`上半年，全国城镇新增就业…`, `前三季度`): only the year is taken out of
   * the question, and the fraction stays a word to match, so the half
   * year's report beats the first quarter's.
   */
  readonly keepsFraction?: true;
}


type Now = ReturnType<typeof todayOf>;

/**
 * A season: 春天, 夏季, 秋季度, or the bare character not followed by another
 * (`2023年春，…`). 春节, 春运, 冬奥 and 夏送清凉 are a festival, a travel rush,
 * games and a campaign, not the months of a season (`2023年春节前` is January).
 */
const SEASON_WORD = "([春夏秋冬])(?:天|季度|季|(?![\\u4e00-\\u9fa5]))";

/**
 * A two-digit year (`24年`) only when followed by a month, a season, 的, a part or fraction of the year
 * (`24年底`, `25年一季度`, `24年头5个月`) or its festival (`24年过年前`), and not after a word that makes
 * it a count (`坚守20年初心`, `这10年`, `干了15年`): `10年` (ten years) and `20年前` (twenty years ago)
 * stay durations.
 */
const year = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));
const YEAR = "(\\d{4}|(?<![\\d了这近满干守])\\d{2}(?=年(?:\\d{1,2}月|的|[春夏秋冬]|[上下]半年|[初底末](?![心衷])|过年|春节|[前头][\\d一二两三四五六七八九十]{1,2}个?(?:月|季度)|第?[一二三四1-4]季度|\\d{1,2}\\s*[—–\\-~至到]\\s*\\d{1,2}月)))";
/** A month or day without a year is the most recent one not after today. */
const recentYear = (now: Now, month: number, day = 1) => (month > now.month || (month === now.month && day > now.day) ? now.year - 1 : now.year);
const relativeYear: Readonly<Record<string, number>> = { 今年: 0, 本年: 0, 本年度: 0, 今年度: 0, 去年: -1, 上一年: -1, 前年: -2 };
/**
 * A year said relative to now, not inside another word: `如今年轻人`, `至今年均`, `目前年轻`, `提前年休假` name no year.
 * 今年度 before 今年, so that `今年度先进个人` leaves no `度` behind.
 */
/** 今年 as a word (`如今年轻人` holds none), here and in the sentences quoted (`extract.ts`). */
export const THIS_YEAR_WORD = "(?<![如当至迄])今年(?!轻)";
const REL_YEAR = `(${THIS_YEAR_WORD}度|${THIS_YEAR_WORD}|本年度?|去年|上一年|(?<![目当此提])前年)`;
/** The year a fraction of a year is of (`2025年`, `今年的`), before the fraction. */
const YEAR_PREFIX = new RegExp(`^(?:\\d{2,4}年|${Object.keys(relativeYear).sort((a, b) => b.length - a.length).join("|")})(?:的)?`);

/** 上旬, 中旬, 下旬, 初: taken out with the month they divide. */
const PART_OF_MONTH = "(?:上旬|中旬|下旬|初)?";

const CN_DIGIT: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };
/** A month's or a quarter's number, in digits or Chinese numerals (`3`, `十一`). */
export const countOf = (n: string): number | undefined => (/^\d+$/.test(n) ? Number(n) : CN_DIGIT[n]);
/** A month's or a quarter's number (not a capture group). */
export const N = "(?:\\d{1,2}|十[一二]?|[一二两三四五六七八九])";
/** What joins the first and last month of a span (`1—7月`, `1-7月`, `1～7月`, `1至7月`, `1月到7月`), for a character class. */
export const JOINS = "—–\\-~～－―至到";
const TO = `\\s*[${JOINS}]\\s*`;
/** 前N个月 (头N个月) | M—N月 | M—N季度 | 前N季度 | 第N季度, in named groups (see `toDateMonths`). */
export const TO_DATE = `(?:[前头](?<first>${N})个?月|(?<from>${N})月?${TO}(?<to>${N})月|(?<qfrom>${N})(?:季度)?${TO}(?<qto>${N})季度|前(?<quarters>${N})个?季度|第?(?<quarter>${N})季度)`;
/** Not a month alone: the first of a span (`1月到8月`). */
const NOT_SPAN = `(?!${TO}${N}月)`;

/** The first and last month (1–12) a TO_DATE match's groups cover, or undefined when they make no span. */
export function toDateMonths(g: Readonly<Record<string, string | undefined>>): readonly [number, number] | undefined {
  const n = (key: string) => (g[key] === undefined ? undefined : countOf(g[key]));
  const span = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && a >= 1 && a <= b && b <= 12 ? ([a, b] as const) : undefined);
  const quarters = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : span(a * 3 - 2, b * 3));
  if (g["first"] !== undefined) return span(1, n("first"));
  if (g["from"] !== undefined) return span(n("from"), n("to"));
  if (g["qfrom"] !== undefined) return quarters(n("qfrom"), n("qto"));
  if (g["quarters"] !== undefined) return quarters(1, n("quarters"));
  return quarters(n("quarter"), n("quarter"));
}

/** The months a TO_DATE match covers within year `y`. */
function toDate(y: number, g: Readonly<Record<string, string | undefined>> | undefined): Period | undefined {
  if (g === undefined) return undefined;
  const months = toDateMonths(g);
  return months === undefined ? undefined : monthsPeriod(y, months[0], months[1]);
}

/**
 * Ordered most specific first; the first rule that matches wins, and its
 * words are removed from the question.
 */
const RULES: readonly Rule[] = [
  // The end of a month (`2023年6月底`, `截至去年12月末`) is when figures stand, not when they are reported
  // (a quarter or more later): the year is the period, and `6月底` stays words to match (`截至6月底，…`).
  { re: new RegExp(`${YEAR}年(?:的)?(\\d{1,2})月(?:底|末)`), period: (m) => asOf(year(m[1]!), +m[2]!), keepsFraction: true },
  { re: new RegExp(`${REL_YEAR}(?:的)?(\\d{1,2})月(?:底|末)`), period: (m, now) => asOf(now.year + relativeYear[m[1]!]!, +m[2]!), keepsFraction: true },
  { re: /(?<![\d个年])(\d{1,2})月(?:底|末)/, period: (m, now) => asOf(recentYear(now, +m[1]!), +m[1]!), keepsFraction: true },
  // A span of days (`2025年12月3日至2026年3月3日`, `2025年7月1日到8月31日`): from its first day to its last, not its first.
  { re: new RegExp(`${YEAR}\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?${TO}(?:${YEAR}\\s*年\\s*)?(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*[日号]?`), period: (m) => daySpan(day(year(m[1]!), +m[2]!, +m[3]!), day(year(m[4] ?? m[1]!), +m[5]!, +m[6]!)) },
  // A day: 2024年7月10日, or 2024-07-10; not 2024年3-5月, a span of months.
  { re: new RegExp(`${YEAR}\\s*(?:年\\s*(\\d{1,2})\\s*月|[\\-/.]\\s*(\\d{1,2})\\s*[\\-/.])\\s*(\\d{1,2})(?!\\s*月)\\s*[日号]?`), period: (m) => day(year(m[1]!), +(m[2] ?? m[3])!, +m[4]!) },
  // A part of the month (`1月中旬`) is the month: the question means its reports.
  { re: new RegExp(`${YEAR}年\\s*(\\d{1,2})月份?${PART_OF_MONTH}${NOT_SPAN}`), period: (m) => month(year(m[1]!), +m[2]!) },
  { re: new RegExp(`${YEAR}年(?:的)?${SEASON_WORD}`), period: (m) => seasonPeriod(year(m[1]!), SEASON[m[2]!]!) },
  { re: new RegExp(`${YEAR}年(?:的)?([上下])半年`), period: (m) => (m[2] === "上" ? monthsPeriod(year(m[1]!), 1, 6) : monthsPeriod(year(m[1]!), 7, 12)), keepsFraction: true },
  // Figures to date within a year: 前5个月, 1—6月, 前三季度, 一季度.
  { re: new RegExp(`${YEAR}年(?:的)?${TO_DATE}`), period: (m) => toDate(year(m[1]!), m.groups), keepsFraction: true },
  { re: new RegExp(`${REL_YEAR}(\\d{1,2})月(\\d{1,2})[日号]`), period: (m, now) => day(now.year + relativeYear[m[1]!]!, +m[2]!, +m[3]!) },
  { re: new RegExp(`${REL_YEAR}(\\d{1,2})月份?${PART_OF_MONTH}(?![\\d日号])${NOT_SPAN}`), period: (m, now) => month(now.year + relativeYear[m[1]!]!, +m[2]!) },
  { re: new RegExp(`${REL_YEAR}(?:的)?${TO_DATE}`), period: (m, now) => toDate(now.year + relativeYear[m[1]!]!, m.groups), keepsFraction: true },
  // This year's winter, asked in January or February, is the winter under way (from last December).
  { re: new RegExp(`${REL_YEAR}(?:的)?${SEASON_WORD}`), period: (m, now) => seasonPeriod(now.year + relativeYear[m[1]!]! - (SEASON[m[2]!] === "winter" && relativeYear[m[1]!] === 0 && now.month <= 2 ? 1 : 0), SEASON[m[2]!]!) },
  { re: new RegExp(`${REL_YEAR}(?:的)?([上下])半年`), period: (m, now) => { const y = now.year + relativeYear[m[1]!]!; return m[2] === "上" ? monthsPeriod(y, 1, 6) : monthsPeriod(y, 7, 12); }, keepsFraction: true },
  { re: new RegExp(`${REL_YEAR}(?!\\d)`), period: (m, now) => yearPeriod(now.year + relativeYear[m[1]!]!) },
  { re: new RegExp(`${YEAR}年(?!\\d|代|前|后|来|间|内|多|左右)`), period: (m) => yearPeriod(year(m[1]!)) },
  { re: /(?<![\d个])(\d{1,2})月(\d{1,2})[日号]/, period: (m, now) => day(recentYear(now, +m[1]!, +m[2]!), +m[1]!, +m[2]!) },
  { re: /(本月|这个月|当月)/, period: (_m, now) => monthPeriod(now.year, now.month) },
  { re: /(上个?月)/, period: (_m, now) => (now.month === 1 ? monthPeriod(now.year - 1, 12) : monthPeriod(now.year, now.month - 1)) },
  { re: /(本周|这周|这个?星期|这礼拜)/, period: (_m, now) => week(now, 0) },
  { re: /(上周|上个?星期|上礼拜)/, period: (_m, now) => week(now, -1) },
  { re: /(今天|今日)/, period: (_m, now) => dayPeriod(now.year, now.month, now.day) },
  { re: /(昨天|昨日)/, period: (_m, now) => shiftDays(now, -1) },
  // Months to date without a year (`1-3月`, `10月到12月`): of the latest year whose last month asked has begun.
  { re: new RegExp(`(?<![\\d${JOINS}])(?<from>${N})月?${TO}(?<to>${N})月`), period: (m, now) => toDate(recentYear(now, countOf(m.groups!["to"]!) ?? 1), m.groups), keepsFraction: true },
  { re: new RegExp(`(?<![\\d个${JOINS}])(\\d{1,2})月份?${PART_OF_MONTH}(?![\\d日号])${NOT_SPAN}`), period: (m, now) => month(recentYear(now, +m[1]!), +m[1]!) },
];

/**
 * Figures as of a month's end stand then but are reported up to a quarter later
 * (`截至6月底，…` in September, the year's end in March): the year to that quarter's end.
 */
function asOf(y: number, m: number): Period | undefined {
  if (m < 1 || m > 12) return undefined;
  const later = m + 3;
  const reported = later > 12 ? monthPeriod(y + 1, later - 12) : monthPeriod(y, later);
  return { from: yearPeriod(y).from, to: reported.to, precision: "month" };
}

function day(y: number, m: number, d: number): Period | undefined {
  return validDay(y, m, d) === undefined ? undefined : dayPeriod(y, m, d);
}

/** The days from the first of two periods' start to the second's end, or undefined unless both are and in that order. */
function daySpan(first: Period | undefined, last: Period | undefined): Period | undefined {
  return first === undefined || last === undefined || last.to < first.from ? undefined : { from: first.from, to: last.to, precision: "day" };
}

function month(y: number, m: number): Period | undefined {
  return m >= 1 && m <= 12 ? monthPeriod(y, m) : undefined;
}

function shiftDays(now: Now, days: number): Period {
  const d = new Date(Date.UTC(now.year, now.month - 1, now.day + days));
  return dayPeriod(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Monday to Sunday, `offset` weeks from this one. */
function week(now: Now, offset: number): Period {
  const d = new Date(Date.UTC(now.year, now.month - 1, now.day));
  const monday = (d.getUTCDay() + 6) % 7;
  const from = shiftDays(now, -monday + 7 * offset);
  const to = shiftDays(now, -monday + 7 * offset + 6);
  return { from: from.from, to: to.to, precision: "day" };
}

/**
 * Reads the time a member's question is about. Explicit dates keep the
 * precision written; relative words are read against `now` (`YYYY-MM-DD`,
 * the NOW setting, or today). Not a general date parser: it knows the ways
 * members ask about news ("今年的送清凉", "2024年11月", "上个月", "最近一次").
 */
export function readWhen(question: string, now?: string): When {
  // Today is worked out only for a question a rule matches (most name no time): reading the clock costs microseconds.
  let today: Now | undefined;
  let rest = question;
  let period: Period | undefined;
  let label: string | undefined;
  for (const rule of RULES) {
    const m = rule.re.exec(rest);
    if (m === null) continue;
    const clock = (today ??= todayOf(now));
    const p = rule.period(m, clock);
    // A year still to come is a target the news speaks of (`到2030年…要达到多少`),
    // not when it was reported: it stays a word of the question.
    if (p === undefined || Number(p.from.slice(0, 4)) > clock.year) continue;
    period = p;
    label = m[0];
    const kept = rule.keepsFraction ? m[0].replace(YEAR_PREFIX, "") : "";
    rest = `${rest.slice(0, m.index)} ${kept} ${rest.slice(m.index + m[0].length)}`;
    break;
  }
  const latest = LATEST.test(rest);
  LATEST.lastIndex = 0;
  rest = rest.replace(LATEST, " ").replace(/\s+/g, " ").trim();
  return { ...(period === undefined ? {} : { period, label: label! }), latest, rest };
}
