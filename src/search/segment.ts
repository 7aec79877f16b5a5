import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Jieba } from "@node-rs/jieba";

/** Turns Chinese text into the words BM25 counts. Only this file knows jieba. */
export interface Segmenter {
  words(text: string): string[];
  /**
   * The text cut once into its longest words (jieba's precise mode), each
   * with its part of speech: `ns` place, `nr` person, `nt` organisation, `nz`
   * other proper noun, `m` numeral, `x` a word jieba does not know (often a
   * name). Punctuation is left out, stopwords kept (they show what a
   * question asks: 什么 before 职务). For judging questions, where each word
   * must count once.
   */
  tagged(text: string): TaggedWord[];
  /**
   * Builds the dictionary now rather than at the first use (~0.15 s on this
   * thread): for a caller that has a long read in flight to overlap it with.
   */
  warm?(): void;
}

export interface TaggedWord {
  readonly word: string;
  readonly tag: string;
}

/**
 * Function words that occur in nearly every passage and question: counting
 * them only adds noise to BM25 scores. Kept short on purpose; IDF handles the rest.
 */
const STOPWORDS = new Set(
  "那个 这个 那位 这位 那些 这些 那边 这边 那种 这种 一块儿 一起 给 跟 帮 帮着 着 过 点 一点 有点 啥 咋 干啥 干嘛 都有 还有 到底 究竟 具体 主要 一般 大概 大约 左右 的 了 在 是 和 与 及 等 也 都 就 而 并 或 被 把 将 对 为 于 以 之 其 该 这 那 有 个 们 吗 呢 吧 啊 哪些 什么 怎么 如何 哪 哪里 哪儿 谁 多少 几 是否 请问 一下 有没有 什么样 为什么 何时 什么时候 最近 近期 一些 有关 关于 相关 情况 我 我们 你 你们 能 会 要 想 知道 搞 报道 新闻 文章 消息 稿件 稿子 内容 写 介绍 说 讲 提到 呀"
    .split(" "),
);

/** Every stopword is CJK ideographs; the longest has this many, and the one-character ones are marked by code point. */
const STOPWORD_MAX = Math.max(...[...STOPWORDS].map((w) => w.length));
const CJK_FIRST = 0x4e00;
const CJK_LAST = 0x9fff;
const SINGLE_STOPWORDS = new Uint8Array(CJK_LAST - CJK_FIRST + 1);
for (const w of STOPWORDS) if (w.length === 1) SINGLE_STOPWORDS[w.charCodeAt(0) - CJK_FIRST] = 1;
/** Two-character stopwords as numbers (first · 2^16 + second): a set of small integers needs no string hashing. */
const PAIR_STOPWORDS = new Set([...STOPWORDS].filter((w) => w.length === 2).map((w) => w.charCodeAt(0) * 0x10000 + w.charCodeAt(1)));

/** Whether a word is made of CJK unified ideographs only (U+4E00–U+9FFF), as most of jieba's are. */
function ideographsOnly(w: string): boolean {
  if (w.length === 0) return false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < CJK_FIRST || c > CJK_LAST) return false;
  }
  return true;
}

/** `STOPWORDS.has` for a word of ideographs only: one or two characters by number, a long one not at all. */
function isIdeographStopword(w: string): boolean {
  if (w.length === 1) return SINGLE_STOPWORDS[w.charCodeAt(0) - CJK_FIRST] === 1;
  if (w.length === 2) return PAIR_STOPWORDS.has(w.charCodeAt(0) * 0x10000 + w.charCodeAt(1));
  return w.length <= STOPWORD_MAX && STOPWORDS.has(w);
}

/** Whether BM25 leaves a word out (function words, question words, chat filler). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

let shared: Jieba | undefined;

/**
 * jieba with its default dictionary, built once per thread on first use.
 * The package's `dict.js` would also read its 6 MB idf table, which
 * segmentation never uses, so only `dict.txt` is read.
 */
function jieba(): Jieba {
  shared ??= Jieba.withDict(readFileSync(createRequire(import.meta.url).resolve("@node-rs/jieba/dict.txt")));
  return shared;
}

/**
 * jieba in search mode: it emits both the long word and its parts
 * (`防暑降温` and `防暑`, `降温`), so a question in other words still meets
 * the passage. Punctuation, stopwords and lone Latin letters (stray markup
 * such as `<b>`) are dropped; Latin text is lowercased.
 */
/**
 * `Segmenter.words` in its two steps: jieba's search-mode pieces of a text,
 * and what becomes of each piece (the word BM25 counts, or undefined:
 * dropped). The second depends on the piece alone, so a caller meeting the
 * same piece again and again (the segmenting threads of a build) can keep
 * its outcome instead of judging it anew.
 */
export interface WordCutter {
  pieces(text: string): string[];
  word(piece: string): string | undefined;
}

export function createWordCutter(): WordCutter {
  const keep = (w: string) => w !== "" && hasLetterOrDigit(w) && !(w.length === 1 && w >= "a" && w <= "z") && !STOPWORDS.has(w);
  return {
    pieces: (text) => jieba().cutForSearch(text.normalize("NFKC"), true),
    word(piece) {
      // Most words are ideographs alone: trimming and lowercasing leave them as they are, so they skip both (a third of the build's segmenting time).
      if (ideographsOnly(piece)) return isIdeographStopword(piece) ? undefined : piece;
      const w = piece.trim().toLowerCase();
      return keep(w) ? w : undefined;
    },
  };
}

export function createSegmenter(): Segmenter {
  const cutter = createWordCutter();
  // A question is segmented several times per answer (its terms for evidence, for retrieval,
  // for the BM25 search): the last few short texts are remembered, as frozen arrays.
  const recent = new Map<string, string[]>();
  const cut = (text: string): string[] => {
    const out: string[] = [];
    for (const piece of cutter.pieces(text)) {
      const w = cutter.word(piece);
      if (w !== undefined) out.push(w);
    }
    return out;
  };
  return {
    tagged(text: string): TaggedWord[] {
      return jieba()
        .tag(text.normalize("NFKC"), true)
        .map((t) => ({ word: t.word.trim().toLowerCase().replace(/(?<=..)了$/, ""), tag: t.tag }))
        .filter((t) => t.word !== "" && /[\p{L}\p{N}]/u.test(t.word));
    },
    warm() {
      jieba();
    },
    words(text: string): string[] {
      if (text.length > RECENT_MAX_CHARS) return cut(text);
      let words = recent.get(text);
      if (words === undefined) {
        words = Object.freeze(cut(text)) as string[];
        if (recent.size >= RECENT_SIZE) recent.delete(recent.keys().next().value as string);
        recent.set(text, words);
      }
      return words;
    },
  };
}

const RECENT_SIZE = 256;
const RECENT_MAX_CHARS = 200;

/** `/[\p{L}\p{N}]/u`, with a shortcut for the common case of a word starting with a CJK ideograph. */
function hasLetterOrDigit(w: string): boolean {
  const c = w.charCodeAt(0);
  return (c >= 0x4e00 && c <= 0x9fff) || /[\p{L}\p{N}]/u.test(w);
}
