import { beforeAll, describe, expect, it } from "vitest";
import { distractorCorpus } from "../src/bench/distractors.js";
import { loadCorpus } from "../src/corpus/load.js";
import type { Story } from "../src/corpus/story.js";
import { readQuestionFile } from "../src/eval/questions.js";
import { toPassages } from "../src/passages.js";
import { createLexicalIndex, LEXICAL_FORMAT_VERSION, LexicalFormatError, type LexicalDoc, type LexicalIndex, loadLexicalIndex } from "../src/search/lexical.js";
import { createSegmenter } from "../src/search/segment.js";
import { repoRoot, seedCorpusDir } from "./support/paths.js";
import path from "node:path";

const segmenter = createSegmenter();

/**
 * Plain BM25 written out the textbook way, as the reference the typed-array
 * index must agree with: per field (title, text) Lucene idf
 * log(1 + (N − df + 0.5)/(df + 0.5)), tf·(k1 + 1)/(tf + k1·(1 − b + b·len/avgdl)),
 * k1 1.2, b 0.75, summed over the query's distinct words and both fields.
 */
function referenceBm25(docs: readonly LexicalDoc[]) {
  const fields = (["title", "text"] as const).map((f) => {
    const tokens = docs.map((d) => segmenter.words(d[f]));
    const avg = tokens.reduce((s, t) => s + t.length, 0) / docs.length || 1;
    const df = new Map<string, number>();
    for (const t of tokens) for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
    return { tokens, avg, df };
  });
  return (query: string) => {
    const words = new Set(segmenter.words(query));
    return docs
      .map((d, i) => {
        let score = 0;
        for (const { tokens, avg, df } of fields) {
          for (const w of words) {
            const tf = tokens[i]!.filter((x) => x === w).length;
            if (tf === 0) continue;
            const n = df.get(w)!;
            const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
            score += (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * tokens[i]!.length) / avg));
          }
        }
        return { key: d.key, score };
      })
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score);
  };
}

/**
 * Same top k up to ties: the scores agree position by position, and the keys
 * agree except inside a group of equal scores cut by k, where any members may appear.
 */
function expectSameTopK(got: readonly { key: string; score: number }[], want: readonly { key: string; score: number }[], k: number, label: string) {
  const top = want.slice(0, k);
  expect(got.map((h) => h.score.toFixed(9)), label).toEqual(top.map((h) => h.score.toFixed(9)));
  const cut = top.at(-1)?.score;
  for (const h of got) {
    const tiedAtCut = cut !== undefined && Math.abs(h.score - cut) < 1e-9;
    if (!tiedAtCut) expect(top.slice(0, k).map((x) => x.key), label).toContain(h.key);
    else expect(want.filter((x) => Math.abs(x.score - cut) < 1e-9).map((x) => x.key), label).toContain(h.key);
  }
}

const docsOf = (stories: readonly Story[]): LexicalDoc[] => {
  const titles = new Map(stories.map((s) => [s.id, s.title]));
  return toPassages(stories).map((p) => ({ key: p.key, title: titles.get(p.storyId)!, text: p.text }));
};

let seedStories: Story[];
let questions: string[];
beforeAll(async () => {
  seedStories = (await loadCorpus(seedCorpusDir)).stories;
  questions = (await readQuestionFile(path.join(repoRoot, "eval", "questions.jsonl"))).map((q) => q.question);
});

describe("the BM25 index against plain BM25", () => {
  it("ranks the seed the same for every evaluation question, up to ties", () => {
    const docs = docsOf(seedStories);
    const index = createLexicalIndex(segmenter);
    index.add(docs);
    const reference = referenceBm25(docs);
    for (const q of questions) expectSameTopK(index.search(q, 10), reference(q), 10, q);
  });

  it("ranks a generated 3,000-passage corpus the same at k 3, 10 and 40, up to ties", () => {
    const records = distractorCorpus(seedStories, 3000, 3);
    const docs = records.flatMap((r) => r.text.split("\n").map((text, j) => ({ key: `${r.id}:${j + 1}`, title: r.title, text })));
    const index = createLexicalIndex(segmenter);
    index.add(docs);
    const reference = referenceBm25(docs);
    for (const q of questions) {
      const want = reference(q);
      for (const k of [3, 10, 40]) {
        const hits = index.search(q, k);
        expectSameTopK(hits, want, k, `${q} k=${k}`);
        // Without keys, the same slots and scores in the same order.
        expect(index.searchSlots(q, k)).toEqual(hits.map((h) => ({ doc: h.slot, score: h.score })));
      }
    }
  });

  it("says a document holds a word exactly when segmenting its title and text again does (what evidence scoring asks of one-character words)", () => {
    const docs = docsOf(seedStories);
    const index = createLexicalIndex(segmenter);
    index.add(docs.slice(0, 5));
    index.remove([docs[1]!]);
    index.add(docs.slice(5));
    const slotOf = new Map(index.keys().map((k, slot) => [k, slot]));
    const asked = questions.flatMap((q) => segmenter.tagged(q).map((t) => t.word));
    let held = 0;
    let notHeld = 0;
    for (const d of docs.filter((d) => d !== docs[1])) {
      const own = new Set(segmenter.words(`${d.title}\n${d.text}`));
      for (const w of new Set([...own, ...asked, "不存在的词"])) {
        const has = index.has(slotOf.get(d.key)!, w);
        expect(has, `${d.key} ${w}`).toBe(own.has(w));
        if (has) held++;
        else notHeld++;
      }
    }
    expect(held).toBeGreaterThan(1000);
    expect(notHeld).toBeGreaterThan(1000);
  });

  it("gives the idf evidence scoring uses: documents holding the word in title or text", () => {
    const docs = docsOf(seedStories);
    const index = createLexicalIndex(segmenter);
    index.add(docs);
    for (const word of ["工会", "杨华清", "清凉", "不存在的词"]) {
      const df = docs.filter((d) => new Set(segmenter.words(`${d.title}\n${d.text}`)).has(word)).length;
      expect(index.idf(word), word).toBeCloseTo(Math.log(1 + (docs.length - df + 0.5) / (df + 0.5)), 12);
    }
    expect(index.idf("不存在的词")).toBeGreaterThan(index.idf("工会"));
  });
});

describe("incremental updates", () => {
  const sameAnswers = (a: LexicalIndex, b: LexicalIndex) => {
    expect(a.size).toBe(b.size);
    for (const q of questions) {
      const x = a.search(q, 10);
      const y = b.search(q, 10);
      expect(x.map((h) => h.score.toFixed(9)), q).toEqual(y.map((h) => h.score.toFixed(9)));
      expect(new Set(x.map((h) => h.key))).toEqual(new Set(y.map((h) => h.key)));
      for (const w of segmenter.words(q)) expect(a.idf(w)).toBeCloseTo(b.idf(w), 12);
    }
  };

  it("adding, removing and replacing equals building the final set from scratch", () => {
    const docs = docsOf(seedStories);
    const changed = { ...docs[3]!, text: `${docs[3]!.text}新增一句：职工书屋正式开放。` };
    const extra: LexicalDoc = { key: "new:1", title: "职工书屋开放", text: "职工书屋正式开放，可借阅图书。" };
    const incremental = createLexicalIndex(segmenter);
    incremental.add(docs.slice(0, 20));
    incremental.remove([docs[5]!, docs[11]!, { key: "never-added" }]);
    incremental.add([...docs.slice(20), changed, extra]);
    const finalDocs = docs.filter((d) => d !== docs[5] && d !== docs[11]).map((d) => (d.key === changed.key ? changed : d));
    const fresh = createLexicalIndex(segmenter);
    fresh.add([...finalDocs, extra]);
    sameAnswers(incremental, fresh);
    expect(incremental.search("职工书屋", 1)[0]!.key).toBe("new:1");
  });

  it("round-trips through its file and keeps growing after loading", () => {
    const docs = docsOf(seedStories);
    const index = createLexicalIndex(segmenter);
    index.add(docs.slice(0, 15));
    const loaded = loadLexicalIndex(segmenter, Buffer.concat(index.toChunks()));
    sameAnswers(loaded, index);
    loaded.add(docs.slice(15));
    loaded.remove([docs[0]!]);
    const fresh = createLexicalIndex(segmenter);
    fresh.add(docs.slice(1));
    sameAnswers(loaded, fresh);
    sameAnswers(loadLexicalIndex(segmenter, Buffer.concat(loaded.toChunks())), fresh);
  });

  it("an empty index answers nothing and saves and loads", () => {
    const empty = loadLexicalIndex(segmenter, Buffer.concat(createLexicalIndex(segmenter).toChunks()));
    expect(empty.size).toBe(0);
    expect(empty.search("工会", 5)).toEqual([]);
  });
});

describe("the versioned file format", () => {
  const file = () => {
    const index = createLexicalIndex(segmenter);
    index.add(docsOf(seedStories));
    return Buffer.concat(index.toChunks());
  };

  it("refuses the old MiniSearch JSON (version 1) with a rebuild hint", () => {
    const old = Buffer.from(JSON.stringify({ version: 1, mini: {}, df: {} }));
    expect(() => loadLexicalIndex(segmenter, old)).toThrow(LexicalFormatError);
    expect(() => loadLexicalIndex(segmenter, old)).toThrow(/format version 1 .*reads version 2.*rebuild it with npm run build-index/);
  });

  it("refuses an older or newer binary version, naming both", () => {
    for (const version of [LEXICAL_FORMAT_VERSION - 1, LEXICAL_FORMAT_VERSION + 1]) {
      const bytes = file();
      bytes.writeUInt32LE(version, 8);
      expect(() => loadLexicalIndex(segmenter, bytes)).toThrow(`format version ${version}, this program reads version ${LEXICAL_FORMAT_VERSION}; rebuild it with npm run build-index`);
    }
  });

  it("refuses a truncated or foreign file instead of half-reading it", () => {
    const bytes = file();
    expect(() => loadLexicalIndex(segmenter, bytes.subarray(0, bytes.length - 8))).toThrow(/truncated or corrupt/);
    expect(() => loadLexicalIndex(segmenter, Buffer.from("not an index at all, just text"))).toThrow(/not a lexical index/);
  });

  it("loads from an unaligned buffer", () => {
    const bytes = file();
    const shifted = Buffer.alloc(bytes.length + 1);
    bytes.copy(shifted, 1);
    const loaded = loadLexicalIndex(segmenter, shifted.subarray(1));
    expect(loaded.search("夏送清凉", 3).length).toBeGreaterThan(0);
  });
});
