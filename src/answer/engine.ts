import type { RetrievalMode } from "../config.js";
import type { Story } from "../corpus/story.js";
import type { EvidenceScorer } from "../search/evidence.js";
import type { Candidate, Retriever } from "../search/retrieve.js";
import type { Answer, Citation, RankedPassage } from "./answer.js";
import { extractQuotes } from "./extract.js";
import { normalizeQuestion } from "./question.js";

export const NOT_COVERED = "没有在已收录的新闻中找到相关内容。";
const REPHRASE_ADVICE = "可以换个说法再问，或写明具体的单位、人名、地点或活动名称。";

/** Where a passage sits, for citing it. */
export interface CitablePassage {
  readonly storyId: string;
  readonly paragraph: number;
  readonly text: string;
}

/**
 * When retrieved passages count as evidence. Coverage is the idf-weighted
 * share of the question's words a passage holds; similarity is the model's
 * cosine. Either one clearing its bar is enough.
 */
export interface Thresholds {
  readonly minCoverage: number;
  readonly minSimilarity: number;
}

export interface EngineParts {
  readonly stories: readonly Story[];
  readonly passages: readonly CitablePassage[];
  readonly retriever: Retriever;
  readonly evidence: EvidenceScorer;
  readonly thresholds: Thresholds;
  readonly topK: number;
}

/** The one answer engine every presenter (terminal, Telegram, evaluation) asks. */
export interface Engine {
  readonly mode: RetrievalMode;
  readonly stories: readonly Story[];
  story(id: string): Story | undefined;
  /** Throws QuestionError for a question that cannot be asked (empty, too long, no words). */
  ask(question: string, opts?: { k?: number }): Promise<Answer>;
}

/** Wires retrieval, evidence and extraction into the engine. */
export function createEngine(parts: EngineParts): Engine {
  const storyById = new Map(parts.stories.map((s) => [s.id, s]));
  const { minCoverage, minSimilarity } = parts.thresholds;
  const isEvidence = (c: Candidate) => c.coverage >= minCoverage || (c.similarity ?? -Infinity) >= minSimilarity;

  return {
    mode: parts.retriever.mode,
    stories: parts.stories,
    story: (id) => storyById.get(id),
    async ask(raw, opts = {}) {
      const started = performance.now();
      const question = normalizeQuestion(raw);
      const candidates = await parts.retriever.retrieve(question, opts.k ?? parts.topK);
      const ranked: RankedPassage[] = candidates.map((c) => {
        const p = parts.passages[c.index]!;
        return { storyId: p.storyId, title: storyById.get(p.storyId)?.title ?? "", paragraph: p.paragraph, text: p.text, score: c.score };
      });
      const evidence = candidates.filter(isEvidence);
      const quotes = extractQuotes(parts.evidence, parts.evidence.terms(question), evidence.map((c) => parts.passages[c.index]!.text));
      const base = { question: raw.trim(), mode: parts.retriever.mode, passages: ranked };
      const latency = () => Math.round((performance.now() - started) * 100) / 100;

      if (quotes.length === 0) {
        const closestTitles = [...new Set(ranked.map((p) => p.title))].slice(0, 3);
        return { ...base, abstained: true, answer: `${NOT_COVERED}${REPHRASE_ADVICE}`, citations: [], closestTitles, latencyMs: latency() };
      }
      const numberOf = new Map<number, number>();
      const citations: Citation[] = [];
      const lines = quotes.map((q) => {
        let n = numberOf.get(q.source);
        if (n === undefined) {
          n = citations.length + 1;
          numberOf.set(q.source, n);
          citations.push(cite(n, evidence[q.source]!, parts.passages, storyById));
        }
        return `${q.sentence}[${n}]`;
      });
      return { ...base, abstained: false, answer: lines.join("\n"), citations, closestTitles: [], latencyMs: latency() };
    },
  };
}

function cite(n: number, c: Candidate, passages: readonly CitablePassage[], stories: ReadonlyMap<string, Story>): Citation {
  const p = passages[c.index]!;
  const story = stories.get(p.storyId);
  return {
    n,
    storyId: p.storyId,
    title: story?.title ?? "",
    ...(story?.byline ? { byline: story.byline } : {}),
    paragraph: p.paragraph,
    text: p.text,
    score: c.score,
    ...(story?.date ? { date: story.date } : {}),
    file: story?.file ?? "",
  };
}
