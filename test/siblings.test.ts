import { describe, expect, it } from "vitest";
import { withGivingSiblings } from "../src/answer/siblings.js";
import { passageListOf } from "../src/passages.js";
import type { Candidate } from "../src/search/retrieve.js";

/** Two reports of a congress and a commentary on it; only the report's second paragraph says how many were honoured. */
const PASSAGES = [
  { key: "c#0", storyId: "commentary", paragraph: 0, text: "庆祝大会上的重要讲话，为工会工作指明了方向。" },
  { key: "r#0", storyId: "report", paragraph: 0, text: "庆祝大会今天上午举行，市委书记出席大会并讲话。" },
  { key: "r#1", storyId: "report", paragraph: 1, text: "表彰决定宣读：120人被授予市级劳动模范称号。" },
  { key: "r#2", storyId: "report", paragraph: 2, text: "与会代表表示，将立足岗位建功立业。" },
  { key: "r#3", storyId: "report", paragraph: 3, text: "另有30人获评先进工作者，名单见附件。" },
  { key: "o#0", storyId: "other", paragraph: 0, text: "某区工会今年发展会员500人。" },
];
const passages = passageListOf(PASSAGES);

const candidate = (index: number, coverage: number): Candidate => ({ index, score: 1 - index / 10, coverage, missingNames: [], holdsTopic: true, story: undefined, similarity: undefined });

/** A paragraph covers the question when it names the honour asked about; it gives a count when it has one of people. */
const parts = {
  passages,
  onTopic: (c: Candidate) => c.coverage >= 0.5,
  gives: (i: number) => /\d+人/.test(passages.text(i)),
  judge: (i: number, like: Candidate): Candidate => ({ ...candidate(i, passages.text(i).includes("劳动模范") ? 0.9 : 0.3), score: like.score }),
};

describe("a found story's other paragraphs giving the kind asked", () => {
  it("places the story's paragraphs that give it and cover the question after its first candidate, ranked as it", () => {
    const found = withGivingSiblings([candidate(0, 1), candidate(1, 0.6), candidate(5, 0.2)], parts);
    expect(found.map((c) => c.index)).toEqual([0, 1, 2, 5]);
    expect(found[2]!.score).toBe(found[1]!.score);
  });

  it("leaves out paragraphs that give a count but do not cover the question, and stories found off topic", () => {
    const found = withGivingSiblings([candidate(1, 0.6), candidate(5, 0.2)], parts);
    expect(found.map((c) => c.index)).not.toContain(4);
    const offTopic = withGivingSiblings([candidate(1, 0.2)], parts);
    expect(offTopic.map((c) => c.index)).toEqual([1]);
  });

  it("adds no paragraph that is a candidate already, nor any twice", () => {
    const found = withGivingSiblings([candidate(1, 0.6), candidate(2, 0.9), candidate(3, 0.6)], parts);
    expect(found.map((c) => c.index)).toEqual([1, 2, 3]);
  });
});
