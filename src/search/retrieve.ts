import type { RetrievalMode } from "../config.js";
import type { Embedder } from "../embed/embedder.js";
import type { LexicalSearcher, LexicalSlots, VectorSearcher } from "../index/index-store.js";
import { type PassageList, storyPassages } from "../passages.js";
import type { EvidenceScorer, QueryTerms } from "./evidence.js";
import { bigramSet, collapseByGroup, jaccard } from "./near-duplicates.js";
import { orderWithinStories } from "./story-order.js";


/** A retrieved passage with the signals the answer step judges it by. */
export interface Candidate {
  /** Position in the passage list. */
  readonly index: number;
  /** Ranking score of the mode (fused, BM25 or cosine); only its order matters. */
  readonly score: number;
  /** idf-weighted share of the question's words found in the passage (0..1). */
  readonly coverage: number;
  /** Cosine similarity to the question, when the model took part. */
  readonly similarity?: number | undefined;
  /** Proper names of the question the passage (with its title) does not hold: it cannot be the answer. */
  readonly missingNames: readonly string[];
  /** Whether the passage (with its title) holds one of the question's topics (see `QueryTerms.topics`). */
  readonly holdsTopic: boolean;
  /**
   * For the passages of the best-ranked story only: the same share over the
   * whole story (title and every paragraph), and the names the story lacks.
   * A member who describes a person or event (青岛港那个七十多岁的老桥吊司机…)
   * and asks one detail of it words what the story says in different
   * paragraphs: no one paragraph holds enough of the question, the story
   * does. Only the story ranked first is judged whole: it is the one the
   * description found, and judging every story so let near misses in.
   * Judged when first asked (it reads the whole story), the same for all its passages.
   */
  readonly story?: (() => StoryJudgement) | undefined;
}

export interface StoryJudgement {
  readonly coverage: number;
  readonly missingNames: readonly string[];
}

export interface Retriever {
  readonly mode: RetrievalMode;
  /**
   * `terms` are the question's terms as the same evidence scorer gives them,
   * when the caller has them already (the engine judges evidence with them
   * too): segmenting and tagging the question is then done once per question.
   */
  retrieve(question: string, k: number, terms?: QueryTerms): Promise<Candidate[]>;
}

export interface RetrieverParts {
  readonly mode: RetrievalMode;
  /** Texts are read only for candidates (they come from disk). */
  readonly passages: PassageList;
  /** A story's title, which counts as part of each of its passages (`passages.story`'s, where the list has it). */
  readonly title: (storyId: string) => string;
  /** In memory (the folder store) or a database's BM25 index: retrieval awaits either. */
  readonly lexical: LexicalSearcher;
  /** How lexical hits' slots map to passages, when the index has slots (else hits are found by key). */
  readonly lexicalSlots?: LexicalSlots | undefined;
  readonly evidence: EvidenceScorer;
  readonly vectors?: VectorSearcher | undefined;
  readonly embedder?: Embedder | undefined;
  /** Near-duplicate group of a passage, found at build time; without it candidates are compared pairwise. */
  readonly nearDuplicateGroup?: ((i: number) => number) | undefined;
}

/** Reciprocal rank fusion's damping constant, as in Cormack et al. (2009). */
const RRF_K = 60;

/**
 * Builds the retriever for a mode. Hybrid fuses the dense and BM25 rankings
 * with reciprocal rank fusion, which needs no score calibration between two
 * very different scales, plus a third ranking of passages holding the
 * question's exact terms; near-duplicate passages are then collapsed.
 */
export function createRetriever(parts: RetrieverParts): Retriever {
  const { mode, passages, lexical, evidence } = parts;
  if (mode !== "lexical" && (parts.vectors === undefined || parts.embedder === undefined)) {
    throw new Error(`retrieval mode ${mode} needs the model and the vector index`);
  }
  const slots = parts.lexicalSlots;
  const slotOf = slots && ((i: number) => slots.slot(i));
  let byKey: Map<string, number> | undefined;
  const passageOf =
    (slots && ((slot: number) => slots.passage(slot))) ??
    ((_slot: number, key?: string) => {
      if (byKey === undefined) {
        byKey = new Map();
        for (let i = 0; i < passages.length; i++) byKey.set(passages.key(i), i);
      }
      return byKey.get(key!) ?? -1;
    });

  return {
    mode,
    async retrieve(question, k, given) {
      // A candidate's title and text, read once per question (only candidates are ever read).
      const read = new Map<number, string>();
      const haystack = (i: number) => {
        let text = read.get(i);
        if (text === undefined) {
          read.set(i, (text = `${passages.story?.(i).title ?? parts.title(passages.storyId(i))}\n${passages.text(i)}`));
        }
        return text;
      };
      const pool = Math.max(40, k * 2);
      const terms = given ?? evidence.terms(question);
      /** The whole story's coverage and missing names (see `Candidate.story`). */
      const judgeStory = (i: number): StoryJudgement => {
        const id = passages.storyId(i);
        const members = storyPassages(passages, i);
        const text = [parts.title(id), ...members.map((j) => passages.text(j))].join("\n");
        // A one-character word must be a word of some paragraph; the index knows without segmenting the story.
        const has = slotOf && members.every((j) => slotOf(j) >= 0) ? (w: string) => members.some((j) => slots!.has(slotOf(j), w)) : undefined;
        return { coverage: evidence.coverage(terms, text, has), missingNames: evidence.missingNames(terms, text) };
      };
      const similarity = new Map<number, number>();
      const rankings: number[][] = [];
      if (mode !== "lexical") {
        const q = await parts.embedder!.embedQuery(question);
        const hits = await parts.vectors!.search(q, pool);
        for (const h of hits) similarity.set(h.label, h.score);
        rankings.push(hits.map((h) => h.label));
      }
      if (mode !== "dense") {
        // Glossary terms bring the news' wording of the question's words along.
        const expanded = [question, ...new Set(terms.expansions ?? [])].join(" ");
        const hits = slots
          ? slots.search(expanded, pool).flatMap((h) => {
              const i = slots.passage(h.doc);
              return i < 0 ? [] : [i];
            })
          : (await lexical.search(expanded, pool)).flatMap((h) => {
              const i = passageOf(h.slot, h.key);
              return i < 0 ? [] : [i];
            });
        rankings.push(hits);
        if (terms.exact.length > 0) {
          const candidates = [...new Set(rankings.flat())];
          const withTerms = candidates
            .map((i) => ({ i, n: evidence.exactMatches(terms, haystack(i)) }))
            .filter((c) => c.n > 0)
            .sort((a, b) => b.n - a.n);
          rankings.push(withTerms.map((c) => c.i));
        }
      }
      const fused = mode === "dense" ? rankings[0]!.map((i) => ({ i, s: similarity.get(i)! })) : fuse(rankings);
      const collapsed = parts.nearDuplicateGroup ? collapseByGroup(fused, parts.nearDuplicateGroup) : collapseNearDuplicates(fused, (i) => passages.text(i));
      const top = collapsed.slice(0, k);
      let judged: StoryJudgement | undefined;
      const first = top[0]?.i;
      const firstStory = first === undefined ? undefined : { id: passages.storyId(first), judge: () => (judged ??= judgeStory(first)) };
      // Every candidate has the same fields (undefined where they do not apply): one object shape for the steps that read them.
      const found: Candidate[] = top.map(({ i, s }) => {
        const slot = slotOf ? slotOf(i) : -1;
        const text = haystack(i);
        return {
          index: i,
          score: s,
          coverage: evidence.coverage(terms, text, slot >= 0 ? (w) => slots!.has(slot, w) : undefined),
          missingNames: evidence.missingNames(terms, text),
          holdsTopic: evidence.holdsTopic(terms, text),
          story: firstStory !== undefined && passages.storyId(i) === firstStory.id ? firstStory.judge : undefined,
          similarity: similarity.get(i),
        };
      });
      // Measured for lexical retrieval only (no model here to measure the
      // others): a semantic ranking may rightly prefer a paragraph that
      // words the question differently.
      return mode === "lexical" ? orderWithinStories(found, (i) => passages.storyId(i)) : found;
    },
  };
}

function fuse(rankings: readonly (readonly number[])[]): { i: number; s: number }[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) {
    for (let rank = 0; rank < ranking.length; rank++) {
      const i = ranking[rank]!;
      scores.set(i, (scores.get(i) ?? 0) + 1 / (RRF_K + rank + 1));
    }
  }
  const fused: { i: number; s: number }[] = [];
  for (const [i, s] of scores) fused.push({ i, s });
  return fused.sort((a, b) => b.s - a.s || a.i - b.i);
}

/**
 * The same paragraph printed in two stories (a reprint, a CMS copy of a
 * page) would otherwise fill the answer with one fact twice.
 */
export function collapseNearDuplicates<T extends { i: number }>(ranked: readonly T[], text: (i: number) => string, threshold = 0.85): T[] {
  const kept: { item: T; grams: Set<string> }[] = [];
  for (const item of ranked) {
    const grams = bigramSet(text(item.i));
    if (kept.some((k) => jaccard(k.grams, grams) >= threshold)) continue;
    kept.push({ item, grams });
  }
  return kept.map((k) => k.item);
}
