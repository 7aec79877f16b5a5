import { z } from "zod";
import { CorpusError } from "../errors.js";
import { parseLead } from "./byline.js";
import { normalizeDate } from "../dates.js";
import type { Story } from "./story.js";
import { fileNameDate } from "./story-date.js";
import { storyId } from "./story-id.js";

const record = z.object({
  id: z.string().trim().min(1).max(40).regex(/^[\w.-]+$/, "may hold only letters, digits, _ . -").optional(),
  title: z.string().trim().min(1, "is empty"),
  text: z.string().trim().min(1, "is empty"),
  date: z.string().trim().min(1).optional(),
  url: z.url().optional(),
  source: z.string().trim().min(1).optional(),
  subtitle: z.string().trim().min(1).optional(),
  rubric: z.string().trim().min(1).optional(),
});

/**
 * A CMS export holds one story per line. CMS text is not broken by page
 * layout, so its paragraphs are taken as they are, split on newlines.
 *
 * Parses a CMS export into stories, each with the line it came from, so a
 * later check (a duplicate id) can name it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function parseJsonlLines(file: string, text: string, warnings: string[] = []): { story: Story; line: number }[] {
  const stories: { story: Story; line: number }[] = [];
  const fileDate = fileNameDate(file);
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    let value: unknown;
    let halves = 0;
    try {
      // A `\ud800` escape without its other half (a character a CMS cut in
      // two) parses, but no UTF-8 writer or PostgreSQL's jsonb accepts it.
      value = JSON.parse(line, (_key, v: unknown) => {
        if (typeof v !== "string") return v;
        return v.replace(LONE_SURROGATE, () => {
          halves++;
          return "\uFFFD";
        });
      });
    } catch (error) {
      throw new CorpusError(file, `invalid JSON (${(error as Error).message})`, i + 1);
    }
    if (halves > 0) warnings.push(`${file}:${i + 1}: ${halves} half character(s) (a lone UTF-16 surrogate escape) replaced with �`);
    const parsed = record.safeParse(value);
    if (!parsed.success) {
      const why = parsed.error.issues.map((issue) => `${issue.path.join(".") || "line"} ${issue.message}`);
      throw new CorpusError(file, `not a story record {id?, title, text, date?, url?, source?}: ${why.join("; ")}`, i + 1);
    }
    const r = parsed.data;
    const paragraphs = r.text.split(/\n+/).map((p) => p.trim()).filter((p) => p !== "");
    const byline = parseLead(paragraphs[0] ?? "");
    // A date the CMS wrote in another form is normalized; one that is not a
    // date is reported and the story kept, dated by the file name if it can be.
    const given = r.date === undefined ? undefined : normalizeDate(r.date);
    if (r.date !== undefined && given === undefined) warnings.push(`${file}:${i + 1}: date "${r.date}" is not a date; ${fileDate ? `using ${fileDate} from the file name` : "the story is undated"}`);
    const date = given ?? fileDate;
    stories.push({ line: i + 1, story: {
      id: r.id ?? storyId(file, r.title),
      file,
      title: r.title,
      ...(r.subtitle === undefined ? {} : { subtitle: r.subtitle }),
      ...(r.rubric === undefined ? {} : { rubric: r.rubric }),
      ...(byline === undefined ? {} : { byline }),
      ...(date === undefined ? {} : { date }),
      ...(r.url === undefined ? {} : { url: r.url }),
      ...(r.source === undefined ? {} : { source: r.source }),
      paragraphs,
    } });
  });
  if (stories.length === 0) throw new CorpusError(file, "the file holds no story lines");
  return stories;
}
