import { Converter } from "opencc-js/t2cn";
import type { EvidenceScorer } from "../search/evidence.js";

/**
 * OpenCC's traditional-to-mainland tables with Taiwan's variants (`拖著` → `拖着`, where plain
 * `t` keeps `著`, a simplified character too; `著名` stays); built at the first question (~15 ms).
 */
let toSimplified: ((text: string) => string) | undefined;

/**
 * The question in the script the news is written in. A member's phone may
 * type traditional characters (`大國工匠今年推選多少人？`) where the news
 * prints simplified ones, so every word would be missed; but a corpus may
 * hold traditional words of its own (an encyclopedia's `凉茶舖`), which the
 * member's spelling then matches as written. The member's reading is asked
 * only when the index lacks fewer of its words: on a tie the simplified one
 * is, as question words and stopwords are known in simplified characters
 * (`什麼` would weigh as a word no passage holds).
 */
export function inNewsScript(question: string, evidence: Pick<EvidenceScorer, "terms" | "unseen">): string {
  const simplified = inSimplified(question);
  if (simplified === question) return question;
  // Counted by the words the index lacks: by words it knows, a glossary term read whole (全国五一劳动奖章)
  // is one where the traditional reading has a known 五一 and three unknown words, and the two tied.
  const lacks = (text: string) => evidence.unseen(evidence.terms(text)).length;
  return lacks(question) < lacks(simplified) ? question : simplified;
}

/** The text in simplified (mainland) characters. */
export function inSimplified(text: string): string {
  return (toSimplified ??= Converter({ from: "tw", to: "cn" }))(text);
}
