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

/**
 * A corpus of about `passages` passages for measuring at scale: the real
 * stories unchanged, plus distractor stories whose paragraphs are 2–4
 * sentences drawn at random from the real ones (seeded). Distractors share
 * the real stories' vocabulary and even their answer sentences, so they
 * make retrieval harder, not easier; their titles are sentence fragments,
 * never a real title, so evaluation never counts a distractor as the
 * expected story.
 */
export function distractorCorpus(stories: readonly Story[], passages: number, seed = 1): CmsRecord[] {
  const real: CmsRecord[] = stories.map((s, i) => ({ id: `real-${i}`, title: s.title, text: s.paragraphs.join("\n") }));
  const sentences = stories.flatMap((s) => s.paragraphs.flatMap((p) => splitSentences(p))).filter((s) => s.length >= 4);
  if (sentences.length === 0) throw new Error("distractorCorpus: the stories hold no sentences");
  const titles = new Set(stories.map((s) => s.title));
  const random = mulberry32(seed);
  const pick = () => sentences[Math.floor(random() * sentences.length)]!;
  const realPassages = stories.reduce((n, s) => n + s.paragraphs.length, 0);
  const needed = Math.max(0, Math.ceil((passages - realPassages) / PARAGRAPHS_PER_STORY));
  const out = [...real];
  for (let i = 0; i < needed; i++) {
    let title = pick().replace(/[，。！？；：、“”"'（）()《》\s]/g, "").slice(0, 8 + Math.floor(random() * 8));
    if (titles.has(title)) title = `${title}（综合）`;
    const paragraphs = Array.from({ length: PARAGRAPHS_PER_STORY }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, pick).join(""));
    out.push({ id: `d${seed}-${i}`, title, text: paragraphs.join("\n") });
  }
  return out;
}

/** JSONL text of records, one per line. */
export function toJsonl(records: readonly CmsRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
