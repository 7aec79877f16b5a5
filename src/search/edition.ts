/**
 * Editions of a recurring event (第三届, 第18届, 第5期, 第七批): each names one
 * occurrence as a name does, so a passage about another edition does not
 * answer for it. News and members write the number either way (第十八次,
 * 第18次 are the same congress), so an edition is matched in both forms.
 */

const DIGITS = "一二三四五六七八九";

/** 第三届, 第 18 届, 第5期, 第七批 in a text (not 次: 第一次 is "the first time", not an edition). */
export const EDITION = /第\s*([\d一二两三四五六七八九十]{1,3})\s*([届期批])/g;

/** 1–99 written in Chinese numerals (十八, 二十一), or undefined outside that range. */
function toChinese(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 99) return undefined;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 0 ? "" : tens === 1 ? "十" : `${DIGITS[tens - 1]}十`}${ones === 0 ? "" : DIGITS[ones - 1]}`;
}

/** 十八 → 18, 二十一 → 21, 两 → 2; undefined for what is not a number of 1–99. */
function fromChinese(text: string): number | undefined {
  const digit = (c: string | undefined) => (c === undefined || c === "" ? undefined : c === "两" ? 2 : DIGITS.indexOf(c) + 1 || undefined);
  const m = /^([一二两三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (m === null || text === "") return undefined;
  const [, tens, ten, ones] = m;
  if (ten === "") return tens === "" ? digit(ones) : ones === "" ? digit(tens) : undefined;
  return (tens === "" ? 1 : digit(tens)!) * 10 + (ones === "" ? 0 : digit(ones)!);
}

/** The editions a text names, as written and without spaces (`第三届`, `第18届`). */
export function editionsIn(text: string): string[] {
  // 第一批 is "the first to", as 首批 is, more often than an edition.
  return [...new Set([...text.matchAll(EDITION)].map((m) => `第${m[1]}${m[2]}`).filter((e) => !/^第[一1]批$/.test(e)))];
}

/** An edition in both its forms (`第十八届` and `第18届`), the written one first. */
export function editionForms(edition: string): string[] {
  const m = /^第([\d一二两三四五六七八九十]+)([届期批])$/.exec(edition);
  if (m === null) return [edition];
  const other = /^\d+$/.test(m[1]!) ? toChinese(Number(m[1])) : String(fromChinese(m[1]!) ?? "");
  return other === undefined || other === "" ? [edition] : [edition, `第${other}${m[2]}`];
}
