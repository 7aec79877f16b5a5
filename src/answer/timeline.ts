import { distanceInDays, overlaps, type Period, periodOf, sortKey } from "../dates.js";
import type { When } from "./when.js";

/** What the time step needs of a retrieved passage. */
export interface Dated {
  readonly storyId: string;
  readonly title: string;
  readonly date: string | undefined;
  /** idf-weighted share of the question's words it holds (0..1). */
  readonly coverage: number;
  readonly isEvidence: boolean;
  /** Holds a phrase of the kind the question asks for (a number for 多少), or the question asks for no kind. */
  readonly holdsAsked: () => boolean;
  /** The question's words it holds (see `sameTopic`). */
  readonly held: () => ReadonlySet<string>;
}

/** How retrieved passages were reordered for the time the question asks about. */
export interface TimeChoice<T> {
  /**
   * All passages, those fitting the question's time first (for a period, those of them covering the
   * question within the same-topic margin of the best before the rest), each group in retrieval order.
   */
  readonly ordered: T[];
  /** The evidence the answer may quote (only passages of the period asked about, when one was). */
  readonly evidence: T[];
  /** Set when the news covers the topic but not the period asked about: the best report of another time. */
  readonly otherPeriod?: T;
  /**
   * The story the answer is taken from was chosen among several dated
   * reports of the same topic (the newest, or the one of the period asked):
   * the answer must say its date.
   */
  readonly chosenDate?: string;
}

export interface TimeOptions {
  /**
   * Passages whose coverage is within this margin of the best evidence count
   * as reports of the same topic, among which the newest is preferred.
   */
  readonly sameTopicMargin: number;
  /** The same margin when the member asked for the latest (`最近一次…`): wider, as the newest is wanted even if worded less alike. */
  readonly latestMargin: number;
}

/**
 * Days after a period ends in which its figures are still being reported: a quarter, as a month's
 * end is read (`when.ts`). A year's figures are given at the next spring's press conferences
 * (`2022年全国城镇新增就业1206万人` on 2 March 2023), the first three quarters' in December.
 * Chosen on the development sets (README, *Sixth part*): 62 days did the same but one answer.
 */
const REPORTING_DAYS = 92;

function reportingWindow(p: Period): Period | undefined {
  if (p.precision === "day") return undefined;
  const next = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return { from: next(p.to, 1), to: next(p.to, REPORTING_DAYS), precision: "day" };
}

/**
 * By how much a report of another period must cover the question better than the best of the period asked for the
 * period's to be taken as about something else. Chosen on the development sets (README, *Ninth part*): 0.2 and 0.4
 * each answered two questions fewer right.
 */
const OTHER_PERIOD_MARGIN = 0.3;

/** A day asked about matches reports from a few days around it ("5月1日前后", a story filed the next day). */
const DAY_SLACK_DAYS = 3;

function widen(p: Period): Period {
  if (p.precision !== "day") return p;
  const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return { ...p, from: shift(p.from, -DAY_SLACK_DAYS), to: shift(p.to, DAY_SLACK_DAYS) };
}

/**
 * Whether a report covering the question about as well as the first found is a report of its topic that a newer one
 * may stand for: it holds every question word the first holds, or covers the question better. A half year's report
 * of all vocational training (`今年1—6月…培训超512万人次`) shares most words of a question about the special
 * housekeeping training's yearly plan, but not `计划`: it is another topic, not that plan's newer report. Not applied
 * when the member asks for the latest, which wants the newest even if worded less alike. Chosen on the development
 * sets (README, *Tenth part*): +5 / 0. Applied to questions asking for the latest too, seven of them were answered
 * from an older report; without the second condition, a report naming the 法院 asked about lost to an older one.
 */
function sameTopic(report: Dated, first: Dated): boolean {
  if (report === first || report.coverage > first.coverage) return true;
  const held = report.held();
  for (const w of first.held()) if (!held.has(w)) return false;
  return true;
}

/**
 * Applies the question's time to retrieved passages. A named period
 * (`2024年11月`, `去年`) keeps only reports of that period as evidence; when
 * the topic is covered only at other times, the best such report is returned
 * as `otherPeriod` so the answer can say what the news has instead of quoting
 * another year as if it answered. Without a period, when several dated
 * stories cover the topic about equally (a campaign run every summer), the
 * newest is put first: members asking about news mean the current one, and
 * "最近 / 最新" asks for exactly that.
 */
export function applyWhen<T extends Dated>(passages: readonly T[], when: When, opts: TimeOptions): TimeChoice<T> {
  if (when.period !== undefined) {
    const period = widen(when.period);
    const placed = placeInPeriod(when.period, when.rest);
    const placement = new Map(passages.map((p) => [p, placed(p)] as const));
    // Reports of the period first, then those of the weeks after it.
    const reported = [...passages.filter((p) => placement.get(p) === "in"), ...passages.filter((p) => placement.get(p) === "after")];
    // Among them, those covering the question about as well as the best come
    // first, each group in rank order: the half year's figures, published
    // after it in July (`上半年，全国城镇新增就业695万人`), before the first
    // quarter's, published inside it, when the question asks for 上半年.
    const best = Math.max(0, ...reported.filter((p) => p.isEvidence).map((p) => p.coverage));
    const closeToBest = (p: T) => p.isEvidence && p.coverage >= best - opts.sameTopicMargin;
    const inside = [...reported.filter(closeToBest), ...reported.filter((p) => !closeToBest(p))];
    const ordered = [...inside, ...passages.filter((p) => !inside.includes(p))];
    // A report of another period covering the question far better than any of the period asked is the news' report
    // of its topic: the period's passages are about something else that mentions it (a profile of one medallist for
    // how many were given the medal that year), and the answer says what the news has instead.
    const elsewhereBest = Math.max(0, ...passages.filter((p) => p.isEvidence && placement.get(p) === undefined).map((p) => p.coverage));
    const evidence = elsewhereBest - best > OTHER_PERIOD_MARGIN ? [] : inside.filter((p) => p.isEvidence);
    if (evidence.length > 0) {
      const dates = new Set(passages.filter((p) => p.isEvidence).map((p) => p.date));
      return { ordered, evidence, ...(dates.size > 1 && evidence[0]!.date ? { chosenDate: evidence[0]!.date } : {}) };
    }
    // Among reports of the same topic, the one nearest in time to the period
    // asked (2023's for a question about 2021), the better ranked on a tie.
    const top = Math.max(0, ...passages.filter((p) => p.isEvidence).map((p) => p.coverage));
    const elsewhere = passages
      .filter((p) => p.isEvidence && p.coverage >= top - opts.sameTopicMargin && periodOf(p.date) !== undefined)
      .reduce<T | undefined>((best, p) => (best === undefined || distanceInDays(periodOf(p.date)!, period) < distanceInDays(periodOf(best.date)!, period) ? p : best), undefined);
    return { ordered, evidence: [], ...(elsewhere === undefined ? {} : { otherPeriod: elsewhere }) };
  }

  const evidence = passages.filter((p) => p.isEvidence);
  const best = evidence[0];
  if (best === undefined) return { ordered: [...passages], evidence };
  const margin = when.latest ? opts.latestMargin : opts.sameTopicMargin;
  // Among reports of the topic, the newest that can answer what is asked: a
  // summer campaign's notice that mentions the stations is not the newest
  // count of them.
  const reports = evidence.filter((p) => p.coverage >= best.coverage - margin && p.date !== undefined);
  const alike = reports.filter((p) => when.latest || sameTopic(p, best));
  const answering = alike.filter((p) => p.holdsAsked());
  const candidates = answering.length > 0 ? answering : alike.length > 0 ? alike : reports;
  const dates = new Set(reports.map((p) => sortKey(p.date)));
  if (dates.size < 2) return { ordered: [...passages], evidence, ...(when.latest && best.date ? { chosenDate: best.date } : {}) };
  const newest = candidates.reduce((a, b) => (sortKey(b.date) > sortKey(a.date) ? b : a));
  const first = (list: readonly T[]) => [...list.filter((p) => p.storyId === newest.storyId), ...list.filter((p) => p.storyId !== newest.storyId)];
  // The answer speaks for the newest report and says its date: the other
  // years' reports of the topic are not quoted beside it (last year's
  // winners under this year's date), though passages on other points stay.
  // Other dates' reports that cannot answer are superseded too (an older
  // notice of the campaign, quoted under the newest one's date).
  const superseded = new Set(reports.filter((p) => sortKey(p.date) !== sortKey(newest.date)).map((p) => p.storyId));
  return { ordered: first(passages), evidence: first(evidence.filter((p) => !superseded.has(p.storyId))), ...(newest.date ? { chosenDate: newest.date } : {}) };
}

/** Where a report stands against a period asked about: published in it, in the weeks its figures are reported after it, or neither. */
export type Placement = "in" | "after" | undefined;

/**
 * How reports are placed against the period a question asks about (`rest`: the question's other words, whose years a
 * headline may name too).
 */
export function placeInPeriod(asked: Period, rest: string): (report: { readonly title: string; readonly date: string | undefined }) => Placement {
  const period = widen(asked);
  const askedYears = yearsNamed(rest);
  // Figures for a month, a half year or a year are reported just after it
  // ends (the first half's port figures in early July): reports of the
  // following weeks count, after those of the period itself.
  const after = reportingWindow(asked);
  return ({ title, date }) => {
    // A headline that dates its subject to another year (`2023年“大国工匠年度人物”发布`,
    // broadcast in 2024) says which year the report is about, whenever it was published.
    if (headlineNamesOtherYears(title, asked, askedYears)) return undefined;
    // A report fits when it was published in the period, or when its
    // headline names it: the 2025 figures are often published in January 2026.
    const d = periodOf(date);
    if ((d !== undefined && overlaps(d, period)) || headlineNames(title, asked)) return "in";
    return after !== undefined && d !== undefined && overlaps(d, after) ? "after" : undefined;
  };
}

/** Whether a headline names the period (`2025年…`, `2024年11月…`): years and months only, as headlines write them. */
function headlineNames(title: string, period: Period): boolean {
  const year = period.from.slice(0, 4);
  if (period.precision === "year" || period.precision === "season") return period.to.slice(0, 4) === year && title.includes(`${year}年`);
  if (period.precision === "month" && period.from.slice(0, 7) === period.to.slice(0, 7)) return title.includes(`${year}年${Number(period.from.slice(5, 7))}月`);
  return false;
}

/** The four-digit years a text names (`2024年`, `2024年度`), in order; not a count of years (`2000年来`, `1500年历史`). */
export function yearsNamed(text: string): number[] {
  return [...text.matchAll(/(?<!\d)(\d{4})年(?![来间代历])/g)].map((m) => Number(m[1]));
}

/**
 * Whether a headline names years, none of them within the period asked nor
 * named elsewhere in the question (`2022年底启动的2023年元旦春节送温暖`); a
 * day's period is left to the date.
 */
function headlineNamesOtherYears(title: string, period: Period, askedYears: readonly number[]): boolean {
  if (period.precision === "day") return false;
  const years = yearsNamed(title);
  const from = Number(period.from.slice(0, 4));
  const to = Number(period.to.slice(0, 4));
  return years.length > 0 && !years.some((y) => (y >= from && y <= to) || askedYears.includes(y));
}

/** Every year a question asks about: its period's, and any other it names. */
export function yearsAsked(period: Period, rest: string): number[] {
  const years = yearsNamed(rest);
  for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y++) years.push(y);
  return years;
}
