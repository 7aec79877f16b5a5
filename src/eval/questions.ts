import { readFile } from "node:fs/promises";
import { z } from "zod";
import { CorpusError } from "../errors.js";

/** One evaluation question; `answers` and `story` say what a relevant passage holds. */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  /** Strings a correct passage and a correct answer both contain (any one suffices). */
  readonly answers?: readonly string[];
  /** A substring of the expected story's title. */
  readonly story?: string;
  /** The news does not cover it: the right response is to abstain. */
  readonly unanswerable?: boolean;
  /**
   * Any other scalar keys of the line (`type`, `context_id`, …), kept as
   * text so reports can break every metric down by one of them (`--by type`).
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A line left out of the evaluation, and why; reported, never silent. */
export interface SkippedQuestion {
  readonly line: number;
  readonly reason: string;
}

const KNOWN_KEYS = new Set(["id", "question", "answers", "story", "unanswerable"]);

/** Says "is missing" rather than zod's "expected string, received undefined". */
const text = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is missing" : `must be ${what}`) })
    .trim()
    .min(1, "is empty");

const line = z
  .object({
    id: text("a string"),
    question: text("a string"),
    answers: z.array(text("a string"), { error: "must be an array of strings" }).min(1, "is an empty list").optional(),
    story: text("a string").optional(),
    unanswerable: z.boolean({ error: "must be true or false" }).optional(),
  });
// Real sets carry keys of their own (`context_id`, `type`, …): zod strips them
// here, and `attributesOf` keeps the scalar ones for `--by`.

/**
 * Parses a question file (JSON Lines; blank lines skipped). Any collection can
 * be evaluated, so every problem is refused with its file and 1-based line
 * rather than skipped: a silently dropped question would change the figures.
 * The one exception is a line whose question text is empty (public sets have
 * a few): it cannot be asked, so it is passed to `onSkip` with its line and
 * left out, and the caller says so.
 */
export function parseQuestionFile(text: string, file: string, onSkip?: (skipped: SkippedQuestion) => void): EvalQuestion[] {
  const questions: EvalQuestion[] = [];
  const ids = new Map<string, number>();
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .forEach((raw, i) => {
      const no = i + 1;
      if (raw.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        throw new CorpusError(file, `invalid JSON (${(error as Error).message})`, no);
      }
      if (onSkip !== undefined && isEmptyQuestion(value)) {
        onSkip({ line: no, reason: "the question is empty" });
        return;
      }
      const parsed = line.safeParse(value);
      if (!parsed.success) {
        const why = parsed.error.issues.map((issue) => (issue.path.length === 0 ? issue.message : `"${issue.path.join(".")}" ${issue.message}`)).join("; ");
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
      const attributes = attributesOf(value as Record<string, unknown>);
      questions.push({
        id: q.id,
        question: q.question,
        ...(q.answers === undefined ? {} : { answers: q.answers }),
        ...(q.story === undefined ? {} : { story: q.story }),
        ...(q.unanswerable === true ? { unanswerable: true } : {}),
        ...(attributes === undefined ? {} : { attributes }),
      });
    });
  if (questions.length === 0) throw new CorpusError(file, "the file holds no questions");
  return questions;
}

function isEmptyQuestion(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const question = (value as Record<string, unknown>)["question"];
  return typeof question === "string" && question.trim() === "";
}

function attributesOf(value: Record<string, unknown>): Record<string, string> | undefined {
  const entries = Object.entries(value).flatMap(([key, v]) =>
    KNOWN_KEYS.has(key) || !["string", "number", "boolean"].includes(typeof v) ? [] : [[key, String(v)] as const],
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** Reads and parses a question file; an unreadable file is a CorpusError naming it. */
export async function readQuestionFile(file: string, onSkip?: (skipped: SkippedQuestion) => void): Promise<EvalQuestion[]> {
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new CorpusError(file, `cannot read the question file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  });
  return parseQuestionFile(text, file, onSkip);
}

/**
 * Which half of a question set a question falls in, by a hash of its id
 * (FNV-1a): stable across runs and machines, independent of file order, so a
 * threshold can be fitted on `dev` and reported on `test` of one set.
 */
export function foldOf(id: string): "dev" | "test" {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2 === 0 ? "dev" : "test";
}
