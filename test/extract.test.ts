import { describe, expect, it } from "vitest";
import { extractQuotes } from "../src/answer/extract.js";
import { askedFor } from "../src/answer/asks.js";
import { whatGives } from "../src/answer/gives.js";
import { createEvidenceScorer } from "../src/search/evidence.js";
import { createSegmenter } from "../src/search/segment.js";

/** Every word equally rare, so that only the question's words and what a sentence gives tell sentences apart. */
const evidence = createEvidenceScorer(createSegmenter(), { idf: (w) => (w === "\u0000never-indexed" ? 9 : 2) });

describe("the sentences quoted", () => {
  const question = "风区抢险救援队最年轻的90后驾驶员，这些年一共救了多少被困的人？";
  const passages = [{ text: "“90后”驾驶员李长青是风区抢险救援队最年轻的队员，开过3种救援车。", title: "风区抢险救援队" }, { text: "这些年，救援队累计救助被困群众2.5万余人次。", title: "风区抢险救援队" }];
  const terms = evidence.terms(question);
  const asked = askedFor(question);

  it("for a count, the sentence giving the count asked is quoted and bolded, not one numbering something else", () => {
    const quotes = extractQuotes(evidence, terms, passages, question, { askedBonus: 0.3, asked, gives: whatGives(asked, question, terms).inSentence });
    expect(quotes.map((q) => q.emphasis)).toEqual([undefined, "2.5万余人次"]);
  });

  it("without what the question wants of a sentence, any number earns the bonus", () => {
    const quotes = extractQuotes(evidence, terms, passages, question, { askedBonus: 0.3, asked });
    expect(quotes.map((q) => q.emphasis)).toEqual(["3种"]);
  });
});
