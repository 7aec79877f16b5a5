import { copyFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../src/bench/synthetic.js";
import { loadCorpus } from "../src/corpus/load.js";
import { toPassages } from "../src/passages.js";
import { collapseNearDuplicates } from "../src/search/retrieve.js";
import {
  bigramSet,
  decodeNearDuplicates,
  encodeNearDuplicates,
  findNearDuplicates,
  isSpace,
  jaccard,
  minhash,
  minhashBySimd,
  minhashPlain,
  NEAR_DUPLICATE_FORMAT_VERSION,
  NEAR_DUPLICATE_THRESHOLD,
  NearDuplicateFormatError,
  signatureOf,
} from "../src/search/near-duplicates.js";
import { openNewsService } from "../src/service.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

let paragraphs: string[];
beforeAll(async () => {
  paragraphs = toPassages((await loadCorpus(seedCorpusDir)).stories).map((p) => p.text);
});

/** Texts with planted copies: exact, one character changed, a sentence appended, and unrelated text. */
function planted(): string[] {
  const random = mulberry32(11);
  const texts = [...paragraphs];
  for (const [i, p] of paragraphs.entries()) {
    if (i % 3 === 0) texts.push(p);
    if (i % 3 === 1) {
      const at = Math.floor(random() * p.length);
      texts.push(`${p.slice(0, at)}某${p.slice(at + 1)}`);
    }
    if (i % 5 === 2) texts.push(`${p}本报记者另悉，活动将持续至月底。`);
  }
  return texts;
}

/** Ground truth: connected components of every pair whose exact bigram Jaccard reaches the threshold. */
function bruteForceGroups(texts: readonly string[]): number[] {
  const grams = texts.map(bigramSet);
  const group = texts.map((_, i) => i);
  const find = (i: number): number => (group[i] === i ? i : find(group[i]!));
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (jaccard(grams[i]!, grams[j]!) >= NEAR_DUPLICATE_THRESHOLD) {
        const [a, b] = [find(i), find(j)];
        group[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  return texts.map((_, i) => find(i));
}

describe("MinHash signatures", () => {
  it("are the ones builds of format 1 stored (a rebuild reuses stored signatures, so the hashing may not change)", () => {
    const out = new Uint32Array(33);
    minhash("本报讯 区总工会职工书屋正式开放。书屋藏书三千余册，职工可凭工会会员卡免费借阅。", out, 1);
    // Recorded from the one-function-per-pass loop this file's format was written with.
    expect(Array.from(out.subarray(1))).toEqual([
      2191956283, 2581203875, 2236476314, 2255357918, 2243881469, 2431405209, 2213544620, 2152729533, 2167065404, 2179772389, 2495813767, 2298003110, 2385451411, 2184088067, 2263745864, 2209922070,
      2264285801, 2253457876, 2154278363, 2180833917, 2417398909, 2150573878, 2668481223, 2157874146, 2181656475, 2151290301, 2183788449, 2356395855, 2212065741, 2173124398, 2272135340, 2495966009,
    ]);
    expect(out[0]).toBe(0);
    // No bigram: every minimum stays at its start.
    minhash("a", out, 0);
    expect(Array.from(out.subarray(0, 32))).toEqual(Array(32).fill(0x7fffffff));
  });
});

describe("MinHash by WebAssembly SIMD", () => {
  /** Texts of ideographs, Latin, digits, every kind of whitespace and surrogate pairs, from empty to 40,000 characters (past the module's first page). */
  function texts(): string[] {
    const rand = mulberry32(5);
    const spaces = [..."\t\n\v\f\r \u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"];
    const piece = () => {
      const r = rand();
      if (r < 0.7) return String.fromCharCode(0x4e00 + Math.floor(rand() * 0x5200));
      if (r < 0.8) return spaces[Math.floor(rand() * spaces.length)]!;
      if (r < 0.9) return String.fromCharCode(0x21 + Math.floor(rand() * 0x5e));
      return String.fromCodePoint(0x20000 + Math.floor(rand() * 0xa000));
    };
    const out = ["", "a", " ", "工会", " 工 会 ", ...paragraphs.slice(0, 50)];
    for (let i = 0; i < 300; i++) out.push(Array.from({ length: Math.floor(rand() * 600) }, piece).join(""));
    out.push(Array.from({ length: 40_000 }, piece).join(""));
    return out;
  }

  it("is available here, so the comparison below compares two loops", () => {
    expect(minhashBySimd()).toBe(true);
  });

  it("gives the JavaScript loop's signatures bit for bit, whitespace skipped as the bigram sets skip it", () => {
    for (const text of texts()) {
      const simd = new Uint32Array(34);
      const plain = new Uint32Array(34);
      const stripped = new Uint32Array(34);
      minhash(text, simd, 1);
      minhashPlain(text, plain, 1);
      minhashPlain(text.replace(/\s+/g, ""), stripped, 1);
      expect(Array.from(simd), JSON.stringify(text.slice(0, 40))).toEqual(Array.from(plain));
      expect(Array.from(plain)).toEqual(Array.from(stripped));
      expect(simd[0]).toBe(0);
      expect(simd[33]).toBe(0);
    }
  });

  it("knows whitespace as /\\s/ does, for every UTF-16 code unit", () => {
    const differing: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) differing.push(c);
    expect(differing).toEqual([]);
  });
});

describe("near-duplicate groups found at build time", () => {
  it("match the exhaustive pairwise comparison on the seed with planted copies", () => {
    const texts = planted();
    const { groups } = findNearDuplicates(texts);
    const truth = bruteForceGroups(texts);
    expect(Array.from(groups)).toEqual(truth);
    // The planted copies really are grouped with their originals.
    expect(groups[paragraphs.length]).toBe(0);
    expect(new Set(truth).size).toBeLessThan(texts.length);
  });

  it("reuse stored signatures for unchanged texts and reach the same groups", () => {
    const texts = planted();
    const first = findNearDuplicates(texts);
    const shifted = ["全新的一段文字，与其他段落毫无关系。", ...texts];
    const again = findNearDuplicates(shifted, (i) => (i === 0 ? undefined : { signature: signatureOf(first, i - 1) }));
    expect(Array.from(again.groups).slice(1).map((g) => g - 1)).toEqual(Array.from(first.groups));
    expect(again.groups[0]).toBe(0);
  });

  it("after additions only, keep the old groups and compare the new passages, matching brute force", () => {
    const texts = planted();
    const first = findNearDuplicates(texts);
    // New passages: a copy of an old one, a near copy of another, and unrelated text.
    const added = [texts[4]!, `${texts[7]!.slice(0, -1)}！`, "全新的一段文字，与其他段落毫无关系。"];
    const grown = [...texts, ...added];
    const again = findNearDuplicates(grown, (i) => (i < texts.length ? { signature: signatureOf(first, i), group: first.groups[i]! } : undefined));
    expect(Array.from(again.groups)).toEqual(bruteForceGroups(grown));
    expect(again.groups[texts.length]).toBe(again.groups[4]);
  });

  it("collapse a ranking the way the per-question pairwise filter does on the seed", () => {
    const texts = planted();
    const { groups } = findNearDuplicates(texts);
    const random = mulberry32(5);
    for (let trial = 0; trial < 20; trial++) {
      const ranked = texts.map((_, i) => ({ i, r: random() })).sort((a, b) => a.r - b.r).slice(0, 30);
      const pairwise = collapseNearDuplicates(ranked, (i) => texts[i]!).map((x) => x.i);
      const seen = new Set<number>();
      const grouped = ranked.filter((x) => !seen.has(groups[x.i]!) && seen.add(groups[x.i]!)).map((x) => x.i);
      expect(grouped).toEqual(pairwise);
    }
  });

  it("save and load, refusing another version with a rebuild hint", () => {
    const nd = findNearDuplicates(planted());
    const bytes = encodeNearDuplicates(nd);
    const back = decodeNearDuplicates(bytes, nd.groups.length);
    expect(Array.from(back.groups)).toEqual(Array.from(nd.groups));
    expect(Array.from(back.signatures)).toEqual(Array.from(nd.signatures));
    const older = Buffer.from(bytes);
    older.writeUInt32LE(NEAR_DUPLICATE_FORMAT_VERSION - 1, 8);
    expect(() => decodeNearDuplicates(older, nd.groups.length)).toThrow(NearDuplicateFormatError);
    expect(() => decodeNearDuplicates(older, nd.groups.length)).toThrow(/format version 0, this program reads version 1; rebuild the index with npm run build-index/);
    expect(() => decodeNearDuplicates(bytes, nd.groups.length + 1)).toThrow(/expected/);
  });

  it("keep a reprinted story's paragraph out of the answer twice", async () => {
    const corpusDir = await tempDir("unb-corpus-");
    const indexDir = await tempDir("unb-index-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
    const reprint = paragraphs.filter((p) => p.includes("毛巾、茶叶")).join("\n");
    await writeFile(path.join(corpusDir, "reprint.jsonl"), `${JSON.stringify({ id: "r1", title: "转载：公交集团夏送清凉", text: reprint })}\n`);
    const service = await openNewsService(await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" });
    const answer = await service.engine().ask("公交职工收到了哪些防暑降温慰问品？", { k: 10 });
    const texts = answer.passages.map((p) => p.text);
    expect(texts.filter((t) => t.includes("毛巾、茶叶"))).toHaveLength(1);
  });
});
