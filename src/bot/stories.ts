import type { Story } from "../corpus/story.js";

/** Most recent first: by date when the stories have one, else by file, keeping page order within a file. */
export function latestStories(stories: readonly Story[], n: number): Story[] {
  return stories
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (b.s.date ?? "").localeCompare(a.s.date ?? "") || b.s.file.localeCompare(a.s.file) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.s);
}
