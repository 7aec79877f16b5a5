/**
 * Dates at the precision a source gives them. A story's `date` is one of
 * `2024-07-10` (day), `2024-07` (month), `2024-summer` (season) or `2024`
 * (year): a page that only says "2024 summer" must not be shown as if it
 * said a day. Question time expressions resolve to the same `Period`s, so
 * "2024年夏天" and a story dated `2024-07-10` can be compared.
 */

export type Precision = "day" | "month" | "season" | "year";

/** A closed range of days, `from` ≤ `to`, both `YYYY-MM-DD`. */
export interface Period {
  readonly from: string;
  readonly to: string;
  readonly precision: Precision;
}

export const SEASONS = { spring: [3, 5], summer: [6, 8], autumn: [9, 11], winter: [12, 14] } as const;
export type Season = keyof typeof SEASONS;

const pad = (n: number) => String(n).padStart(2, "0");

export function isoDay(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A real calendar day, or undefined (`2024-02-30` is not one). */
export function validDay(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || year < 1900 || year > 2100) return undefined;
  return isoDay(year, month, day);
}

export function dayPeriod(year: number, month: number, day: number): Period {
  const d = isoDay(year, month, day);
  return { from: d, to: d, precision: "day" };
}

export function monthPeriod(year: number, month: number): Period {
  return { from: isoDay(year, month, 1), to: isoDay(year, month, daysIn(year, month)), precision: "month" };
}

/** Winter runs from December into the next year's February. */
export function seasonPeriod(year: number, season: Season): Period {
  const [first, last] = SEASONS[season];
  const end = last > 12 ? { y: year + 1, m: last - 12 } : { y: year, m: last };
  return { from: isoDay(year, first, 1), to: isoDay(end.y, end.m, daysIn(end.y, end.m)), precision: "season" };
}

export function yearPeriod(year: number): Period {
  return { from: isoDay(year, 1, 1), to: isoDay(year, 12, 31), precision: "year" };
}

/** Months `first..last` of one year (a half year, a quarter). */
export function monthsPeriod(year: number, first: number, last: number): Period {
  return { from: isoDay(year, first, 1), to: isoDay(year, last, daysIn(year, last)), precision: "month" };
}

/**
 * The period a normalized story date stands for: `2024-07-10`, `2024-07`,
 * `2024-summer`, `2024`; undefined for anything else.
 */
export function periodOf(date: string | undefined): Period | undefined {
  if (date === undefined) return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) return validDay(+m[1]!, +m[2]!, +m[3]!) === undefined ? undefined : dayPeriod(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})-(\d{2})$/.exec(date);
  if (m) return +m[2]! >= 1 && +m[2]! <= 12 ? monthPeriod(+m[1]!, +m[2]!) : undefined;
  m = /^(\d{4})-(spring|summer|autumn|winter)$/.exec(date);
  if (m) return seasonPeriod(+m[1]!, m[2] as Season);
  m = /^(\d{4})$/.exec(date);
  if (m) return yearPeriod(+m[1]!);
  return undefined;
}

export function overlaps(a: Period, b: Period): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** Days between the middles of two periods; how far a report is from the period asked about. */
export function distanceInDays(a: Period, b: Period): number {
  if (overlaps(a, b)) return 0;
  const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
  return Math.round(Math.min(Math.abs(ms(a.from) - ms(b.to)), Math.abs(ms(b.from) - ms(a.to))) / 86_400_000);
}

/** For ordering stories newest first: the last day a date could mean (unknown dates sort last). */
export function sortKey(date: string | undefined): string {
  return periodOf(date)?.to ?? "";
}

/** Today as `YYYY-MM-DD` in UTC, or the configured day (NOW) when evaluating an archive. */
export function today(now: string | undefined): { year: number; month: number; day: number; iso: string } {
  const iso = now ?? new Date().toISOString().slice(0, 10);
  const [year, month, day] = iso.split("-").map(Number) as [number, number, number];
  return { year, month, day, iso };
}

/**
 * Normalizes a date as sources write it (`2024-07-10`, `2024/7/10`,
 * `2024.07.10`, `2024年7月10日`, `2024-07`, `2024年7月`, `2024`, also with a time
 * after it) to the stored form; undefined when it is not a real date.
 */
export function normalizeDate(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:$|[\sT])/.exec(t);
  if (m) return validDay(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(t);
  if (m) return +m[2]! >= 1 && +m[2]! <= 12 ? `${m[1]}-${pad(+m[2]!)}` : undefined;
  m = /^(\d{4})\s*年?$/.exec(t);
  if (m) return +m[1]! >= 1900 && +m[1]! <= 2100 ? m[1] : undefined;
  m = /^(\d{4})-(spring|summer|autumn|winter)$/.exec(t);
  if (m) return t;
  return undefined;
}

const SEASON_NAMES: Readonly<Record<Season, string>> = { spring: "春季", summer: "夏季", autumn: "秋季", winter: "冬季" };

/** A stored date as members read it: `2024年7月10日`, `2024年7月`, `2024年夏季`, `2024年`. */
export function displayDate(date: string): string {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) return `${m[1]}年${+m[2]!}月${+m[3]!}日`;
  m = /^(\d{4})-(\d{2})$/.exec(date);
  if (m) return `${m[1]}年${+m[2]!}月`;
  m = /^(\d{4})-(spring|summer|autumn|winter)$/.exec(date);
  if (m) return `${m[1]}年${SEASON_NAMES[m[2] as Season]}`;
  m = /^(\d{4})$/.exec(date);
  return m ? `${m[1]}年` : date;
}
