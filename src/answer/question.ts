import { QuestionError } from "../errors.js";

export const MAX_QUESTION_CHARS = 500;

/** Digits as voice input writes a year (`二零二五年`, `二〇二四年`): 〇 and 零 are both 0. */
const CN_DIGIT = "零一二三四五六七八九〇";

/**
 * Cleans a member's question before retrieval: full-width Latin letters and
 * digits become half-width (`１１３１１` finds `11311`), a year spoken digit by digit
 * is written in digits (`二零二五年` → `2025年`, as voice input types it), whitespace collapses.
 * Questions that cannot be answered as asked get a reply that says why,
 * never an exception the member would see as silence.
 */
export function normalizeQuestion(raw: string): string {
  const text = raw
    .replace(/[\uff01-\uff5e]/g, (c) => (/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/.test(c) ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : c))
    .replace(/[\s\u3000]+/g, " ")
    .replace(/(?<![〇零一二三四五六七八九十百千万])[〇零一二三四五六七八九]{4}(?=年)/g, (year) => [...year].map((d) => CN_DIGIT.indexOf(d) % 10).join(""))
    .trim();
  if (text === "") throw new QuestionError("empty", "请输入您想了解的问题，例如：公交职工收到了哪些防暑降温慰问品？");
  if ([...text].length > MAX_QUESTION_CHARS) {
    throw new QuestionError("too-long", `问题太长了（超过${MAX_QUESTION_CHARS}字），请用一两句话概括您想了解的内容。`);
  }
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw new QuestionError("no-words", "没有看懂这条消息，请用文字提出问题，例如：杨华清是谁？");
  }
  return text;
}
