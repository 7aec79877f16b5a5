import { Converter } from "opencc-js/t2cn";
import type { EvidenceScorer } from "../search/evidence.js";

/** OpenCC's traditional-to-mainland tables; built at the first question (~15 ms). */
let toSimplified: ((text: string) => string) | undefined;

/**
 * The question in the script the news is written in. A member's phone may
 * type traditional characters (`大國工匠今年推選多少人？`) where the news
 * prints simplified ones, so every word would be missed; but a corpus may
 * hold traditional words of its own (an encyclopedia's `凉茶舖`), which the
 * member's spelling then matches as written. Of the two readings, the one
 * with more words the index knows is asked; a tie keeps the member's.
 */
export function inNewsScript(question: string, evidence: Pick<EvidenceScorer, "terms" | "unseen">): string {
  const simplified = inSimplified(question);
  if (simplified === question) return question;
  const known = (text: string) => {
    const terms = evidence.terms(text);
    return terms.words.size - evidence.unseen(terms).length;
  };
  return known(simplified) > known(question) ? simplified : question;
}

/** The text in simplified (mainland) characters. */
export function inSimplified(text: string): string {
  return (toSimplified ??= Converter({ from: "t", to: "cn" }))(text);
}
