import { describe, expect, it } from "vitest";
import { compareTopK, referenceTopK } from "../src/bench/lexical-ties.js";
import type { LexicalHit } from "../src/search/lexical.js";

const hits = (...pairs: [string, number][]): LexicalHit[] => pairs.map(([key, score]) => ({ key, slot: -1, score }));

describe("the stores bench's top-k agreement", () => {
  it("counts a passage swapped for another tied at the k-th score as a tie, and one outscored as a miss", () => {
    // Reference: a 3, b 2, c 1, then d and e tie with c past k = 3.
    const reference = referenceTopK(hits(["a", 3], ["b", 2], ["c", 1], ["d", 1], ["e", 1], ["f", 0.5]), 3);
    expect(reference.tiedPastK).toBe(2);
    const tie = compareTopK(3, [{ reference, other: hits(["a", 3], ["b", 2], ["d", 1]) }]);
    expect(tie).toMatchObject({ agreement: 0.667, agreementUpToTies: 1, missing: 1, missingTied: 1, missingReal: 0, sameScores: 1, questionsTiedPastK: 1, tiedPastK: 2 });
    const miss = compareTopK(3, [{ reference, other: hits(["a", 3], ["c", 1], ["d", 1]) }]);
    expect(miss).toMatchObject({ agreement: 0.667, agreementUpToTies: 0.667, missing: 1, missingTied: 0, missingReal: 1, sameScores: 0 });
  });
});
