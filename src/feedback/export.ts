import { createHash } from "node:crypto";
import type { FeedbackRecord } from "../state/store.js";
import { groupQuestions } from "./summary.js";

/**
 * One line of the evaluation question format (`src/eval/questions.ts`).
 * The label is provisional — what the bot did: `unanswerable: true` for a
 * refusal, the cited story for a 👎 — and `needs_label: true` marks it for
 * an admin, who fixes the label (adds `answers`, corrects `story` or drops
 * `unanswerable`) and deletes `needs_label`. The other keys are kept by the
 * evaluator as attributes, so `npm run eval -- --by type` splits by them.
 */
export interface ExportedQuestion {
  readonly id: string;
  readonly question: string;
  readonly unanswerable?: true;
  readonly story?: string;
  readonly type: "refused" | "downvoted";
  readonly needs_label: true;
  /** How many times it was asked (refused) or voted down. */
  readonly count: number;
  readonly last_seen: string;
  readonly reason?: string;
  readonly bot_answer?: string;
  readonly cited?: string;
  readonly mode?: string;
  readonly build?: string;
}

const idOf = (prefix: string, text: string) => `${prefix}-${createHash("sha256").update(text).digest("hex").slice(0, 10)}`;

/** Refused questions (near-duplicates grouped) and 👎 answers, as evaluation lines. */
export function exportQuestions(records: readonly FeedbackRecord[]): ExportedQuestion[] {
  const refused = groupQuestions(records.filter((r) => r.kind === "refused"));
  const lines: ExportedQuestion[] = refused.map((g) => {
    const latest = records.filter((r) => r.kind === "refused" && r.question?.trim() === g.question).at(-1);
    return {
      id: idOf("refused", g.question),
      question: g.question,
      unanswerable: true,
      type: "refused",
      needs_label: true,
      count: g.count,
      last_seen: new Date(g.last).toISOString(),
      ...(latest?.mode ? { mode: latest.mode } : {}),
      ...(latest?.build ? { build: latest.build } : {}),
    };
  });
  const down = new Map<string, FeedbackRecord[]>();
  for (const r of records) {
    if (r.kind === "vote" && r.vote === "down" && r.question) down.set(r.answerId, [...(down.get(r.answerId) ?? []), r]);
  }
  for (const [answerId, votes] of down) {
    const r = votes.at(-1)!;
    const first = r.citations?.[0];
    const reasons = [...new Set(votes.flatMap((v) => (v.reason ? [v.reason] : [])))];
    lines.push({
      id: `down-${answerId}`,
      question: r.question!,
      ...(first ? { story: first.title } : { unanswerable: true as const }),
      type: "downvoted",
      needs_label: true,
      count: votes.length,
      last_seen: new Date(Math.max(...votes.map((v) => v.at))).toISOString(),
      ...(reasons.length > 0 ? { reason: reasons.join(",") } : {}),
      ...(r.answer ? { bot_answer: r.answer } : {}),
      ...(r.citations && r.citations.length > 0 ? { cited: r.citations.map((c) => `${c.title} #${c.paragraph}`).join("; ") } : {}),
      ...(r.mode ? { mode: r.mode } : {}),
      ...(r.build ? { build: r.build } : {}),
    });
  }
  return lines;
}

/** JSON Lines, one question per line. */
export function toJsonLines(questions: readonly ExportedQuestion[]): string {
  return questions.map((q) => JSON.stringify(q)).join("\n") + (questions.length > 0 ? "\n" : "");
}
