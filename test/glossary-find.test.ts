import { describe, expect, it } from "vitest";
import { type GlossaryHit, parseGlossary } from "../src/search/glossary.js";

/** What `find` did before it looked terms up by their first character: every term searched, longest first. */
function findByEveryTerm(lines: readonly string[], question: string): GlossaryHit[] {
  const concepts = new Map<string, string[]>();
  for (const line of lines) for (const t of line.split("|")) concepts.set(t, [...new Set([...(concepts.get(t) ?? []), ...line.split("|")])]);
  const terms = [...concepts.keys()].sort((a, b) => b.length - a.length);
  const taken = new Array<boolean>(question.length).fill(false);
  const hits: GlossaryHit[] = [];
  for (const term of terms) {
    let from = 0;
    for (let at = question.indexOf(term, from); at >= 0; at = question.indexOf(term, from)) {
      from = at + term.length;
      if (taken.slice(at, at + term.length).some(Boolean)) continue;
      taken.fill(true, at, at + term.length);
      hits.push({ term, concept: concepts.get(term)! });
    }
  }
  return hits;
}

describe("glossary terms found in a question", () => {
  it("are those every term searched in turn would find, in the same order, overlaps and repeats included", () => {
    // Overlapping terms (全总 inside 全总工会, 工会 across both), a term on two lines, one of an astral character (𠮷).
    const lines = ["全总|全国总工会", "全总工会|全国总工会", "工会|工联", "总工|总工程师", "外卖小哥|外卖配送员", "小哥|小伙子", "𠮷野|吉野", "会员|会友"];
    const glossary = parseGlossary(lines.join("\n"), "test");
    const alphabet = [..."全总工会国外卖小哥配送员程师联伙子野吉友的了"].concat(["𠮷"]);
    let a = 12345;
    let found = 0;
    for (let q = 0; q < 3_000; q++) {
      let question = "";
      const n = 1 + (q % 14);
      for (let i = 0; i < n; i++) {
        a = (Math.imul(a, 1103515245) + 12345) >>> 0;
        question += alphabet[(a >>> 8) % alphabet.length];
      }
      const hits = glossary.find(question);
      expect(hits, question).toEqual(findByEveryTerm(lines, question));
      found += hits.length;
    }
    // The comparison means something only if many questions hold terms.
    expect(found).toBeGreaterThan(200);
    expect(glossary.find("𠮷野家的全总工会会员").map((h) => h.term)).toEqual(["全总工会", "𠮷野", "会员"]);
  });
});
