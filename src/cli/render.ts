import type { Answer } from "../answer/answer.js";
import { asOfLine, sourceLine } from "../answer/source-line.js";

/** Plain-text answer for a terminal: the quotes, then the sources they cite. */
export function renderAnswer(a: Answer): string {
  if (a.abstained) {
    const closest = a.closestTitles.length > 0 ? `\n相关度最高的报道：${a.closestTitles.map((t) => `《${t}》`).join("、")}` : "";
    return `${a.answer}${closest}`;
  }
  const asOf = asOfLine(a);
  return `${asOf === undefined ? "" : `${asOf}\n`}${a.answer}\n\n来源：\n${a.citations.map((c) => `[${c.n}] ${sourceLine(c)}`).join("\n")}`;
}
