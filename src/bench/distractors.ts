import type { Story } from "../corpus/story.js";
import { splitSentences } from "../passages.js";
import { mulberry32 } from "./synthetic.js";

/** A CMS export record, as `src/corpus/jsonl.ts` reads it. */
export interface CmsRecord {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

const PARAGRAPHS_PER_STORY = 4;
/** Below the passage window (see passages.ts), so each distractor paragraph is one passage. */
const MAX_PARAGRAPH_CHARS = 420;

/**
 * A corpus of about `passages` passages for measuring at scale: the real
 * stories unchanged, plus distractor stories made of sentences drawn at
 * random from the real ones (seeded). Distractors share the real stories'
 * vocabulary and even their answer sentences, so they make retrieval harder,
 * not easier. Each distractor paragraph is as long as a real paragraph drawn
 * at random (so length normalization favours neither side), and its title
 * is a fragment of its own first sentence, as a headline sums up its story;
 * a title equal to a real one is marked, so evaluation never counts a
 * distractor as the expected story by its title alone.
 */
export function distractorCorpus(stories: readonly Story[], passages: number, seed = 1): CmsRecord[] {
  const real: CmsRecord[] = stories.map((s, i) => ({ id: `real-${i}`, title: s.title, text: s.paragraphs.join("\n") }));
  const sentences = stories.flatMap((s) => s.paragraphs.flatMap((p) => splitSentences(p))).filter((s) => s.length >= 4);
  const lengths = stories.flatMap((s) => s.paragraphs.map((p) => p.length));
  if (sentences.length === 0) throw new Error("distractorCorpus: the stories hold no sentences");
  const titles = new Set(stories.map((s) => s.title));
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const paragraph = () => {
    const target = Math.min(pick(lengths), MAX_PARAGRAPH_CHARS);
    let text = pick(sentences);
    while (text.length < target) {
      const next = pick(sentences);
      if (text.length + next.length > MAX_PARAGRAPH_CHARS) break;
      text += next;
    }
    return text;
  };
  const needed = Math.max(0, Math.ceil((passages - lengths.length) / PARAGRAPHS_PER_STORY));
  const out = [...real];
  for (let i = 0; i < needed; i++) {
    const paragraphs = Array.from({ length: PARAGRAPHS_PER_STORY }, paragraph);
    // Cut by code points: a character outside the BMP (rare CJK in some corpora) cut in half is a lone surrogate, which PostgreSQL's jsonb refuses.
    let title = Array.from(paragraphs[0]!.replace(/[，。！？；：、“”"'（）()《》\s]/g, "")).slice(0, 8 + Math.floor(random() * 8)).join("");
    if (titles.has(title)) title = `${title}（综合）`;
    out.push({ id: `d${seed}-${i}`, title, text: paragraphs.join("\n") });
  }
  return out;
}

/** JSONL text of records, one per line. */
export function toJsonl(records: readonly CmsRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
