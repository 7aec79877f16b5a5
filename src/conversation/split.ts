import { withoutCourtesy } from "../answer/courtesy.js";
import { QuestionError } from "../errors.js";
import type { Segmenter } from "../search/segment.js";
import { readFollowUp } from "./followup.js";

/** More questions than this in one message are asked as one: a list that long is rarely separate questions. */
const MAX_QUESTIONS = 3;

/**
 * The questions of one message, each asked on its own. Members ask two
 * things at once (`送清凉什么时候开始？大国工匠推选多少人？`); asked whole,
 * the message holds half of either question's words, and the engine
 * refuses both. Only questions that each name their own subject are split:
 * one that leans on the one before (`…选了几位？都有谁？`, `杨华清是谁？他是
 * 哪个单位的？`) is asked together with it, since a follow-up carries only the
 * previous question's first nouns, less than the member wrote. Courtesy
 * alone between them (`你好？`) is not a question. One question, or more than
 * MAX_QUESTIONS, comes back as the message itself.
 */
export function splitQuestions(segmenter: Segmenter, message: string): string[] {
  const parts = (message.match(/[^？?]+[？?]*/gu) ?? []).map((p) => p.trim()).filter((p) => p !== "" && !courtesyOnly(p));
  if (parts.length < 2 || parts.length > MAX_QUESTIONS) return [message];
  const ownSubject = parts.every((part, i) => i === 0 || readFollowUp(segmenter, part, parts[i - 1]!) === undefined);
  return ownSubject ? parts : [message];
}

function courtesyOnly(part: string): boolean {
  try {
    withoutCourtesy(part);
    return false;
  } catch (error) {
    if (error instanceof QuestionError) return true;
    throw error;
  }
}
