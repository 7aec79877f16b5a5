import { normalizeDate, validDay } from "../dates.js";

/**
 * Where a story's date comes from, in the order sources are trusted: the
 * story's own dateline, the page header, the file name. Nothing is guessed:
 * with none of them the date stays unknown.
 */

/** `2024年7月10日`, `2024-07-10`, `2024/7/10`, `2024.07.10` opening a line: a page header or dateline. */
const FULL_DATE = /(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))/;

/** A full date at the start of a line (a page header such as `2024年7月10日 星期三`). */
export function headerDate(line: string): string | undefined {
  const m = FULL_DATE.exec(line);
  if (!m || m.index !== 0) return undefined;
  return validDay(+m[1]!, +(m[2] ?? m[4])!, +(m[3] ?? m[5])!);
}

/**
 * The dateline of a lead: `本报讯（记者 …）7月10日，…` or `今天（11月3日），…`
 * in the first sentence, with the year the page gives. A full date there
 * needs no page year.
 */
export function leadDate(lead: string, pageYear: number | undefined): string | undefined {
  const head = lead.replace(/^本报讯\s*[（(][^（）()]*[）)]\s*/, "").slice(0, 40);
  const full = FULL_DATE.exec(head);
  if (full) return validDay(+full[1]!, +(full[2] ?? full[4])!, +(full[3] ?? full[5])!);
  const m = /^(?:[^，。,]{0,12}?[（(])?(\d{1,2})月(\d{1,2})日/.exec(head);
  if (!m || pageYear === undefined) return undefined;
  return validDay(pageYear, +m[1]!, +m[2]!);
}

const SEASON_WORDS: Readonly<Record<string, string>> = {
  spring: "spring",
  summer: "summer",
  autumn: "autumn",
  fall: "autumn",
  winter: "winter",
  春: "spring",
  夏: "summer",
  秋: "autumn",
  冬: "winter",
};

/**
 * A date in a file name, at the precision it has: `…20240610…` → 2024-06-10,
 * `2024-06-10`, `2024-06`, `2024-summer` / `2024夏`, or a lone year `2024`.
 */
export function fileNameDate(file: string): string | undefined {
  const name = file.split("/").pop() ?? file;
  let m = /(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)/.exec(name);
  if (m) {
    const day = validDay(+m[1]!, +m[2]!, +m[3]!);
    if (day) return day;
  }
  m = /(?<!\d)(\d{4})[-_.](\d{2})(?!\d)/.exec(name);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return normalizeDate(`${m[1]}-${m[2]}`);
  m = /(?<!\d)(\d{4})[-_]?(spring|summer|autumn|fall|winter|春|夏|秋|冬)/i.exec(name);
  if (m) return `${m[1]}-${SEASON_WORDS[m[2]!.toLowerCase()]}`;
  m = /(?<!\d)(19\d{2}|20\d{2})(?!\d)/.exec(name);
  return m ? m[1] : undefined;
}

/** The year a date string names, for reading a dateline without one. */
export function yearOf(date: string | undefined): number | undefined {
  const m = date === undefined ? null : /^(\d{4})/.exec(date);
  return m ? +m[1]! : undefined;
}
