import { describe, expect, it } from "vitest";
import { chooseEvidence, type EvidenceRules } from "../src/answer/choose.js";
import type { Candidate } from "../src/search/retrieve.js";

const candidate = (index: number, over: Partial<Candidate> = {}): Candidate => ({ index, score: 1 / (index + 1), coverage: 0.4, missingNames: [], holdsTopic: true, story: undefined, similarity: undefined, ...over });

/** Rules as the engine's, by index: which candidates answer by themselves, by their story, or state what is asked. */
function rules(answering: number[], stories: number[], stating: number[], latest = false): EvidenceRules {
  return {
    answers: (c) => answering.includes(c.index),
    storyAnswers: (c) => stories.includes(c.index),
    statesAsked: (c) => stating.includes(c.index),
    latest,
    latestMargin: 0.3,
  };
}

describe("which candidates count as evidence", () => {
  it("takes those answering by themselves first, then the story judged whole", () => {
    const pool = [candidate(0), candidate(1), candidate(2)];
    const byThemselves = chooseEvidence(pool, rules([1], [0], [0]));
    expect(pool.filter(byThemselves.isEvidence).map((c) => c.index)).toEqual([1]);
    expect(byThemselves.wholeStory).toBe(false);
    const story = chooseEvidence(pool, rules([], [0, 1], [0]));
    expect(pool.filter(story.isEvidence).map((c) => c.index)).toEqual([0, 1]);
    expect(story.wholeStory).toBe(true);
  });

  it("takes the first found stating what is asked, the second when the first is about something else, never the third", () => {
    const both = [candidate(0), candidate(1)];
    expect(both.filter(chooseEvidence(both, rules([], [], [0, 1])).isEvidence).map((c) => c.index)).toEqual([0]);
    // The first holds none of the question's things: the second, which states the count beside them, answers.
    const offTopic = [candidate(0, { holdsTopic: false }), candidate(1), candidate(2)];
    expect(offTopic.filter(chooseEvidence(offTopic, rules([], [], [1, 2])).isEvidence).map((c) => c.index)).toEqual([1]);
    // Nor a name it names.
    const unnamed = [candidate(0, { missingNames: ["上海"] }), candidate(1)];
    expect(unnamed.filter(chooseEvidence(unnamed, rules([], [], [1])).isEvidence).map((c) => c.index)).toEqual([1]);
    // Two off topic: the third is not looked at.
    const far = [candidate(0, { holdsTopic: false }), candidate(1, { holdsTopic: false }), candidate(2)];
    expect(far.filter(chooseEvidence(far, rules([], [], [2])).isEvidence)).toEqual([]);
  });

  it("asked for the latest, takes the other reports stating it within the margin too", () => {
    const pool = [candidate(0, { coverage: 0.45 }), candidate(1, { coverage: 0.35 }), candidate(2, { coverage: 0.1 })];
    expect(pool.filter(chooseEvidence(pool, rules([], [], [0, 1, 2], true)).isEvidence).map((c) => c.index)).toEqual([0, 1]);
    expect(pool.filter(chooseEvidence(pool, rules([], [], [0, 1, 2], false)).isEvidence).map((c) => c.index)).toEqual([0]);
  });
});
