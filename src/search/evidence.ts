import { EDITION, editionForms, editionsIn } from "./edition.js";
import { EMPTY_GLOSSARY, type Glossary } from "./glossary.js";
import type { LexicalIndex } from "./lexical.js";
import { isStopword, type Segmenter, type TaggedWord } from "./segment.js";

/** A question reduced to what evidence is judged on. */
export interface QueryTerms {
  /** Distinct content words with their idf weights. */
  readonly words: ReadonlyMap<string, number>;
  /** Quoted phrases, numbers and Latin words: must appear verbatim to count. */
  readonly exact: readonly string[];
  /** Glossary terms of the question with the other terms of their concept, any of which counts as the word. */
  readonly alternatives?: ReadonlyMap<string, readonly string[]>;
  /** Places, organisations, people and other proper names the question names: a passage without them is about something else. */
  readonly names?: readonly string[];
  /**
   * The things the question asks about (nouns and glossary terms), names
   * and wording apart: a passage holding none of them is about something
   * else, however many of the question's names and verbs it shares.
   */
  readonly topics?: readonly string[];
  /** The news' wordings of glossary terms the member worded otherwise, to add to the lexical query. */
  readonly expansions?: readonly string[];
  /**
   * The nouns naming what each edition of the question is an edition of (第七届 → 全国, 职工, 职业技能, 大赛): a
   * passage holds the edition only where they follow it, as the seventh 全国残疾人职业技能大赛 is not the seventh
   * 全国职工职业技能大赛. Absent for an edition with fewer than two such nouns after it (`第十八届` alone).
   */
  readonly editionsOf?: ReadonlyMap<string, readonly string[]>;
  /** Every word counted is how the member words it (a verb, an adverb…): nothing names a topic (`怎么用`, `你能做什么`). */
  readonly wordingOnly?: boolean;
}

/** How a question is read against the news it is asked of. */
export interface TermOptions {
  /**
   * Whether a year the question names (`在2004年世锦赛中`) must stand in the passage, as an edition
   * must: a report of the 2007 championship does not answer for 2004. Only in news without dates:
   * in dated news a year is time, which the engine reads against the stories' dates, and a year
   * it leaves in the question (`比2023年提前了多少天`) is the story's comparison, not its subject.
   */
  readonly yearsAsNames?: boolean;
}

/** Judges how well a text supports a question, the same way for passages and sentences. */
export interface EvidenceScorer {
  terms(question: string, opts?: TermOptions): QueryTerms;
  /**
   * Share of the question's idf weight the text holds. Unlike BM25 it is
   * bounded (0..1) and comparable across questions, which a threshold for
   * "the news does not cover this" needs; a word no passage holds weighs
   * most, so a question about another city or union scores low even when
   * it shares generic words such as 工会.
   *
   * `has` says whether the text's own segmentation holds a word (what a
   * one-character word must pass); a caller that knows it from the index
   * spares segmenting the text.
   */
  coverage(terms: QueryTerms, text: string, has?: (word: string) => boolean): number;
  /** The question's words the text holds, as `coverage` counts them (a glossary term in any of its wordings). */
  held(terms: QueryTerms, text: string): string[];
  /** How many exact terms the text holds verbatim. */
  exactMatches(terms: QueryTerms, text: string): number;
  /** The question's words that no passage in the index holds. */
  unseen(terms: QueryTerms): string[];
  /**
   * The unseen words a refusal may name to the member: not a fragment jieba
   * glued from a helper verb or particle and the next character (要评, 能休,
   * 队有), nor one holding a question word (由谁来), which the member never
   * wrote as a word.
   */
  nameable(terms: QueryTerms): string[];
  /** The question's proper names the text does not hold (法国 in a passage about 英国). */
  missingNames(terms: QueryTerms, text: string): string[];
  /** Whether the text holds one of the question's topics, or the question names none (see `QueryTerms.topics`). */
  holdsTopic(terms: QueryTerms, text: string): boolean;
  /** Whether a short phrase reads as a person's name: jieba tags part of it as a name, or does not know it (as most names). */
  nameLike(phrase: string): boolean;
}

/** 哪几个, 哪几项: jieba's one word for "which few", a question word that points at the kind asked. */
const WHICH_FEW = "哪几[个位名项次家种类条所批]?";

/**
 * Question words and particles ask, they do not say what about: a passage
 * never has to hold them (哪些, 多少, 谁, 吗, 多高…). Nor a character jieba
 * glued to 哪, 啥 or 咋 on either side (在哪开的 → 哪开, 提啥建议 → 提啥): a refusal would
 * name it as a word the news lacks. Nor 哪几个, 哪几项 (jieba's one word, which had weighed as the
 * rarest thing asked). Nor the fillers of speech that voice
 * input keeps (那个就是说…, 然后…的话).
 */
const QUESTION_WORD = new RegExp(`^(?:.?[哪啥咋].?|哪些地方|怎么办|就是说?|然后|的话|其实|反正|嗯+|呃|诶|多|时候|什么地方|什么样子?|样子|多少|几[个位名项次家年天人元月号届期批种条所场座处支件户套轮]?|${WHICH_FEW}|谁|什么|什么样|怎么|怎么样|怎样|如何|为何|为什么|是否|吗|呢|吧|多[大高长重远久深宽厚快]|是不是|有没有|能不能|可不可以)$`);

/**
 * Names, numbers and quoted terms are where a question says exactly what it
 * means (`11311`, `“夏送清凉”`): segmentation may split them, so they are
 * matched as written.
 */
export function exactTerms(question: string): string[] {
  const terms = new Set<string>();
  for (const m of question.matchAll(/[“"「『‘']([^”"」』’']{2,30})[”"」』’']/g)) terms.add(m[1]!.trim());
  for (const m of question.matchAll(/\d{2,}(?:\.\d+)?|[A-Za-z][A-Za-z0-9-]{1,}/g)) terms.add(m[0]);
  return [...terms].filter((t) => t !== "");
}

const MEMO_LIMIT = 100_000;

/** Where the name after an edition ends: a particle, a verb's helper or a question word (`第九届全国职工职业技能大赛在哪举行`). */
const EVENT_END = /[^\u4e00-\u9fa5]|[的是在于由将把被和与及哪什谁几多啥]/;
/**
 * Characters a passage may hold between an edition and its event's nouns beyond the nouns themselves: a member
 * drops or adds a word of a long name (`第八届全国职工技能大赛` for `第八届全国职工职业技能大赛`).
 */
const EVENT_SLACK = 8;

/**
 * An edition or a numbered one (第九届, 十九号): not a word that only ends like
 * one (外号, 假期, 盛花期), which had been required as a name.
 */
const EDITION_WORD = /^第|^[\d零〇一二三四五六七八九十百千两]+[届号期]$/;

/** A year written in digits before 年 (2004年): not a decade (1990年代) nor a span of years (1500年历史, 2000年来). */
const YEAR = /(?<!\d)(1\d{3}|20\d{2})(?=年(?![代来多余间内前后历]))/g;

/** How much a verb or other wording word of the question weighs against a noun. */
const WORDING_WEIGHT = 0.5;

/** idf units by which a member's term must be rarer than the news' wording to be expanded (e ≈ 2.7 times fewer passages). */
const EXPANSION_MARGIN = 1;

/**
 * Parts of speech that carry how a member words a question rather than what
 * it is about: verbs, adjectives, adverbs, pronouns, time words,
 * distinguishing words, numerals, measure words, particles. Nouns, names and
 * words jieba does not know (mostly names) are the topic.
 */
/** Question words that point at the kind of thing asked: 什么(职务), 哪所(大学), 哪些(地方). */
const ASKING = new RegExp(`^(?:什么|哪个|哪些|哪所|哪家|哪位|哪种|哪一|哪类|何种|啥|什么样|多少|几|${WHICH_FEW})$`);

/** 是谁, 是哪位, 为何人: what stands before it is what the person asked for is (`馆长是谁`). */
const WHO_IS = /(?:是|为)(?:谁|哪一?位|什么人|何人)/;
/** Roles jieba does not tag as nouns (`主任` b, `组长` v), known by their ending. */
const ROLE = /(?:长|主任|主席|书记|经理|总监|负责人|秘书)$/;

/**
 * The role a question asks the holder of: the word just before `是谁` (`主任`, `馆长`, `制作人`), when it is a
 * common noun or a role of two characters or more; not a name (`李志强是谁`) nor how a member calls someone (`那位大姐`).
 */
function roleAsked(lower: string, tagged: readonly TaggedWord[]): string | undefined {
  const at = lower.search(WHO_IS);
  if (at <= 0) return undefined;
  let cursor = 0;
  let before: TaggedWord | undefined;
  for (const t of tagged) {
    const start = lower.indexOf(t.word, cursor);
    if (start < 0) continue;
    cursor = start + t.word.length;
    if (cursor >= at) {
      if (cursor === at) before = t;
      break;
    }
  }
  if (before === undefined || [...before.word].length < 2 || ADDRESS.test(before.word)) return undefined;
  return (before.tag.startsWith("n") && !PROPER_TAGS.has(before.tag)) || ROLE.test(before.word) ? before.word : undefined;
}

/** The titles a text names in 《》, without a closing parenthesis (`《…指引（试行）》` → `…指引`). */
export function bookTitles(text: string): string[] {
  return [...text.matchAll(/《([^《》]{2,40})》/g)].map((m) => m[1]!.replace(/[（(][^（）()]*[）)]$/, "").trim()).filter((t) => t.length >= 2);
}

/** Whether `text` holds an edition (in one of its forms), followed by the nouns of what it is an edition of when those are known. */
function holdsEdition(text: string, form: string, event: readonly string[] | undefined): boolean {
  if (event === undefined) return text.includes(form);
  const reach = form.length + event.join("").length + EVENT_SLACK;
  for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
    const after = text.slice(at, at + reach);
    if (event.every((w) => after.includes(w))) return true;
  }
  return false;
}

/** Whether a (lowercased) text holds one of the question's words: as written or, for a glossary term, in another wording. */
function holdsWord(terms: QueryTerms, text: string, word: string, has: (word: string) => boolean): boolean {
  const holds = word.length > 1 ? text.includes(latinLowered(word)) : has(word);
  return holds || (terms.alternatives?.get(word)?.some((a) => text.includes(latinLowered(a))) ?? false);
}

/** Every [from, to) where `term` stands in `text`. */
function spansOf(text: string, term: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) spans.push([at, at + term.length]);
  return spans;
}

/** Where each of the question's words starts and ends, by offset in the (lowercased) question. */
function wordEdges(lower: string, tagged: readonly { readonly word: string }[]): Set<number> {
  const edges = new Set<number>([0, lower.length]);
  let cursor = 0;
  for (const { word } of tagged) {
    const at = lower.indexOf(word, cursor);
    if (at < 0) continue;
    edges.add(at).add(at + word.length);
    cursor = at + word.length;
  }
  return edges;
}

/** The idf of a word held by a fifth of the passages (BM25's idf, ln(1 + (N − n + ½)/(n + ½)) ≈ ln 5). */
const SETTING_IDF = Math.log(5);

/** Proper names: place, organisation, person, other. */
const PROPER_TAGS = new Set(["ns", "nt", "nr", "nrt", "nrfg", "nz"]);

/**
 * Forms of address (师傅, 大姐, 家里人; jieba's dictionary tags some as personal names, 师傅/nr):
 * how a member calls someone (那位女焊工师傅), neither a word nor a name a passage must print.
 */
const ADDRESS = /^(?:老?师傅|师父|老师|先生|女士|同志|大姐|大哥|阿姨|大爷|大妈|大叔|大娘|小伙|姑娘|老板|老乡|家里人|家人|大伙儿?)$/;

/**
 * Where jieba's dictionary tags a member's everyday word against its use:
 * 一共 is an adverb, as 总共 is, but tagged an abbreviation (j), so it
 * weighed as a thing, and as one of the rarest in the news (which writes 共);
 * 东西 (things, `捎东西`) is tagged a place (east and west), which a passage
 * then had to name.
 */
const TAG_FIXES: Readonly<Record<string, string>> = { 一共: "d", 东西: "n" };

/**
 * 那阵子, 这会儿, 那时候: a demonstrative of time, pointing at a time the question names elsewhere (`过年那阵子`).
 * jieba tags 那阵子 and 那阵儿 as persons' names, which then had to stand in a passage; it cuts 这段时间 as 这 and
 * 段时间, another "name" (read where the words are).
 */
/** 近几年, 近两年, 近3年: "in recent years", a time the member puts the question in, which no passage need print. */
const RECENT_YEARS = /^近[几两一二三四五六七八九十\d]+年$/;
/** `1-3` of `1-3月`, which jieba keeps whole from an ASCII hyphen: the span is time (see `when.ts`), written `1—3月` or `1至3月` in the news. */
const NUMBER_SPAN = /^\d+\s*[-~～—–－]\s*\d+$/;

const THAT_TIME = /^[这那](?:阵[子儿]?|会儿?|时候?|段时间|段日子)$/;

/**
 * 那回, 这阵: a demonstrative glued to a measure word or a noun's first
 * character, pointing at something the question names elsewhere.
 */
const DEMONSTRATIVE = /^[这那][\u4e00-\u9fa5]$/;

/** A demonstrative before a noun jieba reads as one pronoun (本剧, 此剧, 该漫画). */
const POINTING = /^[此该本其][\u4e00-\u9fa5]{1,3}$/;

/**
 * The member speaking of their own (我爸, 俺娘, 咱厂): jieba does not know
 * these compounds, and weighed as things no story holds they made a refusal
 * say the news does not mention 我爸.
 */
const SELF = /^(?:我|俺|咱)(?!们$)./;

/**
 * A text as the question's words are written: jieba's words are lowercased (`jaxr`, `power6`), so a passage's
 * `JAXR` must be too for a question naming it to find it; and so must a glossary term or a quoted term, which keep
 * their capitals (`AI`, `CR450`). Texts without a capital letter are returned as they are.
 */
export function latinLowered(text: string): string {
  return /[A-Z]/.test(text) ? text.toLowerCase() : text;
}

/** The first and last characters of a word that none of its parts begins or ends with. */
function endsLeftOut(word: string, parts: readonly string[]): string[] {
  const chars = [...word];
  const first = chars[0]!;
  const last = chars.at(-1)!;
  return [...(parts.some((p) => p.startsWith(first)) ? [] : [first]), ...(chars.length > 1 && !parts.some((p) => p.endsWith(last)) ? [last] : [])];
}

/** A proper name a passage must hold: not the news' setting (a name most passages share); forms of address are set aside before. */
const isName = (word: string, tag: string, idf: number) => PROPER_TAGS.has(tag) && [...word].length >= 2 && idf > SETTING_IDF;

/** A helper verb, pronoun or particle jieba glues to a neighbour (要评, 那本, 能休, 队有, 方是). */
const GLUED = /^[会要能没来去那这由可该想在把被让给跟和与就还都也又再才已有]|[是有了着过的地得来去吗呢吧么]$/;

/** Tags a person's name gets from jieba: a name, another proper noun, or a word it does not know. */
const NAME_LIKE_TAGS = new Set(["nr", "nrfg", "nrt", "nz", "x"]);

const WORDING_TAGS = new Set(["s", "v", "vd", "vg", "vi", "vq", "a", "ad", "ag", "an", "d", "dg", "r", "rg", "rr", "rz", "t", "tg", "b", "f", "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "o", "q", "m", "mq", "zg", "z"]);

/**
 * A word of two or more characters counts when it occurs in the text; a
 * single character only when the text's own segmentation has it as a word,
 * so `交` (hand in) is not found inside `交流` (exchange).
 */
export function createEvidenceScorer(segmenter: Segmenter, lexical: Pick<LexicalIndex, "idf">, glossary: Glossary = EMPTY_GLOSSARY): EvidenceScorer {
  const memo = new Map<string, Set<string>>();
  /** The idf of a word no passage holds (it changes as the index grows). */
  const never = () => lexical.idf("\u0000never-indexed");
  const seen = (w: string) => !QUESTION_WORD.test(w) && lexical.idf(w) < never();
  const unseen = (terms: QueryTerms) => [...terms.words.keys()].filter((w) => w.length > 1 && lexical.idf(w) >= never() && !terms.alternatives?.has(w));
  const seenParts = (word: string): string[] => {
    const parts = segmenter.words(word).filter((p) => p !== word && seen(p));
    if (parts.length > 0) return parts;
    if ([...word].length < 3) return [];
    return [word.slice(0, -1), word.slice(1)].filter(seen).slice(0, 1);
  };
  /** A phrase's idf: its words' mean, as BM25 sees it through segmentation. */
  const phraseIdf = (phrase: string) => {
    const ws = segmenter.words(phrase);
    return ws.length === 0 ? lexical.idf(phrase) : ws.reduce((sum, w) => sum + lexical.idf(w), 0) / ws.length;
  };
  const wordsOf = (text: string) => {
    let words = memo.get(text);
    if (words === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      words = new Set(segmenter.words(text));
      memo.set(text, words);
    }
    return words;
  };
  return {
    terms(question, opts = {}) {
      const tagged = segmenter.tagged(question);
      // Worked out once for the question, not again for each of its words.
      const lower = question.toLowerCase();
      const hits = glossary.find(question, wordEdges(lower, tagged));
      const words = new Map<string, number>();
      const alternatives = new Map<string, readonly string[]>();
      const names: string[] = [];
      const topics = new Set<string>();
      let topical = false;
      const unseenIdf = never();
      // Where each glossary term stands, so no word overlapping it counts twice (全总编的 → 全总, not 总编).
      const spans = hits.flatMap((h) => spansOf(lower, h.term));
      let cursor = 0;
      for (const [i, cut] of tagged.entries()) {
        let { word, tag } = cut;
        tag = TAG_FIXES[word] ?? tag;
        const at = lower.indexOf(word, cursor);
        if (at >= 0) cursor = at + word.length;
        const overlap = at < 0 ? undefined : spans.find(([from, to]) => at < to && from < at + word.length);
        if (overlap !== undefined) {
          // A glossary term starting inside the word (市总工会 in 上海市总工会, 省外 in 湖北省/外) leaves its head a word of
          // its own: 上海 and 湖北 are still named.
          const head = overlap[0] > at ? word.slice(0, overlap[0] - at) : "";
          if ([...head].length < 2) continue;
          word = head;
          tag = segmenter.tagged(head)[0]?.tag ?? "x";
        }
        if (isStopword(word) || QUESTION_WORD.test(word) || (tag === "x" && SELF.test(word))) continue;
        // How the member calls someone (那位大姐, 师傅) points at the person the rest describes: it is no
        // word a passage must hold, as the news names people and rarely says 师傅.
        if (ADDRESS.test(word)) continue;
        if (THAT_TIME.test(word) || RECENT_YEARS.test(word) || NUMBER_SPAN.test(word) || (/^段(?:时间|日子)$/.test(word) && i > 0 && /^[这那]$/.test(tagged[i - 1]!.word))) continue;
        // The word a question word points at names the kind of answer
        // (什么职务, 哪所大学, 什么活动): the passage states the answer
        // (副主席), rarely the kind. It counts half, and not at all when the
        // news never uses it.
        if (i > 0 && ASKING.test(tagged[i - 1]!.word)) {
          const idf = lexical.idf(word);
          if (idf < unseenIdf) words.set(word, idf / 2);
          continue;
        }
        // A name most passages share (中国 in national news, 北京 in a Beijing paper) is the news'
        // setting, not what tells one story from another: a passage need not repeat it.
        const idf = lexical.idf(word);
        if (isName(word, tag, idf)) names.push(word);
        if (idf < unseenIdf) {
          // Verbs and other wording words are how a member puts it (公布 for
          // 发布): they count, but half as much as the things asked about.
          words.set(word, WORDING_TAGS.has(tag) ? idf * WORDING_WEIGHT : idf);
          // A thing most passages hold (工会, 全国) tells no story from another, as the setting's names do not.
          if (!WORDING_TAGS.has(tag) && !isName(word, tag, idf) && [...word].length > 1 && idf > SETTING_IDF) topics.add(word);
          // A pronoun compound (该书, 本剧) points at something said before: a topic, though not named.
          topical ||= !WORDING_TAGS.has(tag) || tag.startsWith("r");
          continue;
        }
        // Unseen as a whole: a compound the news writes apart (本科毕业,
        // 建筑风格), or a name jieba glued to the next character (杨昊现) is
        // judged by the parts the news does use. A proper name the news never
        // prints (上海市总工会) stays whole: nothing in the news is about it.
        if (DEMONSTRATIVE.test(word)) continue;
        // A pronoun compound no passage holds (本剧, 此剧) points at a thing it names by its noun: a story about
        // a drama is what can answer `本剧播出前的剧名`, as one about a book answers `该书讲述了什么`.
        const pointed = tag.startsWith("r") && POINTING.test(word) ? word.slice(1) : "";
        if (pointed !== "" && lexical.idf(pointed) < unseenIdf) {
          words.set(pointed, lexical.idf(pointed));
          topics.add(pointed);
          topical = true;
          continue;
        }
        const edition = EDITION_WORD.test(word);
        const parts = PROPER_TAGS.has(tag) || edition ? [] : seenParts(word);
        if (parts.length > 0) {
          // The parts weigh as the whole would: 就是说 (a conjunction) is wording, not the topic.
          const weight = WORDING_TAGS.has(tag) ? WORDING_WEIGHT : 1;
          for (const part of parts) words.set(part, lexical.idf(part) * weight);
          topical ||= weight === 1;
          // A noun character the parts leave out at either end of a noun (男 of 男主角, 性 of 重要性, 盛 of 盛花期) says
          // which of the parts' kind is meant: it counts as a one-character word, which a passage must have as a word
          // of its own (a passage about a 女主角 holds 主角, not 男). Not of a word jieba does not know (`李桂英区`, a
          // name glued to the next word's first character).
          if (tag.startsWith("n")) for (const end of endsLeftOut(word, parts)) if (segmenter.tagged(end)[0]?.tag.startsWith("n") === true && lexical.idf(end) < unseenIdf) words.set(end, lexical.idf(end));
        } else if (edition || /\d/.test(word) || (!WORDING_TAGS.has(tag) && [...word].length > 1 && !((tag === "x" && (/[了着过点]$/.test(word) || /^.个$/.test(word))) || /^.了个$/.test(word)))) {
          // A name, a thing, an edition (第九届) or a number no passage holds:
          // the question is about something the news does not have. Names
          // and editions decide alone: no passage can answer for them.
          words.set(word, idf);
          topical = true;
          if ((edition || PROPER_TAGS.has(tag)) && !names.includes(word)) names.push(word);
        }
        // Otherwise a verb, pronoun or time word the news never uses (涨,
        // 那位, 当年, 护着), a verb jieba glued to 了, 着 or 过, or one
        // character glued to 个 or 了个 (`有个`, `歇个`, `搞了个`; not a name, `陈红个`), or a
        // lone character: the member's wording, not the topic; it does not
        // count.
      }
      const expansions: string[] = [];
      for (const h of hits) {
        // A concept weighs as its most common wording in the news: 全总 is
        // rare there only because the news writes 全国总工会.
        const common = Math.min(...h.concept.map(phraseIdf));
        words.set(h.term, common);
        topics.add(h.term);
        topical = true;
        alternatives.set(h.term, h.concept.filter((t) => t !== h.term));
        // Retrieval looks for the news' wording only where the member's is
        // clearly not the news' own (several times rarer): expanding 防暑降温,
        // which the news uses too, would pull in every 送清凉 story.
        // Only that wording: three spellings of 全国总工会 would outweigh the rest of the question.
        if (phraseIdf(h.term) > common + EXPANSION_MARGIN) expansions.push(h.concept.find((t) => phraseIdf(t) === common)!);
      }
      // An edition (第三届) is required as a name is, though another story holds it: a report of
      // the second congress does not answer for the third. Read from the text, as jieba cuts 第3届 apart.
      for (const e of editionsIn(question)) if (!names.some((n) => editionForms(e).includes(n))) names.push(e);
      // So is a document, book or work the member names in 《》: a report of `《女职工数字技能提升方案》` does not answer
      // for `《农民工数字技能提升方案》`, which shares all its other words. Its parenthesis (`（试行）`) may be left out.
      for (const title of bookTitles(question)) if (!names.includes(title)) names.push(title);
      // So is the role whose holder the question asks for (`纪念馆的馆长是谁`, `检查组组长是哪位领导`): a report of the
      // museum's opening names no curator, and whoever it does name is not one.
      const role = roleAsked(lower, tagged);
      if (role !== undefined && !names.includes(role)) names.push(role);
      // So is a year, in news without dates (see `TermOptions`).
      if (opts.yearsAsNames === true) for (const [, year] of question.matchAll(YEAR)) if (!names.includes(year!)) names.push(year!);
      // What the member quoted (“最美职工”) must stand in the passage: it weighs as its rarest word.
      const exact = exactTerms(question);
      for (const e of exact) if (!words.has(e) && /[“"「『‘']/.test(question)) words.set(e, Math.max(lexical.idf(e), ...segmenter.words(e).map((w) => lexical.idf(w))));
      const editionsOf = new Map<string, readonly string[]>();
      for (const m of question.matchAll(EDITION)) {
        const rest = question.slice(m.index + m[0].length);
        const end = EVENT_END.exec(rest);
        const event = segmenter.tagged(end === null ? rest : rest.slice(0, end.index)).filter((t) => /^(?:n|x|vn)/.test(t.tag) && [...t.word].length > 1);
        const edition = editionsIn(m[0])[0];
        if (edition !== undefined && event.length >= 2) editionsOf.set(edition, event.map((t) => t.word));
      }
      return {
        words,
        exact,
        alternatives,
        names,
        topics: [...topics],
        expansions,
        ...(editionsOf.size > 0 ? { editionsOf } : {}),
        ...(topical || exact.length > 0 ? {} : { wordingOnly: true }),
      };
    },
    coverage(terms, raw, has = (word: string) => wordsOf(raw).has(word)) {
      const text = latinLowered(raw);
      let total = 0;
      let found = 0;
      for (const [word, weight] of terms.words) {
        total += weight;
        if (holdsWord(terms, text, word, has)) found += weight;
      }
      return total === 0 ? 0 : found / total;
    },
    held(terms, raw) {
      const text = latinLowered(raw);
      return [...terms.words.keys()].filter((word) => holdsWord(terms, text, word, (w) => wordsOf(raw).has(w)));
    },
    exactMatches(terms, text) {
      return terms.exact.filter((t) => text.includes(t)).length;
    },
    missingNames(terms, raw) {
      const text = latinLowered(raw);
      return (terms.names ?? []).filter((n) => !editionForms(n).some((form) => holdsEdition(text, latinLowered(form), terms.editionsOf?.get(n))));
    },
    holdsTopic(terms, raw) {
      const text = latinLowered(raw);
      const topics = terms.topics ?? [];
      return topics.length === 0 || topics.some((t) => text.includes(latinLowered(t)) || (terms.alternatives?.get(t)?.some((a) => text.includes(latinLowered(a))) ?? false));
    },
    nameLike(phrase) {
      return segmenter.tagged(phrase).some((t) => NAME_LIKE_TAGS.has(t.tag));
    },
    unseen,
    nameable(terms) {
      return unseen(terms).filter((w) => !/[谁哪啥咋]/.test(w) && !(GLUED.test(w) && segmenter.tagged(w).every((t) => t.tag === "x")));
    },
  };
}
