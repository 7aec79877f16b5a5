import { countOf, N, TO_DATE, toDateMonths } from "./when.js";

/**
 * The span of months within a year a figure is for. Statistics are reported
 * to date (`今年1—7月，…共济2.31亿人次`), and the same story is told every month
 * with a longer span: a figure for January to July does not answer for
 * January to August, nor a five-year total (`5年来累计…`) for the first half.
 */
export interface Span {
  readonly first: number;
  readonly last: number;
}

/** 上半年 | 下半年 | 全年 | a span to date (when.ts) | 截至6月底 | 6月底 (groups: half, the five of TO_DATE, as of, as of). */
const SPAN = new RegExp(`([上下])半年|全年|${TO_DATE}|截至${N}月[底末]|(?<![\\d—–\\-~至到])${N}月[底末]`, "g");

/** A total over years (`5年来`, `累计`): no span of one year's months. */
const OVER_YEARS = /\d+年来|累计/;

/** The spans of months `text` states figures for, in order: `上半年` 1–6, `1至7月`, `前三季度` 1–9, `全年` 1–12, `6月底` 1–6. */
export function spansIn(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(SPAN)) {
    const months = monthsOf(m);
    if (months !== undefined) out.push({ first: months[0], last: months[1] });
  }
  return out;
}

function monthsOf(m: RegExpMatchArray): readonly [number, number] | undefined {
  const [whole, half] = m;
  if (half !== undefined) return half === "上" ? [1, 6] : [7, 12];
  if (whole === "全年") return [1, 12];
  const asOf = m[7] ?? m[8];
  if (asOf === undefined) return toDateMonths(m.slice(2, 7));
  const last = countOf(asOf);
  return last === undefined || last < 1 || last > 12 ? undefined : [1, last];
}

/**
 * Whether a sentence's figure can be the one asked for `span`: the sentence
 * states that span, or, for a whole year, states no span and no total over
 * years (`2024年，…共济4.64亿人次`).
 */
export function statesSpan(sentence: string, span: Span): boolean {
  const spans = spansIn(sentence);
  if (spans.some((s) => s.first === span.first && s.last === span.last)) return true;
  return span.first === 1 && span.last === 12 && spans.length === 0 && !OVER_YEARS.test(sentence);
}
