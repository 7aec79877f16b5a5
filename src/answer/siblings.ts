import { type PassageList, storyPassages } from "../passages.js";
import type { Candidate } from "../search/retrieve.js";

/** What bringing in a found story's other paragraphs needs from the engine. */
export interface SiblingParts {
  readonly passages: PassageList;
  /** Whether a candidate answers by itself but for the kind asked: it is about what the question is about. */
  readonly onTopic: (c: Candidate) => boolean;
  /** Whether a paragraph gives a phrase of the kind asked (a count, an amount, a date). */
  readonly gives: (i: number) => boolean;
  /** A paragraph judged as the retriever judges its candidates (with its story's title), ranked as `like`. */
  readonly judge: (i: number, like: Candidate) => Candidate;
}

/** How many of the found stories are searched: each is read whole. */
const STORIES_SEARCHED = 5;

/**
 * For a question asking a count, an amount or a date that no candidate both covers and gives: the other paragraphs
 * of the first stories found on its topic that give one, each placed after its story's first candidate. The paragraph
 * giving the count is often worded apart from the rest of the story (`1670人被授予全国劳动模范称号` in a report whose
 * other paragraphs and headline name the congress the member asks about), so BM25 ranks it out of the pool, though
 * with its headline it covers the question as well as its siblings do.
 */
export function withGivingSiblings(candidates: readonly Candidate[], parts: SiblingParts): Candidate[] {
  const known = new Set(candidates.map((c) => c.index));
  const searched = new Set<string>();
  const out: Candidate[] = [];
  for (const c of candidates) {
    out.push(c);
    const story = parts.passages.storyId(c.index);
    if (searched.has(story) || searched.size >= STORIES_SEARCHED || !parts.onTopic(c)) continue;
    searched.add(story);
    const giving = storyPassages(parts.passages, c.index)
      .filter((i) => !known.has(i) && parts.gives(i))
      .map((i) => parts.judge(i, c))
      .filter(parts.onTopic);
    for (const g of giving) known.add(g.index);
    out.push(...giving.sort((a, b) => b.coverage - a.coverage));
  }
  return out;
}
