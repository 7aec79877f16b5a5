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
  readonly latencyMs: number;
}
