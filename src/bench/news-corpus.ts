import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Story } from "../corpus/story.js";

/**
 * Writes a large synthetic corpus as JSONL files of `perFile` stories, built
 * from real paragraphs (cycled, numbered so every passage is distinct): a
 * realistic load for parsing, segmentation and BM25, at any size.
 */
export async function writeSyntheticCorpus(dir: string, seed: readonly Story[], stories: number, perFile = 2000): Promise<void> {
  const paragraphs = seed.flatMap((s) => s.paragraphs);
  for (let start = 0, file = 0; start < stories; start += perFile, file++) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(stories, start + perFile); i++) {
      const text = Array.from({ length: 3 }, (_, j) => `${paragraphs[(i * 3 + j) % paragraphs.length]!}（第${i}号）`).join("\n");
      lines.push(JSON.stringify({ id: `g${i}`, title: `${seed[i % seed.length]!.title}（${i}）`, text }));
    }
    await writeFile(path.join(dir, `generated-${String(file).padStart(4, "0")}.jsonl`), `${lines.join("\n")}\n`);
  }
}
