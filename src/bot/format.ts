import type { Answer, Citation, RankedPassage } from "../answer/answer.js";
import { bylineText, sourceLine } from "../answer/source-line.js";
import type { Story } from "../corpus/story.js";
import { escapeHtml, splitMessage } from "./html.js";

/** An answer as Telegram HTML messages: quotes with markers, then the numbered sources. */
export function formatAnswer(a: Answer): string[] {
  if (a.abstained) {
    const closest = a.closestTitles.length === 0 ? [] : ["", "<b>相关度最高的报道</b>", ...a.closestTitles.map((t) => `• 《${escapeHtml(t)}》`)];
    return splitMessage([escapeHtml(a.answer), ...closest]);
  }
  return splitMessage([...a.answer.split("\n").map(escapeHtml), "", "<b>来源</b>", ...a.citations.map(formatSource)]);
}

function formatSource(c: Citation): string {
  return `[${c.n}] ${escapeHtml(sourceLine(c))}`;
}

/** Sources beyond those cited, for the `更多` button: numbered on from the cited ones. */
export function formatMoreSources(passages: readonly RankedPassage[], firstNumber: number): string[] {
  if (passages.length === 0) return ["没有更多相关段落了。"];
  return splitMessage([
    "<b>更多相关段落</b>",
    ...passages.map((p, i) => `[${firstNumber + i}] 《${escapeHtml(p.title)}》 · 第${p.paragraph}段\n${escapeHtml(snippet(p.text, 120))}`),
  ]);
}

/** A whole story, with the cited paragraph marked so the member sees the quote in context. */
export function formatStory(s: Story, markParagraph?: number): string[] {
  const head = [
    s.rubric ? `<i>${escapeHtml(s.rubric)}</i>` : undefined,
    `<b>${escapeHtml(s.title)}</b>`,
    s.subtitle ? escapeHtml(s.subtitle) : undefined,
    [bylineText(s.byline), s.date ?? s.file].filter((x) => x !== "").map(escapeHtml).join(" · "),
  ].filter((x): x is string => x !== undefined);
  const body = s.paragraphs.map((p, i) =>
    i + 1 === markParagraph ? `▶ <b>第${i + 1}段</b> ${escapeHtml(p)}` : `${escapeHtml(p)}`,
  );
  return splitMessage([...head, "", ...body.flatMap((b) => [b, ""])]);
}

/** A list of stories, most recent first, for `/latest`. */
export function formatStoryList(stories: readonly Story[]): string[] {
  if (stories.length === 0) return ["还没有收录任何报道。"];
  return splitMessage([
    "<b>最新报道</b>",
    ...stories.map((s, i) => `${i + 1}. 《${escapeHtml(s.title)}》 ${escapeHtml(s.date ?? s.file)}\n    /story ${escapeHtml(s.id)}`),
  ]);
}

function snippet(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
