import type { Segmenter, TaggedWord } from "../search/segment.js";

/**
 * Follow-ups, read without a language model: a message is read in the
 * previous question's context when it lacks what a question of its own
 * would have — it points back with a pronoun (他, 这个), is a bare
 * "那…呢", or names no subject at all (报名人数有多少？, 还有别的吗？). A
 * message naming a subject of its own is a new topic and is asked as
 * written, so nothing of the old topic leaks into it.
 */
export type FollowUpKind = "what-about" | "pronoun" | "no-subject";

export interface FollowUp {
  readonly kind: FollowUpKind;
  /** The question as the engine is asked it, the previous topic carried in. */
  readonly resolved: string;
}

/** Words that point back at something said before. */
const POINTING = new Set(["他", "她", "它", "他们", "她们", "它们", "该", "此", "其", "这个", "那个", "这位", "那位", "这项", "那项", "这次", "那次", "这些", "那些", "这里", "那里", "这儿", "那儿", "这件事", "这事", "此事", "该活动", "这场", "那场"]);
const PROPER = new Set(["ns", "nr", "nt", "nz", "nrt", "nrfg", "x"]);
const NOUN = new Set(["n", "vn", "nz", "ng", "nl"]);
/** `那二等奖呢？`, `那么朝阳区呢`, `二等奖呢`: the same question about something else. */
const WHAT_ABOUT = /^(?:那么?|那么样|还有)?\s*([^，,。！？?!\s]{1,16}?)\s*呢[？?。!！\s]*$/u;

function isProper(t: TaggedWord): boolean {
  return PROPER.has(t.tag) && [...t.word].length >= 2 && /\p{Script=Han}|[A-Za-z]/u.test(t.word);
}

/** A question's own subject weight: a name counts 2, a noun 1; two make a subject. */
function subjectWeight(tagged: readonly TaggedWord[]): number {
  return tagged.reduce((sum, t) => sum + (POINTING.has(t.word) ? 0 : isProper(t) ? 2 : NOUN.has(t.tag) && [...t.word].length >= 2 ? 1 : 0), 0);
}

/**
 * What the previous question was about: its first run of names and nouns
 * (`通州区中式烹调师竞赛`, `杨华清`, `公交职工`), the words a follow-up's
 * pronoun or missing subject stands for.
 */
export function topicOf(segmenter: Segmenter, question: string): string {
  const tagged = segmenter.tagged(question);
  const run: string[] = [];
  for (const t of tagged) {
    const content = !POINTING.has(t.word) && (isProper(t) || (NOUN.has(t.tag) && [...t.word].length >= 2) || (run.length > 0 && t.tag === "n"));
    if (content) run.push(t.word);
    else if (run.length > 0) break;
  }
  return run.join("");
}

/** The longest common ending of two words (`等奖` of 一等奖 and 二等奖). */
function commonSuffix(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

const strip = (q: string) => q.replace(/[？?。!！\s]+$/u, "");

/**
 * Reads `message` as a follow-up to `previous` (the previous question as it
 * was asked of the engine), or returns undefined when it is a question of
 * its own.
 */
export function readFollowUp(segmenter: Segmenter, message: string, previous: string): FollowUp | undefined {
  const text = message.trim();
  const what = WHAT_ABOUT.exec(text);
  if (what !== null && !/[吗么]$/u.test(what[1]!)) {
    const x = what[1]!.replace(/^(?:那么?|还有)/u, "");
    if (x !== "") {
      // The same question about X: X takes the place of the previous word it is a sibling of (一等奖 → 二等奖, 通州区 → 朝阳区).
      const words = segmenter.tagged(previous).filter((t) => t.word !== x && [...t.word].length >= 2);
      const sibling = words
        .map((t) => ({ word: t.word, shared: commonSuffix(t.word, x) }))
        .filter((w) => w.shared >= 1 && w.shared < [...x].length + 1)
        .sort((a, b) => b.shared - a.shared)[0];
      const resolved = sibling && previous.includes(sibling.word) ? previous.replace(sibling.word, x) : `${strip(previous)} ${x}？`;
      return { kind: "what-about", resolved };
    }
  }
  const tagged = segmenter.tagged(text);
  const topic = topicOf(segmenter, previous);
  if (topic === "") return undefined;
  const pointer = tagged.find((t) => POINTING.has(t.word));
  if (pointer !== undefined) {
    return { kind: "pronoun", resolved: text.replace(pointer.word, topic) };
  }
  if (subjectWeight(tagged) < 2) return { kind: "no-subject", resolved: `${topic}${text}` };
  return undefined;
}
