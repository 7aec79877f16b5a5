import type { RetrievalMode } from "../config.js";
import type { Story } from "../corpus/story.js";
import { type PassageList, storyPassages } from "../passages.js";
import type { EvidenceScorer, QueryTerms } from "../search/evidence.js";
import type { Candidate, Retriever } from "../search/retrieve.js";
import type { Answer, Citation, RankedPassage } from "./answer.js";
import { askedFor, statesNear } from "./asks.js";
import { aboutTheAsker, withoutCourtesy } from "./courtesy.js";
import { type ExtractOptions, extractQuotes, QUOTED_PASSAGES } from "./extract.js";
import { normalizeQuestion } from "./question.js";
import { inNewsScript } from "./script.js";
import { displayDate } from "../dates.js";
import { QuestionError } from "../errors.js";
import { chooseEvidence } from "./choose.js";
import { preferStories } from "./prefer.js";
import { withGivingSiblings } from "./siblings.js";
import { applyWhen, placeInPeriod, type TimeOptions, yearsAsked } from "./timeline.js";
import { readWhen } from "./when.js";
import { whatGives } from "./gives.js";

export const NOT_COVERED = "没有在已收录的新闻中找到相关内容。";
const REPHRASE_ADVICE = "可以换个说法再问，或写明具体的单位、人名、地点或活动名称。";
const NO_TOPIC = "请说说想了解哪方面的新闻，例如具体的活动、单位或人物。";

/** Passages retrieved before the time step picks and reorders: enough to find a report of another year. */
const TIME_POOL = 30;

/**
 * How many characters may stand between a number or a date and one of the question's things for it to be said of
 * them, and the coverage the first passage must still reach (see `statesAskedOfTopic`). Both chosen on the
 * development sets only (README, *Sixth part*): 0 and 2 characters missed answers, 4 let two CMRC near misses
 * through; a coverage of 0.2 let one through.
 */
const STATED_WITHIN = 3;
const STATED_MIN_COVERAGE = 0.3;

/**
 * When retrieved passages count as evidence. Coverage is the idf-weighted
 * share of the question's words a passage holds; similarity is the model's
 * cosine. Either one clearing its bar is enough. Coverage must pass its bar, not
 * just reach it: a question of two halves, one a thing no passage holds
 * (`百老汇至今经历了哪些磨难`), is not answered by a passage holding the other
 * (README, *Ninth part*).
 */
export interface Thresholds {
  readonly minCoverage: number;
  readonly minSimilarity: number;
}

export interface EngineParts {
  readonly stories: readonly Story[];
  /** Where each passage sits, for citing it; texts are read only for what is shown or judged. */
  readonly passages: PassageList;
  readonly retriever: Retriever;
  /** The retriever's scorer too: the engine works out a question's terms once and hands them to the retriever. */
  readonly evidence: EvidenceScorer;
  readonly thresholds: Thresholds;
  readonly time: TimeOptions;
  readonly extract: Pick<ExtractOptions, "askedBonus">;
  readonly topK: number;
  /** The day relative dates are read against (`YYYY-MM-DD`); unset means today. */
  readonly now?: string | undefined;
}

export interface AskOptions {
  readonly k?: number;
  /** Stories the conversation was about (a follow-up's previous citations): their evidence is quoted first. */
  readonly preferStories?: readonly string[];
}

/** The one answer engine every presenter (terminal, Telegram, evaluation) asks. */
export interface Engine {
  readonly mode: RetrievalMode;
  readonly stories: readonly Story[];
  story(id: string): Story | undefined;
  /** Throws QuestionError for a question that cannot be asked (empty, too long, no words). */
  ask(question: string, opts?: AskOptions): Promise<Answer>;
}

/** Wires retrieval, evidence and extraction into the engine. */
export function createEngine(parts: EngineParts): Engine {
  const storyById = new Map(parts.stories.map((s) => [s.id, s]));
  /** A passage's story: from the passage list where it holds the stories (no lookup by id), else by id. */
  const storyOf = (i: number): Story | undefined => parts.passages.story?.(i) ?? storyById.get(parts.passages.storyId(i));
  /** Whether any story has a date: in news without one (an encyclopedia, an undated export) time words are never understood as time. */
  const anyDated = parts.stories.some((s) => s.date !== undefined);
  const { minCoverage, minSimilarity } = parts.thresholds;
  // A passage that lacks a place or organisation the question names is about
  // something else however many other words it shares (法国 vs 英国), and so is
  // one sharing the question's names and verbs but none of its things
  // (广州市 and 有 in a Guangzhou jobs story, for 广州市有多少个工会驿站).
  // The model's cosine is not held to the words: paraphrase is what it is for.
  const byItself = (c: Candidate) => c.missingNames.length === 0 && ((c.coverage > minCoverage && c.holdsTopic) || (c.similarity ?? -Infinity) >= minSimilarity);
  // When no passage is, the best-ranked story is judged whole, by the same
  // coverage bar and names (see `Candidate.story`). Only then: beside passages that answer by
  // themselves, its other paragraphs' sentences would compete with theirs
  // (事业单位 in a story's lead outscoring the paragraph naming the hospital
  // asked about). A whole story is not held to the question's things: measured twice on the development sets
  // (README, *Ninth part* and *Tenth part*), that refused more encyclopedia answers, whose things are worded
  // otherwise, than near misses (`广州市有多少个工会驿站` from a Guangzhou jobs story).
  const byItsStory = (c: Candidate) => {
    const story = c.story?.();
    return story !== undefined && story.missingNames.length === 0 && story.coverage > minCoverage;
  };

  // The first day the news reports: a period before it is history the stories may tell (`2003年创下的世界纪录`), never
  // when one was published.
  let archiveStart: string | undefined;
  for (const s of parts.stories) if (s.date !== undefined && (archiveStart === undefined || s.date < archiveStart)) archiveStart = s.date;

  /** Answers a question; `asHistory` reads the years it names as words a passage must print, not as when it was published. */
  async function answerQuestion(raw: string, opts: AskOptions, asHistory: boolean, started = performance.now()): Promise<Answer> {
    const question = withoutCourtesy(inNewsScript(normalizeQuestion(raw), parts.evidence));
    const k = opts.k ?? parts.topK;
    // Time words are understood here, not matched as content words: "2024年"
    // must not make every 2024 story look relevant, nor a 2023 one irrelevant.
    // Where the passages found carry no dates at all (an encyclopedia, an
    // undated export), a year is just a word of the question.
    let when = readWhen(question, parts.now);
    // `2024年`, `今年7月`: a time alone names no topic (the member is shown that period's stories), in dated news;
    // searching the question whole would quote whatever prints `2024`.
    if (when.period !== undefined && anyDated && !asHistory && !/[\p{L}\p{N}]/u.test(when.rest)) {
      throw new QuestionError("no-topic", NO_TOPIC, { period: when.period, label: when.label ?? "" });
    }
    let query = when.rest === "" ? question : when.rest;
    if (query !== question && (!anyDated || asHistory)) {
      // No candidate can carry a date, so the retrieval below would always be made again with the whole
      // question: it is made with it at once (the same answer, half the work for a question naming a time).
      when = { latest: false, rest: question };
      query = question;
    }
    // Worked out once and handed to the retriever, which judges its candidates by the same terms.
    let terms = askerHalved(parts.evidence.terms(query, { yearsAsNames: !anyDated || asHistory }), query);
    // `最新消息`, `有什么新闻`, `怎么用`: nothing names what to look for, and any passage would be a
    // guess. A lone verb is no topic; several may be nouns jieba tagged as verbs (组织, 领导).
    if ((terms.words.size === 0 && terms.exact.length === 0) || (terms.wordingOnly === true && terms.words.size === 1)) {
      throw new QuestionError("no-topic", NO_TOPIC, when.period === undefined ? undefined : { period: when.period, label: when.label ?? "" });
    }
    let candidates = await parts.retriever.retrieve(query, Math.max(k, TIME_POOL), terms);
    if (query !== question && !candidates.some((c) => storyOf(c.index)?.date !== undefined)) {
      when = { latest: false, rest: question };
      query = question;
      terms = askerHalved(parts.evidence.terms(query), query);
      candidates = await parts.retriever.retrieve(query, Math.max(k, TIME_POOL), terms);
    }
    // Persons and places are not checked: their patterns are too loose to choose by.
    const asked = askedFor(query);
    // Read only when asked (texts come from disk), once per passage. The test is made by one factory per question:
    // an arrow named by its variable, made for each candidate, costs a name definition each under tsx (esbuild's keepNames).
    const gives = whatGives(asked, query, terms);
    const held = new Map<number, boolean>();
    const holdsAsked = (i: number) => {
      if (asked !== "number" && asked !== "money" && asked !== "time") return true;
      let h = held.get(i);
      if (h === undefined) held.set(i, (h = gives(parts.passages.text(i))));
      return h;
    };
    const holdsAskedBy = (i: number) => () => holdsAsked(i);
    // The first passage found about the question answers a count, an amount or a time at a lower bar when it states one
    // right beside one of the question's things (`工会驿站18.61万个` for 全国一共建了多少个工会驿站, `《规定》自2026年7月1日起
    // 施行` for 国家出了个专门护着这类老工人的规定，从哪天开始算数): the rest of the question is the member's own wording, which
    // no story prints. Only that one, and only when nothing else answers: near misses state numbers beside their things
    // as readily (a 2023 report's 资金 for 2024's), and of the passages found it is the ranking that says which story was
    // asked about.
    // Asked for the latest (最新, 现在, 最近这次), the reports of its topic that state it as well (covering the question
    // within LATEST_MARGIN of it) answer too, so that the time step chooses the newest: the first found is often an
    // older report of a count or a campaign the news gives every year.
    const statesAskedOfTopic = (c: Candidate) => {
      if (asked !== "number" && asked !== "money" && asked !== "time") return false;
      if (c.missingNames.length > 0 || !c.holdsTopic || c.coverage < STATED_MIN_COVERAGE) return false;
      const topics = terms.topics ?? [];
      const anchors = [...topics, ...topics.flatMap((t) => terms.alternatives?.get(t) ?? [])];
      const text = parts.passages.text(c.index);
      return statesNear(asked, text, query, anchors, STATED_WITHIN) && gives.forSpan(text);
    };
    // A count, an amount, a share, a day, a year or an hour asked (多少人, 多少钱, 百分之几, 哪天, 哪一年, 几点): a
    // passage holding none of the kind cannot answer it by itself, whatever words it shares, nor a story judged
    // whole none of whose paragraphs does (README *Seventh and eighth parts*; in the fifth part this refused
    // answers, when `停工几天，…合规吗` still read as asking a number).
    const answers = (c: Candidate) => byItself(c) && (!gives.required || holdsAsked(c.index));
    if (gives.required && !candidates.some(answers)) {
      candidates = withGivingSiblings(candidates, {
        passages: parts.passages,
        onTopic: byItself,
        gives: holdsAsked,
        judge: (i, like) => {
          const text = `${storyOf(i)?.title ?? ""}\n${parts.passages.text(i)}`;
          const { evidence } = parts;
          return { index: i, score: like.score, coverage: evidence.coverage(terms, text), missingNames: evidence.missingNames(terms, text), holdsTopic: evidence.holdsTopic(terms, text), story: undefined, similarity: undefined };
        },
      });
    }
    const storyAnswers = (c: Candidate) => byItsStory(c) && (!gives.required || storyPassages(parts.passages, c.index).some(holdsAsked));
    const rules = { answers, storyAnswers, statesAsked: statesAskedOfTopic, latest: when.latest, latestMargin: parts.time.latestMargin };
    const overall = chooseEvidence(candidates, rules);
    // A period asked (`今年`, `2024年`) is decided among its own reports too: a passage of another year answering by
    // itself must not keep the period's first report, which states the count beside its topic, from answering by the
    // lower bar (this year's `全国五一劳动奖章1462名` beside 2023's `1035人获得全国五一劳动奖章`). Reports of other
    // periods are still judged against all, so that the refusal can name the nearest.
    const placed = when.period === undefined ? undefined : placeInPeriod(when.period, when.rest);
    // Placed once per candidate: the period's pool and each candidate's evidence test both ask.
    const ofThePeriod = new Set(placed === undefined ? [] : candidates.filter((c) => placed({ title: storyOf(c.index)?.title ?? "", date: storyOf(c.index)?.date }) !== undefined));
    const ofPeriod = placed === undefined ? undefined : chooseEvidence([...ofThePeriod], rules);
    const isEvidence = ofPeriod === undefined ? overall.isEvidence : (c: Candidate) => (ofThePeriod.has(c) ? ofPeriod.isEvidence(c) : overall.isEvidence(c));
    const dated = candidates.map((c) => {
      const storyId = parts.passages.storyId(c.index);
      const story = storyOf(c.index);
      let held: ReadonlySet<string> | undefined;
      // Read as coverage was, with the story's title.
      const heldWords = () => (held ??= new Set(parts.evidence.held(terms, `${story?.title ?? ""}\n${parts.passages.text(c.index)}`)));
      return { c, storyId, title: story?.title ?? "", date: story?.date, coverage: c.coverage, isEvidence: isEvidence(c), holdsAsked: holdsAskedBy(c.index), held: heldWords };
    });
    const time = preferStories(applyWhen(dated, when, parts.time), opts.preferStories);
    const ranked: RankedPassage[] = time.ordered.slice(0, k).map(({ c, storyId, title }) => {
      return { storyId, title, paragraph: parts.passages.paragraph(c.index), text: parts.passages.text(c.index), score: c.score, coverage: c.coverage };
    });
    const evidence = time.evidence.map((d) => d.c);
    // Only the passages extraction reads (the first few, or all of a story judged whole) have their texts read:
    // quotes and citations come from them alone.
    const wholeStory = (ofPeriod ?? overall).wholeStory;
    const quoted = evidence.slice(0, wholeStory ? evidence.length : QUOTED_PASSAGES).map((c) => ({ text: parts.passages.text(c.index), title: storyOf(c.index)?.title ?? "" }));
    const found = extractQuotes(parts.evidence, terms, quoted, query, {
      ...parts.extract,
      asked,
      wholeStory,
      gives: gives.inSentence,
      ...(when.period === undefined ? {} : { years: yearsAsked(when.period, when.rest) }),
    });
    // What must be shown in bold is shown, or the question is not answered (see `Gives.shown`).
    const quotes = gives.shown && !found.some((q) => q.emphasis !== undefined) ? [] : found;
    const base = { question: raw.trim(), mode: parts.retriever.mode, passages: ranked };
    const latency = () => Math.round((performance.now() - started) * 100) / 100;

    if (quotes.length === 0) {
      const closestTitles = [...new Set(ranked.map((p) => p.title))].slice(0, 3);
      const other = time.otherPeriod;
      if (other !== undefined && when.label !== undefined) {
        // Nothing was published then, and then is before the news begins: the member may be asking what a story
        // tells of that time (`2003年创下的世界纪录是每小时多少箱`). Asked again with the year as a word a passage
        // must print; a report of another year does not print it (`2021年的送清凉` is still refused, as here). Only
        // for a year written out: `前年` leaves no word to require.
        if (!asHistory && archiveStart !== undefined && when.period!.to < archiveStart && /\d{4}/.test(when.label)) {
          const told = await answerQuestion(raw, opts, true, started);
          if (!told.abstained) return told;
        }
        const story = storyById.get(other.storyId);
        const answer = `${NOT_COVERED}已收录的新闻中没有${when.label}的相关报道。最接近的是${displayDate(other.date!)}的《${story?.title ?? ""}》，可以问问那一次的情况。`;
        return { ...base, abstained: true, answer, citations: [], closestTitles, latencyMs: latency() };
      }
      if (when.label !== undefined && time.evidence.length > 0) {
        // Reports of the period were found, but what they say is about another year (2022's figures in a 2023 report).
        return { ...base, abstained: true, answer: `${NOT_COVERED}已收录的新闻中没有${when.label}的相关报道。`, citations: [], closestTitles, latencyMs: latency() };
      }
      const best = candidates[0];
      const unseen = [...new Set([...parts.evidence.nameable(terms), ...(best !== undefined && best.coverage > minCoverage ? best.missingNames : [])])];
      const missing = unseen.length === 0 ? "" : `已收录的新闻没有提到${unseen.map((w) => `“${w}”`).join("、")}。`;
      return { ...base, abstained: true, answer: `${NOT_COVERED}${missing}${REPHRASE_ADVICE}`, citations: [], closestTitles, latencyMs: latency() };
    }
    // The date above the answer is that of the reports quoted, when they are of one date: the first chosen by time
    // may not be quoted at all (its headline alone shared the question's words).
    const quotedDates = new Set(quotes.map((q) => storyOf(evidence[q.source]!.index)?.date));
    const asOf = time.chosenDate !== undefined && quotedDates.size === 1 ? [...quotedDates][0] : undefined;
    // A long paragraph is indexed in pieces: quotes from one paragraph are one source, cited once, in reading order.
    const paragraphOf = (q: { readonly source: number }) => {
      const i = evidence[q.source]!.index;
      return `${parts.passages.storyId(i)}\u0000${parts.passages.paragraph(i)}`;
    };
    const firstSeen = new Map<string, number>();
    quotes.forEach((q, i) => firstSeen.has(paragraphOf(q)) || firstSeen.set(paragraphOf(q), i));
    const inOrder = [...quotes].sort((a, b) => firstSeen.get(paragraphOf(a))! - firstSeen.get(paragraphOf(b))! || evidence[a.source]!.index - evidence[b.source]!.index);
    const numberOf = new Map<string, number>();
    const citations: Citation[] = [];
    const lines = inOrder.map((q) => {
      let n = numberOf.get(paragraphOf(q));
      if (n === undefined) {
        n = citations.length + 1;
        numberOf.set(paragraphOf(q), n);
        citations.push(cite(n, evidence[q.source]!, quoted[q.source]!.text, parts.passages, storyById));
      }
      return `${q.sentence}[${n}]`;
    });
    return {
      ...base,
      abstained: false,
      answer: lines.join("\n"),
      citations,
      closestTitles: [],
      emphasis: inOrder.flatMap((q) => (q.emphasis === undefined ? [] : [q.emphasis])),
      ...(asOf === undefined ? {} : { asOf }),
      latencyMs: latency(),
    };
  }

  return {
    mode: parts.retriever.mode,
    stories: parts.stories,
    story: (id) => storyById.get(id),
    ask: (raw, opts = {}) => answerQuestion(raw, opts, false),
  };
}

/**
 * Words a member says only of themself (`我是厂里流水线上的女工，…那个方案叫什么`) weigh half: chosen on the
 * development sets (README, *Seventh part*); dropping them lost answers whose topic is the member's own trade.
 * Only their weight in coverage: a place or body named there is still required, and a thing there still a topic.
 */
const ASKER_WEIGHT = 0.5;

function askerHalved(terms: QueryTerms, question: string): QueryTerms {
  const about = aboutTheAsker(question);
  if (about === "") return terms;
  const rest = question.slice(about.length);
  const words = new Map([...terms.words].map(([w, weight]) => [w, about.includes(w) && !rest.includes(w) ? weight * ASKER_WEIGHT : weight] as const));
  return { ...terms, words };
}

function cite(n: number, c: Candidate, text: string, passages: PassageList, stories: ReadonlyMap<string, Story>): Citation {
  const storyId = passages.storyId(c.index);
  const story = stories.get(storyId);
  return {
    n,
    storyId,
    title: story?.title ?? "",
    ...(story?.byline ? { byline: story.byline } : {}),
    paragraph: passages.paragraph(c.index),
    text,
    score: c.score,
    ...(story?.date ? { date: story.date } : {}),
    file: story?.file ?? "",
  };
}
