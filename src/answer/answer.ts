import type { RetrievalMode } from "../config.js";
import type { Byline } from "../corpus/story.js";

/** A source listed under an answer; `n` is the number its marker `[n]` shows. */
export interface Citation {
  readonly n: number;
  readonly storyId: string;
  readonly title: string;
  readonly byline?: Byline;
  /** 1-based paragraph number within the story. */
  readonly paragraph: number;
  /** The cited paragraph as printed (not the embedded text). */
  readonly text: string;
  readonly score: number;
  readonly date?: string;
  readonly file: string;
}

/** One retrieved passage, in ranked order, for evaluation and "more sources". */
export interface RankedPassage {
  readonly storyId: string;
  readonly title: string;
  readonly paragraph: number;
  readonly text: string;
  readonly score: number;
  /** idf-weighted share of the question's words it holds: what the answer-or-abstain decision reads. */
  readonly coverage?: number;
}

/** What the engine says to a question, for every presenter alike. */
export interface Answer {
  readonly question: string;
  readonly mode: RetrievalMode;
  readonly abstained: boolean;
  /**
   * The answer text: quoted sentences each followed by `[n]`, or, when
   * abstaining, the plain statement that the news does not cover it plus advice.
   */
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly passages: readonly RankedPassage[];
  /** When abstaining: titles of the closest stories, to help rephrasing. */
  readonly closestTitles: readonly string[];
  /**
   * Phrases inside the answer that carry what was asked (the number for
   * 多少, the name for 谁, …): presenters that can, show them in bold.
   */
  readonly emphasis?: readonly string[];
  /**
   * The date of the report the answer was taken from, when it was chosen
   * among reports of several dates (the newest, or the period asked about).
   */
  readonly asOf?: string;
  readonly latencyMs: number;
}
