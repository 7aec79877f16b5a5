import type { Byline } from "../corpus/story.js";
import { displayDate } from "../dates.js";
import type { Citation } from "./answer.js";

/** `记者 宗晓畅`, as a member reads a byline; empty when unknown. */
export function bylineText(byline: Byline | undefined): string {
  if (!byline || byline.names.length === 0) return "";
  return [byline.kind, byline.names.join(" ")].filter((s) => s !== "").join(" ");
}

/**
 * One source under an answer: `《title》 记者 宗晓畅 · 第2段 · 2024年7月3日`.
 * The date at the precision the source gives, else `日期不详` and the file,
 * so a member or editor can find the page; a date is never guessed.
 */
export function sourceLine(c: Citation): string {
  const parts = [`《${c.title}》${bylineText(c.byline) ? ` ${bylineText(c.byline)}` : ""}`, `第${c.paragraph}段`, c.date ? displayDate(c.date) : `日期不详 · ${c.file}`];
  return parts.filter((p) => p !== "").join(" · ");
}

/** The line above an answer taken from one of several dated reports: which one it is. */
export function asOfLine(a: { readonly asOf?: string }): string | undefined {
  return a.asOf === undefined ? undefined : `（据${displayDate(a.asOf)}的报道）`;
}
