import type { Answer } from "../answer/answer.js";
import type { RetrievalMode } from "../config.js";

/** What happened to one question. */
export interface QuestionResult {
  readonly id: string;
  readonly question: string;
  readonly unanswerable: boolean;
  /** Relevance of each ranked passage, in the order returned. */
  readonly relevant: readonly boolean[];
  /** hit@1 … hit@10 (expected values when scores tie). */
  readonly hits: readonly number[];
  readonly reciprocalRank: number;
  readonly ndcg: number;
  readonly abstained: boolean;
  readonly answerHit: boolean;
  readonly citationPrecision: number | null;
  readonly latencyMs: number;
  readonly answer: Answer;
}

/** Why a question counts as failed, readably: what was asked, expected, and what came back. */
export interface Failure {
  readonly id: string;
  readonly question: string;
  /** Gold answers and story, or "unanswerable". */
  readonly expected: string;
  readonly problem: string;
  /** "(abstained …)" or the answer text. */
  readonly got: string;
  /** The top three passages: ✓/✗ relevant, title, paragraph, score, snippet. */
  readonly top: readonly string[];
}

export interface EvalReport {
  readonly mode: RetrievalMode;
  readonly k: number;
  readonly questions: number;
  readonly answerable: number;
  readonly unanswerable: number;
  /** Means over answerable questions; null when there are none. */
  readonly retrieval: {
    readonly hitAt1: number | null;
    readonly hitAt3: number | null;
    readonly hitAt5: number | null;
    readonly hitAt10: number | null;
    readonly mrrAt10: number | null;
    readonly ndcgAt10: number | null;
    /** hit@1 … hit@10, for the chart. */
    readonly hitCurve: readonly (number | null)[];
  };
  readonly answers: {
    /** Share of answerable questions whose answer holds a gold answer. */
    readonly answerHit: number | null;
    /** Mean per-question citation precision over answerable questions that cited something. */
    readonly citationPrecision: number | null;
    readonly abstentionPrecision: number | null;
    readonly abstentionRecall: number | null;
    readonly falseAbstentionRate: number | null;
  };
  /** Nearest-rank, over every question, as the engine measured itself. */
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null; readonly max: number | null };
  readonly failures: readonly Failure[];
  readonly results: readonly QuestionResult[];
}

