import type { Answer, Citation, RankedPassage } from "../answer/answer.js";
import { asOfLine, bylineText, sourceLine } from "../answer/source-line.js";
import { displayDate } from "../dates.js";
import type { Story } from "../corpus/story.js";
import { clip, escapeHtml, splitMessage, TELEGRAM_MESSAGE_LIMIT } from "./html.js";

/**
 * Titles are shown cut to this many characters: a headline is never longer,
 * but a corpus file can hold anything, and a title must leave room in a
 * message (and in a source line) for what follows it.
 */
export const TITLE_DISPLAY_CHARS = 120;

/** A title as members see it: cut with an ellipsis when over-long, escaped. */
export function titleHtml(title: string, max = TITLE_DISPLAY_CHARS): string {
  return escapeHtml(clip(title, max));
}

/** How a follow-up was read, above its answer, so a member sees what was really asked. */
function readAsLine(readAs: string | undefined): string[] {
  return readAs === undefined ? [] : [`<i>接着上一个问题，理解为：${escapeHtml(readAs)}</i>`, ""];
}

/**
 * An answer as Telegram HTML messages: quotes with markers, then the
 * numbered sources; `readAs` is the question a follow-up was read as.
 */
export function formatAnswer(a: Answer, readAs?: string): string[] {
  if (a.abstained) {
    // Numbered as the buttons that open them.
    const closest = a.closestTitles.length === 0 ? [] : ["", "<b>相关度最高的报道</b>", ...a.closestTitles.map((t, i) => `${i + 1}. 《${titleHtml(t)}》`)];
    return splitMessage([...readAsLine(readAs), escapeHtml(a.answer), ...closest]);
  }
  const asOf = asOfLine(a);
  const lines = a.answer.split("\n").map((line) => boldFirst(escapeHtml(line), (a.emphasis ?? []).map(escapeHtml)));
  return splitMessage([...readAsLine(readAs), ...(asOf === undefined ? [] : [escapeHtml(asOf)]), ...lines, "", "<b>来源</b>", ...a.citations.map(formatSource)]);
}

/**
 * The phrase that carries what was asked (the number for 多少…), in bold where it first stands in the line as a
 * whole: the phrases are the whole answer's, and another line's `2亿元` is not the end of this one's `12亿元`.
 */
function boldFirst(html: string, phrases: readonly string[]): string {
  for (const p of phrases) {
    if (p === "") continue;
    for (let at = html.indexOf(p); at >= 0; at = html.indexOf(p, at + 1)) {
      const cutsNumber = (/^\d/.test(p) && /[\d.]/.test(html[at - 1] ?? "")) || (/\d$/.test(p) && /[\d.]/.test(html[at + p.length] ?? ""));
      if (!cutsNumber) return `${html.slice(0, at)}<b>${p}</b>${html.slice(at + p.length)}`;
    }
  }
  return html;
}

/** A story's date as members read it, or that it is unknown: never guessed. */
export function storyDate(s: Story): string {
  return s.date === undefined ? "日期不详" : displayDate(s.date);
}

function formatSource(c: Citation): string {
  return `[${c.n}] ${escapeHtml(sourceLine({ ...c, title: clip(c.title, TITLE_DISPLAY_CHARS) }))}`;
}

/** Sources beyond those cited, for the `更多` button: numbered on from the cited ones. */
export function formatMoreSources(passages: readonly RankedPassage[], firstNumber: number): string[] {
  if (passages.length === 0) return ["没有更多相关段落了。"];
  return splitMessage([
    "<b>更多相关段落</b>",
    ...passages.map((p, i) => `[${firstNumber + i}] 《${titleHtml(p.title)}》 · 第${p.paragraph}段\n${escapeHtml(snippet(p.text, 120))}`),
  ]);
}

/** Room kept on each page of a story for its `（第 2/5 页）` line. */
const PAGE_FOOTER_ROOM = 32;

/**
 * A whole story as pages of one message each, with the cited paragraph
 * marked so the member sees the quote in context. Pages are sent one at a
 * time (a `下一页` button), never all at once: a very long story would
 * otherwise be hundreds of messages for one press.
 */
export function storyPages(s: Story, markParagraph?: number): string[] {
  const head = [
    s.rubric ? `<i>${titleHtml(s.rubric)}</i>` : undefined,
    `<b>${titleHtml(s.title)}</b>`,
    s.subtitle ? titleHtml(s.subtitle) : undefined,
    [bylineText(s.byline), storyDate(s)].filter((x) => x !== "").map((x) => titleHtml(x)).join(" · "),
  ].filter((x): x is string => x !== undefined);
  const body = s.paragraphs.map((p, i) =>
    i + 1 === markParagraph ? `▶ <b>第${i + 1}段</b> ${escapeHtml(p)}` : `${escapeHtml(p)}`,
  );
  return splitMessage([...head, "", ...body.flatMap((b) => [b, ""])], TELEGRAM_MESSAGE_LIMIT - PAGE_FOOTER_ROOM);
}

/** The page a story opens on: the one holding the marked paragraph, else the first. */
export function pageOfParagraph(pages: readonly string[], paragraph: number): number {
  if (paragraph <= 0) return 0;
  return Math.max(0, pages.findIndex((p) => p.includes(`▶ <b>第${paragraph}段</b>`)));
}

/** One page of a story, with where it stands when there are several. */
export function storyPage(pages: readonly string[], page: number): string {
  return pages.length <= 1 ? (pages[0] ?? "") : `${pages[page]}\n\n<i>（第 ${page + 1}/${pages.length} 页）</i>`;
}

/** A list of stories, most recent first, for `/latest`. */
export function formatStoryList(stories: readonly Story[], heading = "最新报道"): string[] {
  if (stories.length === 0) return ["还没有收录任何报道。"];
  return splitMessage([
    `<b>${escapeHtml(heading)}</b>`,
    ...stories.map((s, i) => `${i + 1}. 《${titleHtml(s.title)}》 ${escapeHtml(storyDate(s))}\n    /story ${escapeHtml(s.id)}`),
  ]);
}

function snippet(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
