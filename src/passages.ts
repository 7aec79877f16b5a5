import { createHash } from "node:crypto";
import type { Story } from "./corpus/story.js";

/** The unit that is embedded, indexed and cited: a paragraph, or a piece of a long one. */
export interface Passage {
  /** `<storyId>:<paragraph>` or `<storyId>:<paragraph>.<part>` for a piece of a long paragraph. */
  readonly key: string;
  readonly storyId: string;
  /** 1-based paragraph number in the story, as cited to members. */
  readonly paragraph: number;
  /** 1-based piece of the paragraph; 1 when the paragraph fits the window whole. */
  readonly part: number;
  /** What members are shown: the paragraph (or piece) as printed. */
  readonly text: string;
  /** What the model sees: the title gives an otherwise context-free paragraph its topic. */
  readonly embedText: string;
  /** sha256 of `embedText`: the embedding cache key, so an unchanged passage is never embedded twice. */
  readonly hash: string;
}

/**
 * Passages by number, without an object per passage: a served build keeps
 * where each passage stands in typed arrays and reads a text from disk only
 * when it is asked for (see `index/store.ts`), so 100k passages load as a
 * few arrays. Read a text once and keep it rather than asking twice.
 */
export interface PassageList {
  readonly length: number;
  key(i: number): string;
  storyId(i: number): string;
  /** 1-based paragraph of the story, as cited. */
  paragraph(i: number): number;
  text(i: number): string;
  /**
   * The story itself (the one `storyId` names), when the list holds the served
   * stories: a question reads some sixty passages' stories, and looking each up
   * by id in a map of every story missed the cache at every turn.
   */
  story?(i: number): Story;
}

/**
 * The passages of i's story, in order. Every list keeps a story's passages
 * together and in paragraph order (`toPassages`, and the stores load them so),
 * so they are found by walking out from i.
 */
export function storyPassages(list: PassageList, i: number): number[] {
  const id = list.storyId(i);
  let from = i;
  while (from > 0 && list.storyId(from - 1) === id) from--;
  let to = i + 1;
  while (to < list.length && list.storyId(to) === id) to++;
  return Array.from({ length: to - from }, (_, j) => from + j);
}

/** A passage list over passages already in memory (a database store's snapshot, tests). */
export function passageListOf(passages: readonly Pick<Passage, "key" | "storyId" | "paragraph" | "text">[]): PassageList {
  return {
    length: passages.length,
    key: (i) => passages[i]!.key,
    storyId: (i) => passages[i]!.storyId,
    paragraph: (i) => passages[i]!.paragraph,
    text: (i) => passages[i]!.text,
  };
}

/**
 * bge-small-zh reads 512 tokens. Its tokenizer gives each Chinese character
 * one token and never more tokens than characters, so a character budget
 * below the window (less [CLS]/[SEP] and a margin) keeps every passage whole
 * without needing the tokenizer, identically in lexical-only installs.
 */
export const MAX_EMBED_CHARS = 500;

/** Splits stories into passages, in story and paragraph order. */
export function toPassages(stories: readonly Story[], maxChars = MAX_EMBED_CHARS): Passage[] {
  return stories.flatMap((story) => {
    const budget = Math.max(50, maxChars - story.title.length - 1);
    return story.paragraphs.flatMap((paragraph, i) => {
      const pieces = splitLongParagraph(paragraph, budget);
      return pieces.map((text, j) => {
        const embedText = `${story.title}\n${text}`;
        return {
          key: pieces.length === 1 ? `${story.id}:${i + 1}` : `${story.id}:${i + 1}.${j + 1}`,
          storyId: story.id,
          paragraph: i + 1,
          part: j + 1,
          text,
          embedText,
          hash: createHash("sha256").update(embedText).digest("hex"),
        };
      });
    });
  });
}

/**
 * Splits a paragraph into sentences, keeping each sentence's final punctuation and closing quotes; by default a clause
 * ending in ； counts as one (for packing long paragraphs). For quoting (`atSemicolons: false`), a quotation and the
 * short clause saying who said it are one sentence (`“…温暖！”环卫工人李德明说。`): the clause alone says nothing.
 */
export function splitSentences(text: string, opts: { atSemicolons?: boolean } = {}): string[] {
  const re = opts.atSemicolons === false ? /[^。！？!?]+(?:[。！？!?]+[”’"」』）)]*|$)/g : /[^。！？!?；;]+(?:[。！？!?；;]+[”’"」』）)]*|$)/g;
  const sentences = text.match(re)?.map((s) => s.trim()).filter((s) => s !== "") ?? [];
  if (opts.atSemicolons !== false) return sentences;
  const joined: string[] = [];
  for (const s of sentences) {
    const last = joined.length - 1;
    if (last >= 0 && /[”」』]$/.test(joined[last]!) && ATTRIBUTION.test(s)) joined[last] += s;
    else joined.push(s);
  }
  return joined;
}

/** A short clause saying who said a quotation before it (`环卫工人李德明说。`, `他告诉记者。`). */
const ATTRIBUTION = /^[^，,。！？!?“”]{1,16}(?:说|表示|介绍|称|道|说道|告诉记者|感慨|坦言)[。！!]?$/;

/**
 * Packs whole sentences into pieces of at most `budget` characters; a
 * sentence longer than the budget is cut at commas, then hard, as a last resort.
 */
export function splitLongParagraph(paragraph: string, budget: number): string[] {
  if (paragraph.length <= budget) return [paragraph];
  const units = splitSentences(paragraph).flatMap((s) => (s.length <= budget ? [s] : splitClauses(s, budget)));
  const pieces: string[] = [];
  let current = "";
  for (const unit of units) {
    if (current !== "" && current.length + unit.length > budget) {
      pieces.push(current);
      current = "";
    }
    current += unit;
  }
  if (current !== "") pieces.push(current);
  return pieces;
}

function splitClauses(sentence: string, budget: number): string[] {
  const clauses = sentence.match(/[^，,、：:]+[，,、：:]*/g) ?? [sentence];
  return clauses.flatMap((c) => {
    const out: string[] = [];
    for (let i = 0; i < c.length; i += budget) out.push(c.slice(i, i + budget));
    return out;
  });
}
