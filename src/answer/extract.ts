import { splitSentences } from "../passages.js";
import { type EvidenceScorer, latinLowered, type QueryTerms } from "../search/evidence.js";
import { answerPhrases, type Asked } from "./asks.js";
import { yearsNamed } from "./timeline.js";
import { THIS_YEAR_WORD } from "./when.js";

/** A sentence chosen for the answer, and the passage (by rank among those given) it came from. */
export interface Quote {
  readonly source: number;
  readonly sentence: string;
  /** The phrase in it that carries what was asked (a number, a name…), for presenters to bold. */
  readonly emphasis?: string;
}

/** How sentences are weighed; fitted on development questions (see README, *Answer or abstain*). */
export interface ExtractOptions {
  /** What the question asks for (多少 → a number …), if it says. */
  readonly asked?: Asked | undefined;
  /** Added to a sentence's score when it holds a phrase of the asked kind (the one `gives` finds, when set). */
  readonly askedBonus: number;
  /**
   * The years a question asks about (its period's, and any other it names):
   * a sentence that opens on another year (`2022年，全国城镇新增就业…` for a
   * question about 2023) is about that year and is not quoted.
   */
  readonly years?: readonly number[];
  /**
   * The passages are the paragraphs of one story judged whole (see
   * `Candidate.story`): none answers by itself, so all are read and none is
   * preferred for its rank, and a sentence is quoted only when it holds a
   * word of the question, not for a number alone (`今年1月…` in a story whose
   * other paragraph has the figure asked).
   */
  readonly wholeStory?: boolean;
  /**
   * The phrase of a sentence giving what the question wants (see `Gives.inSentence`): a count of the thing counted, a
   * share, a day. Only a sentence giving one earns `askedBonus`, and it is the phrase bolded: `“90后”驾驶员李长青` holds a
   * number, not the count of people rescued, and in `今年以来…自3月1日起施行` the day is `3月1日`. Unset: any phrase of
   * the asked kind.
   */
  readonly gives?: ((sentence: string) => string | undefined) | undefined;
}

const MAX_QUOTES = 3;
/** Later passages must beat the best one clearly to be quoted: the best passage is usually the story. */
const RANK_DISCOUNT = [1, 0.85, 0.7];
/** How many of the passages given are read, unless they are a story judged whole: the rest need not be given. */
export const QUOTED_PASSAGES = RANK_DISCOUNT.length;

/**
 * Picks the 1–3 sentences that answer the question, in the passages' own
 * words. A sentence scores by the question words it holds, each weighted by
 * its corpus idf times its idf among the candidate sentences: the topic's
 * name stands in every sentence of its story and tells them apart no more
 * than 的 does, while the word that names the detail asked (高, 用途, 根部)
 * stands in few. Exact terms count extra, a phrase of the kind asked for
 * (a number for 多少) more, and the passage's rank discounts, so the best
 * passage is preferred. Chosen sentences keep reading order.
 */
export function extractQuotes(
  evidence: EvidenceScorer,
  terms: QueryTerms,
  passages: readonly { readonly text: string; readonly title: string }[],
  question = "",
  opts: ExtractOptions = { askedBonus: 0 },
): Quote[] {
  const whole = opts.wholeStory === true;
  const sentences = passages.slice(0, whole ? passages.length : RANK_DISCOUNT.length).flatMap(({ text, title }, source) =>
    // Whole sentences: a clause after ；often carries the figure the first one introduced (货物…；集装箱…).
    aboutAskedYears(
      splitSentences(text, { atSemicolons: false })
        .map((raw, position) => {
          const sentence = stripLead(raw);
          // Matched as the question's words are written, Latin letters lowercased (`JAXR` for `jaxr`).
          return { source, position, title, sentence, matched: latinLowered(sentence) };
        })
        .filter((s) => s.sentence !== ""),
      opts.years,
    ),
  );
  if (sentences.length === 0) return [];
  const weights = sentenceWeights(terms, sentences.map((s) => s.matched));
  // The clause that asks (`…的女人大代表，今年两会打算提啥建议？`) names what tells the sentence answering from the
  // rest of its story; the clauses describing whom or what it is about found the story, and every sentence of it
  // shares their words (see `askingClause`).
  const asking = askingClause(latinLowered(question));
  if (asking !== undefined) for (const [word, weight] of weights) if (asking.includes(word)) weights.set(word, weight * ASKING_CLAUSE_WEIGHT);
  // The words' weights against a title are the same for every sentence under it: worked out once per title.
  const byTitle = new Map<string, TitleWeights>();
  // One object shape for every scored sentence (`emphasis` undefined when none): spreading the sentence and an
  // optional emphasis into each made the scoring and the sort below the answer step's slowest lines.
  const scored: Scored[] = [];
  for (const s of sentences) {
    let titled = byTitle.get(s.title);
    if (titled === undefined) byTitle.set(s.title, (titled = titleWeights(weights, terms, latinLowered(s.title))));
    const held = holding(titled, terms, s.matched);
    if (whole && held === 0) continue;
    const emphasis = opts.asked === undefined ? undefined : opts.gives !== undefined ? opts.gives(s.sentence) : answerPhrases(opts.asked, s.sentence, question, evidence.nameLike)[0];
    const score = (held + 0.2 * evidence.exactMatches(terms, s.sentence) + (emphasis !== undefined ? opts.askedBonus : 0)) * (whole ? 1 : RANK_DISCOUNT[s.source]!);
    scored.push({ source: s.source, position: s.position, sentence: s.sentence, score, emphasis });
  }
  if (scored.length === 0) return [];
  const ranked = scored.sort((a, b) => b.score - a.score || a.source - b.source || a.position - b.position);
  const best = ranked[0]!;
  const chosen = [best];
  for (const s of ranked.slice(1)) {
    if (chosen.length >= MAX_QUOTES) break;
    if (s.score < Math.max(0.25, best.score * 0.6)) break;
    if (chosen.some((c) => c.sentence.includes(s.sentence) || s.sentence.includes(c.sentence))) continue;
    chosen.push(s);
  }
  return chosen
    .sort((a, b) => a.source - b.source || a.position - b.position)
    .map(({ source, sentence, emphasis }) => ({ source, sentence, ...(emphasis === undefined ? {} : { emphasis }) }));
}

/**
 * The sentences not about another year than those asked: a sentence is
 * about the first year it names, or, naming none, about the year the
 * sentences before it in the passage were (`2022年，…。…高于上年。`).
 */
export function aboutAskedYears<S extends { readonly sentence: string }>(sentences: readonly S[], years: readonly number[] | undefined): S[] {
  if (years === undefined || years.length === 0) return [...sentences];
  let about: readonly number[] | undefined;
  return sentences.filter(({ sentence }) => {
    // 今年 is the story's own year, which the time step has matched to the one asked: not the year a sentence before named.
    about = yearsAbout(sentence) ?? (THIS_YEAR.test(sentence) ? undefined : about);
    return about === undefined || about.some((y) => years.includes(y));
  });
}

/** A sentence about the year its story was published in: not `如今年轻人`, `至今年均`. */
const THIS_YEAR = new RegExp(`${THIS_YEAR_WORD}|本年度`);

/**
 * How much more a word of the clause that asks weighs in choosing sentences, after a clause describing what it is
 * about: chosen on the development sets (README, *Ninth part*); 2 gained less.
 */
const ASKING_CLAUSE_WEIGHT = 3;

/** What marks the clause that asks: a question word, or a question's particle. */
const ASKING = /谁|什么|啥|多少|几|哪|怎么|咋|如何|吗|多[大高长深远久]/;

/**
 * A clause describing whom or what the question is about: pointing at it (`济南那个…油漆工的女人大代表`, `这位`) or
 * ending on 的 (`骑共享单车调研快递外卖的`). A clause setting the scene (`在2006年`, `2008年世界游泳锦标赛中`,
 * `在这次技能大赛中`, `这些年来`, `这个月`)
 * is not one: its words tell the sentence answering as much as the asking clause's (measured at 100,000 passages).
 */
const DESCRIBING = /[那这](?:个(?!月)|位|家|本|名)|的$/;

/** The last clause holding a question word, when a clause before it describes what it is about; undefined otherwise. */
export function askingClause(question: string): string | undefined {
  const clauses = question.split(/[，,；;。？?！!]/).filter((c) => c.trim() !== "");
  if (clauses.length < 2) return undefined;
  const asking = clauses.filter((c) => ASKING.test(c)).at(-1);
  return asking !== undefined && clauses.slice(0, clauses.indexOf(asking)).some((c) => DESCRIBING.test(c)) ? asking : undefined;
}

/** A span of dates (`自2025年12月3日至2026年3月3日`, `2022—2026年`) is about each year it covers. */
const YEAR_SPAN = /(?<!\d)(\d{4})(?:年(?:\d{1,2}月(?:\d{1,2}[日号])?)?)?\s*(?:至|到|—|–|-|~|～)\s*(\d{4})年/;

/** A year named only to compare with (`比2024年同期增长10%`, `较2023年`) or to count from (`2024年以来`). */
const COMPARED_YEAR = /(?:比|较|与|同比|相比|较之|比起)\s*(?:\d{4})年|(?:\d{4})年(?:同期|以来)/g;

/**
 * The years a sentence is about: the first it names, or every year of a span it opens with; undefined when it names
 * none but one it compares with (`今年上半年，…比2024年同期增长10%` is about this year, not 2024).
 */
function yearsAbout(sentence: string): number[] | undefined {
  const first = yearsNamed(sentence.replace(COMPARED_YEAR, (m) => "　".repeat(m.length)))[0];
  if (first === undefined) return undefined;
  const span = YEAR_SPAN.exec(sentence);
  if (span === null || Number(span[1]) !== first || Number(span[2]) < first) return [first];
  const years: number[] = [];
  for (let y = first; y <= Number(span[2]); y++) years.push(y);
  return years;
}

/** A sentence with its score, and the phrase to bold if it holds one of the kind asked. */
interface Scored {
  readonly source: number;
  readonly position: number;
  readonly sentence: string;
  readonly score: number;
  readonly emphasis: string | undefined;
}

/** Within one sentence a word is present when its characters are: the sentence is too short for 交 inside 交流 to mislead. */
function holds(terms: QueryTerms, word: string, sentence: string): boolean {
  return sentence.includes(latinLowered(word)) || (terms.alternatives?.get(word)?.some((a) => sentence.includes(latinLowered(a))) ?? false);
}

/** Each question word's corpus idf times its idf among the candidate sentences. */
function sentenceWeights(terms: QueryTerms, sentences: readonly string[]): Map<string, number> {
  const n = sentences.length;
  const weights = new Map<string, number>();
  for (const [word, idf] of terms.words) {
    const holding = sentences.filter((s) => holds(terms, word, s)).length;
    weights.set(word, idf * Math.log(1 + (n - holding + 0.5) / (holding + 0.5)));
  }
  return weights;
}

/**
 * The weighted share of the question's words a sentence holds. Words of the
 * passage's headline are the topic, which the whole story is about: a
 * sentence need not repeat them, so they weigh a fifth (the question
 * 纽西兰鸡毛松有多高 is answered by 树高可达55米).
 */
function holding({ words, weights, total }: TitleWeights, terms: QueryTerms, sentence: string): number {
  let found = 0;
  for (let i = 0; i < words.length; i++) if (holds(terms, words[i]!, sentence)) found += weights[i]!;
  return total === 0 ? 0 : found / total;
}

/** The question words' weights for sentences under one title (a word of the title weighs a fifth), and their sum. */
interface TitleWeights {
  readonly words: readonly string[];
  readonly weights: readonly number[];
  readonly total: number;
}

function titleWeights(weights: ReadonlyMap<string, number>, terms: QueryTerms, title: string): TitleWeights {
  const words: string[] = [];
  const ws: number[] = [];
  let total = 0;
  for (const [word, weight] of weights) {
    const w = holds(terms, word, title) ? weight * TITLE_WORD_WEIGHT : weight;
    total += w;
    words.push(word);
    ws.push(w);
  }
  return { words, weights: ws, total };
}

const TITLE_WORD_WEIGHT = 0.2;

/** `本报讯（记者 宗晓畅）近日，…` quotes as `近日，…`: the byline is cited separately. */
export function stripLead(sentence: string): string {
  return sentence.replace(/^本报讯\s*[（(][^（）()]*[）)]\s*/, "").trim();
}
