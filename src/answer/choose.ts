import type { Candidate } from "../search/retrieve.js";

/** The three ways a candidate can count as evidence, judged by the engine for one question. */
export interface EvidenceRules {
  /** It answers by itself: covers the question, holds its topic and names, and gives the kind asked. */
  readonly answers: (c: Candidate) => boolean;
  /** Its story, judged whole, answers (only the best-ranked story is judged so). */
  readonly storyAnswers: (c: Candidate) => boolean;
  /** It states what is asked right beside one of the question's things, at a lower bar of coverage. */
  readonly statesAsked: (c: Candidate) => boolean;
  /** The member asked for the latest: reports of the topic stating it as well answer too, for the newest to be chosen. */
  readonly latest: boolean;
  /** How far below the first stating it another report's coverage may be and still count, asked for the latest. */
  readonly latestMargin: number;
}

export interface EvidenceChoice {
  readonly isEvidence: (c: Candidate) => boolean;
  /** The best-ranked story answers judged whole: all its passages are read for the quotes. */
  readonly wholeStory: boolean;
}

/**
 * Among how many of the first found the one stating what is asked is looked for: 2 and 3 did the same on the
 * development sets, looking further let a CMRC near miss through (README, *Ninth part*).
 */
const STATED_AMONG = 2;

/**
 * Which candidates of a pool count as evidence: those answering by themselves; else the best-ranked story judged
 * whole; else the first found about the question, where it states what is asked beside its topic (the second when
 * the first holds none of its things or lacks a name it names: a notice of `工会服务站点` ranked above the count of
 * `工会驿站`; never further down, where another topic's figure waits).
 */
export function chooseEvidence(pool: readonly Candidate[], rules: EvidenceRules): EvidenceChoice {
  if (pool.some(rules.answers)) return { isEvidence: rules.answers, wholeStory: false };
  const first = pool.slice(0, STATED_AMONG).find((c) => c.holdsTopic && c.missingNames.length === 0);
  if (first === undefined || pool.some(rules.storyAnswers) || !rules.statesAsked(first)) return { isEvidence: rules.storyAnswers, wholeStory: true };
  const isEvidence = (c: Candidate) => c === first || (rules.latest && c.coverage >= first.coverage - rules.latestMargin && rules.statesAsked(c));
  return { isEvidence, wholeStory: false };
}
