import type { TimeChoice } from "./timeline.js";

/**
 * A follow-up carries the story the previous answer cited: where that story
 * still has evidence for the new question, its passages go first, so "那二等奖呢？"
 * is answered from the same competition, not another one that also gave prizes.
 * Where it has none, the ranking is left as it was: the context is a
 * preference, never a reason to quote a passage that is not evidence.
 */
export function preferStories<T extends { readonly storyId: string; readonly isEvidence: boolean; readonly date: string | undefined }>(
  choice: TimeChoice<T>,
  storyIds: readonly string[] | undefined,
): TimeChoice<T> {
  if (storyIds === undefined || storyIds.length === 0) return choice;
  const preferred = new Set(storyIds);
  if (!choice.evidence.some((p) => preferred.has(p.storyId))) return choice;
  const first = (list: readonly T[]) => [...list.filter((p) => preferred.has(p.storyId)), ...list.filter((p) => !preferred.has(p.storyId))];
  const evidence = first(choice.evidence);
  const { chosenDate: _chosen, ...rest } = choice;
  // The date shown above an answer is the quoted report's: it follows the preferred story.
  const date = evidence[0]!.date;
  return { ...rest, ordered: first(choice.ordered), evidence, ...(choice.chosenDate !== undefined && date !== undefined ? { chosenDate: date } : {}) };
}
