import { CorpusError } from "../errors.js";
import { isLead, parseLead } from "./byline.js";
import type { Story } from "./story.js";
import { storyId } from "./story-id.js";
import { fileNameDate, headerDate, leadDate, yearOf } from "./story-date.js";
import { endsSentence, hasInnerSpace } from "./text.js";

/** The stories of one page plus anything the parser had to leave out, by line. */
export interface ParsedPage {
  readonly stories: Story[];
  /** The line of each story's first heading, parallel to `stories`. */
  readonly lines: number[];
  readonly warnings: string[];
}

interface Line {
  readonly text: string;
  /** 1-based line number in the file. */
  readonly no: number;
}

const MAX_HEADINGS = 4;

/**
 * Parses a raw text dump of a newspaper page into stories.
 *
 * Dumps carry no markup, so structure is inferred: a story's body starts at
 * its lead (`本报讯（记者 …）`), the short unpunctuated lines right above a
 * lead are its headings, and any body line that does not end a sentence was
 * broken by the page layout and is rejoined with the next. Headings are
 * never rejoined with body text, because they are found before joining.
 */
export function parseRawPage(file: string, text: string): ParsedPage {
  const lines: Line[] = text
    .split("\n")
    .map((t, i) => ({ text: t.trim(), no: i + 1 }))
    .filter((l) => l.text !== "");
  const leads = lines.flatMap((l, i) => (isLead(l.text) ? [i] : []));
  if (leads.length === 0) {
    throw new CorpusError(
      file,
      "no story found: a story is a headline followed by a lead such as 本报讯（记者 …）",
      lines[0]?.no ?? 1,
    );
  }

  const headingStarts = leads.map((lead, k) => headingStart(lines, lead, k === 0 ? -1 : leads[k - 1]!));
  const warnings: string[] = [];
  let pageDate = findDate(lines.slice(0, headingStarts[0]));
  for (const l of lines.slice(0, headingStarts[0])) {
    if (headerDate(l.text) === undefined) warnings.push(`${file}:${l.no}: text before the first story ignored: ${l.text.slice(0, 30)}`);
  }

  // Dates, most trusted first: the story's dateline, the page header, the file name.
  const fileDate = fileNameDate(file);
  const seen = new Map<string, number>();
  const stories = leads.map((lead, k) => {
    const headingLines = lines.slice(headingStarts[k], lead);
    const bodyEnd = k + 1 < leads.length ? headingStarts[k + 1]! : lines.length;
    const body = lines.slice(lead, bodyEnd);
    pageDate = findDate(headingLines) ?? pageDate;
    const headings = splitHeadings(headingLines.filter((l) => headerDate(l.text) === undefined));
    if (headings === undefined) {
      throw new CorpusError(file, "this story has no headline above its lead", lines[lead]!.no);
    }
    const occurrence = (seen.get(headings.title) ?? 0) + 1;
    seen.set(headings.title, occurrence);
    const byline = parseLead(lines[lead]!.text);
    const date = leadDate(lines[lead]!.text, yearOf(pageDate ?? fileDate)) ?? pageDate ?? fileDate;
    return {
      id: storyId(file, headings.title, occurrence),
      file,
      title: headings.title,
      ...(headings.subtitle === undefined ? {} : { subtitle: headings.subtitle }),
      ...(headings.rubric === undefined ? {} : { rubric: headings.rubric }),
      ...(byline === undefined ? {} : { byline }),
      ...(date === undefined ? {} : { date }),
      paragraphs: rejoinBrokenLines(body.map((l) => l.text)),
    } satisfies Story;
  });
  const storyLines = leads.map((lead, k) => lines[headingStarts[k]!]?.no ?? lines[lead]!.no);
  return { stories, lines: storyLines, warnings };
}

/**
 * Walks up from a lead over the lines that can be headings: short lines
 * that do not end a statement (a headline may end in ！ or ？, never in 。),
 * stopping at the previous story's body.
 */
function headingStart(lines: readonly Line[], lead: number, previousLead: number): number {
  let start = lead;
  for (let i = lead - 1; i > previousLead && lead - i <= MAX_HEADINGS; i--) {
    const t = lines[i]!.text;
    const limit = i === lead - 1 ? 80 : 60;
    if (t.length > limit || /[。；;，,、：:…][”’"'」』）)】》]*$/.test(t)) break;
    start = i;
  }
  return start;
}

/**
 * Page banners (`夏送清凉 工会行动`) are two phrases set apart by a space and
 * stand above the headline; a line below the headline is its subtitle.
 */
function splitHeadings(
  lines: readonly Line[],
): { title: string; subtitle?: string; rubric?: string } | undefined {
  const texts = lines.map((l) => l.text);
  if (texts.length === 0) return undefined;
  let titleAt = 0;
  const isSubtitle = (t: string) => /^[—-]{1,2}/.test(t);
  while (titleAt < texts.length - 1 && hasInnerSpace(texts[titleAt]!) && !isSubtitle(texts[titleAt + 1]!)) titleAt++;
  const rubric = texts.slice(0, titleAt).join(" ");
  const subtitle = texts
    .slice(titleAt + 1)
    .map((t) => t.replace(/^[—-]+\s*/, ""))
    .join(" ");
  return {
    title: texts[titleAt]!,
    ...(subtitle === "" ? {} : { subtitle }),
    ...(rubric === "" ? {} : { rubric }),
  };
}

/** Joins every line that stops mid-sentence with the line after it. */
export function rejoinBrokenLines(lines: readonly string[]): string[] {
  const paragraphs: string[] = [];
  let current = "";
  for (const line of lines) {
    current += line;
    if (endsSentence(current)) {
      paragraphs.push(current);
      current = "";
    }
  }
  if (current !== "") paragraphs.push(current);
  return paragraphs;
}

function findDate(lines: readonly Line[]): string | undefined {
  for (const l of lines) {
    const date = headerDate(l.text);
    if (date !== undefined) return date;
  }
  return undefined;
}
