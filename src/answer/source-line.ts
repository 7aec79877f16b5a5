import type { Byline } from "../corpus/story.js";
import type { Citation } from "./answer.js";

/** `记者 宗晓畅`, as a member reads a byline; empty when unknown. */
export function bylineText(byline: Byline | undefined): string {
  if (!byline || byline.names.length === 0) return "";
  return [byline.kind, byline.names.join(" ")].filter((s) => s !== "").join(" ");
}

/**
 * One source under an answer: `《title》 记者 宗晓畅 · 第2段 · 2024-07-03`.
 * The date when known, else the file, so a member or editor can find the page.
 */
export function sourceLine(c: Citation): string {
  const parts = [`《${c.title}》${bylineText(c.byline) ? ` ${bylineText(c.byline)}` : ""}`, `第${c.paragraph}段`, c.date ?? c.file];
  return parts.filter((p) => p !== "").join(" · ");
}
