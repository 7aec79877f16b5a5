/**
 * Every paragraph of a story carries the story's title, so BM25 often ranks
 * the story's lead or its most title-like paragraph first, while the
 * paragraph that holds the rest of the question (the figure, the names, the
 * provinces) sits one or two places lower. Within one story, its paragraphs
 * take the places the story earned in coverage order: which stories rank
 * where is the ranking's call, which of a story's paragraphs is cited first
 * is the question's words'. A paragraph takes its place's score too, so
 * scores still fall down the list (ties in them mean what they meant).
 */
export function orderWithinStories<T extends { readonly index: number; readonly coverage: number; readonly score: number }>(ranked: readonly T[], storyOf: (index: number) => string): T[] {
  const placesOf = new Map<string, number[]>();
  ranked.forEach((c, place) => {
    const story = storyOf(c.index);
    const places = placesOf.get(story);
    if (places === undefined) placesOf.set(story, [place]);
    else places.push(place);
  });
  const out = [...ranked];
  for (const places of placesOf.values()) {
    if (places.length < 2) continue;
    // Array.prototype.sort is stable: equal coverage keeps the ranking's order.
    const members = places.map((p) => ranked[p]!).sort((a, b) => b.coverage - a.coverage);
    places.forEach((p, j) => (out[p] = { ...members[j]!, score: ranked[p]!.score }));
  }
  return out;
}
