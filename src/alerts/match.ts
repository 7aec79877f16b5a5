import type { Engine } from "../answer/engine.js";
import { QuestionError } from "../errors.js";

/** Passages looked at per topic: enough for a few new stories to be found among many old ones on the same subject. */
const MATCH_POOL = 50;

/**
 * Which of the new stories each topic matches, matched the way questions
 * are: the topic is asked of the engine, and a new story matches when one
 * of its retrieved paragraphs holds more than `minCoverage` of the topic's
 * idf-weighted words (the evidence bar answers must pass). A topic that
 * cannot be asked matches nothing.
 */
export async function matchTopics(engine: Engine, topics: readonly string[], newStoryIds: ReadonlySet<string>, minCoverage: number): Promise<Map<string, string[]>> {
  const matches = new Map<string, string[]>();
  if (newStoryIds.size === 0) return matches;
  for (const topic of new Set(topics)) {
    try {
      const answer = await engine.ask(topic, { k: MATCH_POOL });
      const found = answer.passages.filter((p) => newStoryIds.has(p.storyId) && (p.coverage ?? 0) > minCoverage).map((p) => p.storyId);
      if (found.length > 0) matches.set(topic, [...new Set(found)]);
    } catch (error) {
      if (!(error instanceof QuestionError)) throw error;
    }
  }
  return matches;
}
