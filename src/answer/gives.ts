import type { QueryTerms } from "../search/evidence.js";
import { type Asked, answerPhrases, countAsked, countPhrase, dateAsked, dateGiven, givesCount, quantityAsked, shareAsked, shareGiven } from "./asks.js";
import { sentencesFor, spansIn } from "./span.js";

/**
 * How far a count may stand from the thing a count question counts and still count it (`光塔至今仍有30座`; see
 * `givesCount`). Chosen on the development sets only (README, *Seventh part*): 3 lost that CMRC answer, 5 and 8
 * kept it (the same figures), 12 let a wrong passage answer.
 */
const COUNTED_WITHIN = 8;

/** Whether a text gives what one question asks for a count, an amount, a share, a day, a year or an hour. */
export interface Gives {
  /** The text holds an answer of the kind asked: a number of the thing counted, for the span of months asked. */
  (text: string): boolean;
  /** Some sentence giving the question's span of months holds such an answer (any text, for a question naming none). */
  readonly forSpan: (text: string) => boolean;
  /**
   * The phrase of one sentence that gives what is asked (`12亿元`, `3月1日`, `超4成`), its span aside: the span is read
   * from the passage, where it is often stated in the sentence before the figure (`今年上半年，…。共下拨资金12亿元。`).
   * Undefined when the sentence gives none; the function is absent for a kind any phrase of which answers (谁, 哪里).
   */
  readonly inSentence?: ((sentence: string) => string | undefined) | undefined;
  /**
   * Whether a passage must hold it to answer by itself, and a story judged whole in one of its paragraphs: for a
   * count, an amount, a share, a day, a year or an hour. Other times are not held to it: a story's date answers
   * `什么时候启动的`.
   */
  readonly required: boolean;
  /**
   * Whether the answer must quote the phrase that gives it, shown in bold: how much money (with its unit), which day,
   * year or hour, and a quantity (`涨多少`, `多高`, `多大岁数`). Sentences without one do not answer: a campaign's launch
   * does not say how much it was given, nor `要求提高薪资待遇` by how much. Counts of things are not held to it: they
   * are written in lists and words too (README, *Measured figures*).
   */
  readonly shown: boolean;
}

const ANYTHING: Gives = Object.assign(() => true, { forSpan: () => true, required: false, shown: false });

/**
 * What a text must give to answer `query`, worked out once per question. A count of a thing (多少问题,
 * 多少斤瓜子, 几个部门) wants a number of that thing: a text counting only others (`3个小组`, `3000多户`)
 * holds a number but not the one asked. A count or an amount for a span of months (`上半年`, `1到8月`,
 * `全年`) wants a sentence giving it for that span: `今年1—7月` and `5年来累计` are other figures, told by
 * the same reports every month. A share (`百分之几`, `比例是多少`) wants a percentage or a fraction:
 * `要求提高薪资待遇` or `4.02亿人` says no share. A day, a year or an hour asked (`从哪天开始施行`, `哪一年当选`,
 * `几点播出`) wants one: `近日印发` does not say from which day a rule applies, nor a portrait naming no year when its subject was
 * elected. Any text gives what a question of another kind asks.
 */
export function whatGives(asked: Asked | undefined, query: string, terms: QueryTerms): Gives {
  const date = asked === "time" ? dateAsked(query) : undefined;
  if (date !== undefined) {
    const inSentence = (text: string) => dateGiven(text, date);
    return Object.assign((text: string) => inSentence(text) !== undefined, { forSpan: () => true, inSentence, required: true, shown: true });
  }
  if (asked !== "number" && asked !== "money" && asked !== "time") return ANYTHING;
  const count = asked === "number" ? countAsked(query, [...terms.words.keys()]) : undefined;
  const share = asked === "number" && shareAsked(query);
  const alternatives = (count?.things ?? []).flatMap((t) => terms.alternatives?.get(t) ?? []);
  const span = asked === "number" || asked === "money" ? spansIn(query)[0] : undefined;
  // A share is read by its own forms: a ratio (`1.3:1`) is no number of the kind `answerPhrases` finds.
  const inSentence = (text: string) => {
    // The number in the measure word asked is the one to show (`300箱` for 多少箱, beside `500人`).
    const phrase = share ? shareGiven(text) : ((count === undefined ? undefined : countPhrase(text, query, count)) ?? answerPhrases(asked, text, query)[0]);
    return phrase !== undefined && (count === undefined || givesCount(text, query, count, alternatives, COUNTED_WITHIN)) ? phrase : undefined;
  };
  const holds = (text: string) => inSentence(text) !== undefined;
  const forSpan = (text: string) => (span === undefined ? !share || shareGiven(text) !== undefined : sentencesFor(text, span).some(holds));
  const shown = asked === "money" || (asked === "number" && !share && quantityAsked(query));
  return Object.assign((text: string) => holds(text) && forSpan(text), { forSpan, inSentence, required: asked !== "time", shown });
}
