import { splitSentences } from "../passages.js";
import { countOf, JOINS, N, TO_DATE, toDateMonths } from "./when.js";

/**
 * The span of months within a year a figure is for. Statistics are reported
 * to date (`今年1—7月，…共济2.31亿人次`), and the same story is told every month
 * with a longer span: a figure for January to July does not answer for
 * January to August, nor a five-year total (`5年来累计…`) for the first half.
 */
export interface Span {
  readonly first: number;
  readonly last: number;
  /**
   * Named by a bare month's end (`2023年8月底`, not `截至8月底`): the figures to date at the end of that month, or
   * what was done then (`2023年8月底…下拨了多少` is answered by the report of that month, `日前…下拨9.6亿元`).
   */
  readonly monthEnd?: boolean;
}

/**
 * 上半年 | 下半年 | 全年 (not a target: `完成全年目标的60%`) | 截至三季度末, 截至6月底 | a span to date (when.ts) |
 * 6月底 (not a deadline: `7月底前`), in named groups.
 */
const SPAN = new RegExp(
  `(?<half>[上下])半年|全年(?!目标|任务|计划)|截至(?:\\d{4}年)?(?:第?(?<asOfQuarter>${N})季度|(?<asOfMonth>${N})月)[底末]|${TO_DATE}|(?<![\\d${JOINS}])(?<monthEnd>${N})月[底末](?!前)`,
  "g",
);

/** A total over years or to date (`5年来`, `十年来`, `党的十八大以来`, `今年以来`): no one span of a year's months. */
const OVER_YEARS = /(?:\d+|[一二两三四五六七八九十百几多近])年(?:以)?来|以来/;

/** The spans of months `text` states figures for, in order: `上半年` 1–6, `1至7月`, `前三季度` 1–9, `全年` 1–12, `6月底` 1–6. */
export function spansIn(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(SPAN)) {
    const months = monthsOf(m);
    if (months !== undefined) out.push({ first: months[0], last: months[1], ...(m.groups?.["monthEnd"] !== undefined ? { monthEnd: true } : {}) });
  }
  return out;
}

function monthsOf(m: RegExpMatchArray): readonly [number, number] | undefined {
  const g = m.groups ?? {};
  if (g["half"] !== undefined) return g["half"] === "上" ? [1, 6] : [7, 12];
  if (m[0].startsWith("全年")) return [1, 12];
  const quarter = g["asOfQuarter"] === undefined ? undefined : countOf(g["asOfQuarter"]);
  const month = g["asOfMonth"] ?? g["monthEnd"];
  const last = quarter !== undefined ? quarter * 3 : month !== undefined ? countOf(month) : undefined;
  if (last !== undefined) return last >= 1 && last <= 12 ? [1, last] : undefined;
  return toDateMonths(g);
}

/** A year named alone (`2024年，…`): its figures are the whole year's, whatever span went before. */
const YEAR_ALONE = /\d{4}年(?![\d一二两三四五六七八九十]|以来|来|[上下]半年|前|底|末|初)/;

/**
 * The sentences of a passage that give a figure for `span`: those stating it, and those after them
 * that state no other span (`今年1—7月，…2.31亿人次。共济金额304.57亿元。`: the amount is of the same
 * months); for a whole year or a bare month's end, those where no span and no total over years is in force
 * too (`2024年，…共济4.64亿人次`, `日前，全国总工会下拨9.6亿元`).
 */
export function sentencesFor(text: string, span: Span): string[] {
  const out: string[] = [];
  let inForce: Span[] = [];
  let overYears = false;
  for (const sentence of splitSentences(text, { atSemicolons: false })) {
    const stated = spansIn(sentence);
    if (stated.length > 0 || OVER_YEARS.test(sentence) || YEAR_ALONE.test(sentence)) {
      inForce = stated;
      overYears = stated.length === 0 && OVER_YEARS.test(sentence);
    }
    const whole = ((span.first === 1 && span.last === 12) || span.monthEnd === true) && inForce.length === 0 && !overYears;
    if (whole || inForce.some((s) => s.first === span.first && s.last === span.last)) out.push(sentence);
  }
  return out;
}
