import { describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { matchTopics } from "../src/alerts/match.js";

/** An engine whose only answer ranks one paragraph of each new story at the coverage given (the engine is not what is tested). */
function engineRanking(coverages: Readonly<Record<string, number>>): Engine {
  return {
    mode: "lexical",
    stories: [],
    story: () => undefined,
    ask: async (question) => ({
      question,
      mode: "lexical",
      abstained: false,
      answer: "",
      citations: [],
      closestTitles: [],
      latencyMs: 0,
      passages: Object.entries(coverages).map(([storyId, coverage]) => ({ storyId, title: storyId, paragraph: 0, text: "", score: coverage, coverage })),
    }),
  };
}

describe("a topic matches a new story", () => {
  it("when one of its paragraphs passes the evidence bar, as an answer must: not at exactly the bar", async () => {
    const matches = await matchTopics(engineRanking({ above: 0.6, at: 0.5, below: 0.4 }), ["送清凉"], new Set(["above", "at", "below"]), 0.5);
    expect(matches.get("送清凉")).toEqual(["above"]);
  });
});
