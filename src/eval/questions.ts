import { readFile } from "node:fs/promises";
import { z } from "zod";
import { CorpusError } from "../errors.js";

/** One evaluation question; `answers` and `story` say what a relevant passage holds. */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  /** Strings a correct passage and a correct answer both contain. */
  readonly answers?: readonly string[];
  /** A substring of the expected story's title. */
  readonly story?: string;
  readonly unanswerable?: boolean;
}

const line = z
  .object({
    id: z.string().trim().min(1),
    question: z.string().trim().min(1, "is empty"),
    answers: z.array(z.string().trim().min(1)).min(1).optional(),
    story: z.string().trim().min(1).optional(),
    unanswerable: z.boolean().optional(),
  })
  .strict();

/**
 * Parses a question file (JSON Lines). Any collection can be evaluated, so
 * every problem is named by file and line rather than skipped: a silently
 * dropped question would change the figures.
 */
export function parseQuestionFile(text: string, file: string): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  const ids = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const no = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new CorpusError(file, `invalid JSON (${(error as Error).message})`, no);
    }
    const parsed = line.safeParse(value);
    if (!parsed.success) {
      const why = parsed.error.issues.map((issue) => `${issue.path.join(".") || "line"}: ${issue.message}`).join("; ");
      throw new CorpusError(file, `not a question {id, question, answers?, story?, unanswerable?}: ${why}`, no);
    }
    const q = parsed.data;
    if (q.unanswerable === true && (q.answers !== undefined || q.story !== undefined)) {
      throw new CorpusError(file, `question ${q.id} is unanswerable but names answers or a story`, no);
    }
    if (q.unanswerable !== true && q.answers === undefined && q.story === undefined) {
      throw new CorpusError(file, `question ${q.id} needs answers, a story, or "unanswerable": true`, no);
    }
    const seen = ids.get(q.id);
    if (seen !== undefined) throw new CorpusError(file, `duplicate id ${q.id} (first on line ${seen})`, no);
    ids.set(q.id, no);
    questions.push({
      id: q.id,
      question: q.question,
      ...(q.answers ? { answers: q.answers } : {}),
      ...(q.story ? { story: q.story } : {}),
      ...(q.unanswerable ? { unanswerable: true } : {}),
    });
  });
  if (questions.length === 0) throw new CorpusError(file, "the file holds no questions");
  return questions;
}

export async function readQuestionFile(file: string): Promise<EvalQuestion[]> {
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new CorpusError(file, `cannot read the question file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  });
  return parseQuestionFile(text, file);
}
