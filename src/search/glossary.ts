import { readFile } from "node:fs/promises";
import { CorpusError } from "../errors.js";

/**
 * Members say 全总, 外卖小哥, 职代会; the news prints 全国总工会, 外卖配送员,
 * 职工代表大会. A glossary line lists the terms of one concept; a term found
 * in a question brings the others along, for retrieval and for judging
 * evidence. Terms are matched in the question's text, not its jieba words,
 * because a colloquial phrase (外卖小哥) is often cut into pieces.
 */
export interface Glossary {
  readonly size: number;
  /**
   * Glossary terms found in the text, longest first and not overlapping, each with its concept's terms.
   * Given where the text's words start and end, a term that does neither at either edge straddles two
   * words and is not there (国企 in 中国/企业, 员工 in 演员/工作); one edge is enough, since a colloquial
   * phrase is often cut oddly (全总 in 全/总编), unless the term only opens a longer word, which is
   * another word (老师, a teacher, in 老师傅, an old hand); ending one is enough after a head of its own
   * (市总工会 in 北京市总工会, not 家人 in 客家人).
   */
  find(text: string, boundaries?: ReadonlySet<number>): GlossaryHit[];
}

export interface GlossaryHit {
  /** The term as it stands in the text, its Latin letters lowercased (members type `ai`, the glossary says `AI`). */
  readonly term: string;
  /** Every term of its concept, itself included. */
  readonly concept: readonly string[];
}

export const EMPTY_GLOSSARY: Glossary = { size: 0, find: () => [] };

/** Parses the glossary format (`term|term|term` a line, `#` comments); a bad line is refused by number. */
export function parseGlossary(text: string, file: string): Glossary {
  const conceptsOf = new Map<string, string[][]>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const terms = [...new Set(line.split("|").map((t) => t.trim()))];
    if (terms.length < 2 || terms.some((t) => t === "")) {
      throw new CorpusError(file, "a glossary line lists two or more terms separated by |", i + 1);
    }
    for (const t of terms) conceptsOf.set(caseless(t), [...(conceptsOf.get(caseless(t)) ?? []), terms]);
  });
  // A term on two lines (工资 and 工钱 in different senses) brings both concepts' terms.
  const concept = new Map([...conceptsOf].map(([t, lists]) => [t, [...new Set(lists.flat())]]));
  const terms = [...concept.keys()].sort((a, b) => b.length - a.length);
  // The terms by their first character (positions in `terms`, ascending): a question is searched only for the terms
  // whose first character it holds, in the same order as for all of them, so it finds the same. Searching every term
  // of a few hundred cost each question tens of microseconds.
  const byFirst = new Map<string, number[]>();
  terms.forEach((t, i) => {
    const list = byFirst.get(t[0]!);
    if (list === undefined) byFirst.set(t[0]!, [i]);
    else list.push(i);
  });
  return {
    size: concept.size,
    find(text, boundaries) {
      const question = caseless(text);
      const taken = new Array<boolean>(question.length).fill(false);
      const hits: GlossaryHit[] = [];
      const candidates = new Set<number>();
      for (let j = 0; j < question.length; j++) for (const i of byFirst.get(question[j]!) ?? []) candidates.add(i);
      for (const i of [...candidates].sort((a, b) => a - b)) {
        const term = terms[i]!;
        let from = 0;
        for (let at = question.indexOf(term, from); at >= 0; at = question.indexOf(term, from)) {
          from = at + term.length;
          if (taken.slice(at, at + term.length).some(Boolean)) continue;
          if (boundaries !== undefined && !wordsAt(boundaries, at, at + term.length)) continue;
          taken.fill(true, at, at + term.length);
          hits.push({ term, concept: concept.get(term)! });
        }
      }
      return hits;
    },
  };
}

/** Latin letters lowercased, nothing else changed (the same length): how terms are matched in a question. */
function caseless(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Reads a glossary file; an unreadable one is named. */
export async function loadGlossary(file: string): Promise<Glossary> {
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new CorpusError(file, `cannot read the glossary (${(error as NodeJS.ErrnoException).code ?? String(error)}); set GLOSSARY_FILE`);
  });
  return parseGlossary(text, file);
}

/**
 * Whether [from, to) is cut as words: whole words; the end of a longer word after a head of two or more
 * characters (市总工会 in 北京市总工会; not 家人 in 客家人 nor 规则 in 潜规则, after one character); the end of a
 * word reached across an edge, as colloquial phrases are cut oddly (工会驿站 in 全国工会/驿站, 派单 in 谈派/单);
 * or it starts on a word edge and an edge lies inside it (全总 in 全/总编). Not when it only opens a word that
 * goes on (老师 in 老师傅), nor when it meets no edge at all.
 */
function wordsAt(boundaries: ReadonlySet<number>, from: number, to: number): boolean {
  let inside = false;
  for (let i = from + 1; i < to; i++) if (boundaries.has(i)) inside = true;
  if (!boundaries.has(to)) return boundaries.has(from) && inside;
  if (boundaries.has(from) || inside) return true;
  let start = from;
  while (start > 0 && !boundaries.has(start)) start--;
  return from - start >= 2;
}
