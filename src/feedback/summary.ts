import type { DownReason, FeedbackRecord } from "../state/store.js";

/** Refused questions that are the same question in other words or punctuation. */
export interface QuestionGroup {
  /** The wording asked most often (the earliest among equals). */
  readonly question: string;
  readonly count: number;
  /** Other wordings grouped with it. */
  readonly variants: readonly string[];
  /** When it was last asked (ms). */
  readonly last: number;
}

/** Two refused questions sharing this share of their character pairs are grouped as one. */
export const NEAR_DUPLICATE = 0.6;

/** What is compared: no punctuation, spaces, case or closing particles (吗, 呢…). */
function normalize(q: string): string {
  return q
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, "")
    .replace(/[吗呢啊吧呀么]+$/u, "");
}

function bigrams(text: string): Set<string> {
  const chars = [...text];
  if (chars.length < 2) return new Set(chars);
  return new Set(chars.slice(1).map((c, i) => chars[i]! + c));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/**
 * Groups questions asked in other words (character-pair overlap of at least
 * NEAR_DUPLICATE, or the same text once punctuation and particles are
 * dropped), most asked first. Greedy: each question joins the first group
 * whose first wording it resembles, which suffices for the handful of
 * questions a week brings.
 */
export function groupQuestions(records: readonly Pick<FeedbackRecord, "question" | "at">[]): QuestionGroup[] {
  const groups: { key: Set<string>; norm: string; wordings: Map<string, number>; last: number; count: number }[] = [];
  for (const r of records) {
    const q = r.question?.trim();
    if (!q) continue;
    const norm = normalize(q);
    const key = bigrams(norm);
    const group = groups.find((g) => g.norm === norm || jaccard(g.key, key) >= NEAR_DUPLICATE);
    if (group) {
      group.count++;
      group.last = Math.max(group.last, r.at);
      group.wordings.set(q, (group.wordings.get(q) ?? 0) + 1);
    } else {
      groups.push({ key, norm, wordings: new Map([[q, 1]]), last: r.at, count: 1 });
    }
  }
  return groups
    .map((g) => {
      const [question] = [...g.wordings.entries()].sort((a, b) => b[1] - a[1])[0]!;
      return { question, count: g.count, variants: [...g.wordings.keys()].filter((w) => w !== question), last: g.last };
    })
    .sort((a, b) => b.count - a.count || b.last - a.last);
}

export interface FeedbackSummary {
  readonly up: number;
  readonly down: number;
  readonly reasons: Readonly<Record<DownReason, number>>;
  /** The latest 👎, newest first. */
  readonly recentDown: readonly FeedbackRecord[];
}

export function summarizeVotes(records: readonly FeedbackRecord[], recent = 5): FeedbackSummary {
  const votes = records.filter((r) => r.kind === "vote");
  const down = votes.filter((r) => r.vote === "down");
  const reasons: Record<DownReason, number> = { "off-point": 0, "wrong-source": 0, outdated: 0 };
  for (const r of down) if (r.reason) reasons[r.reason]++;
  return { up: votes.length - down.length, down: down.length, reasons, recentDown: [...down].sort((a, b) => b.at - a.at).slice(0, recent) };
}
