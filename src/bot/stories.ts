import type { Story } from "../corpus/story.js";
import { sortKey } from "../dates.js";

/**
 * Most recent first: by the last day a story's date can mean (`2024-summer`
 * sorts as the end of August), undated stories last, then by file, keeping
 * page order within a file.
 */
export function latestStories(stories: readonly Story[], n: number): Story[] {
  return stories
    .map((s, i) => ({ s, i }))
    .sort((a, b) => sortKey(b.s.date).localeCompare(sortKey(a.s.date)) || b.s.file.localeCompare(a.s.file) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.s);
}
