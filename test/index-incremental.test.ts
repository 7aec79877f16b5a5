import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CmsRecord, distractorCorpus, toJsonl } from "../src/bench/distractors.js";
import type { Story } from "../src/corpus/story.js";
import { loadCorpus } from "../src/corpus/load.js";
import { CorpusRejectedError } from "../src/errors.js";
import { buildIndex, type BuildOptions, type BuildReport } from "../src/index/build.js";
import { createHnswFactory } from "../src/index/hnsw.js";
import { buildDir, readIndex, type StoredIndex } from "../src/index/store.js";
import { type LexicalIndex, readLexicalIndex } from "../src/search/lexical.js";
import { decodeNearDuplicates } from "../src/search/near-duplicates.js";
import { decodePassageTable } from "../src/index/passage-format.js";
import { createSegmenter } from "../src/search/segment.js";
import { splitSentences } from "../src/passages.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { seedCorpusDir, tempDir } from "./support/paths.js";

const segmenter = createSegmenter();
const vectorFactory = createHnswFactory();
let seed: Story[];
let records: CmsRecord[];
let corpusDir: string;

beforeAll(async () => {
  seed = (await loadCorpus(seedCorpusDir)).stories;
  records = distractorCorpus(seed, 400, 7);
});

const FILES = 4;
const fileOf = (i: number) => `part-${i}.jsonl`;

beforeEach(async () => {
  corpusDir = await tempDir("unb-incr-corpus-");
  const per = Math.ceil(records.length / FILES);
  // A paragraph too long for one passage in the first and last files: its pieces are stored apart from the paragraphs (see text-file.ts).
  const long = (id: string): CmsRecord => ({ id, title: "长篇报道", text: `导语。\n${records.slice(0, 12).map((r) => r.text.replace(/\n/g, "")).join("")}\n结尾。` });
  for (let f = 0; f < FILES; f++) {
    const extra = f === 0 || f === FILES - 1 ? [long(`long-${f}`)] : [];
    await writeFile(path.join(corpusDir, fileOf(f)), toJsonl([...records.slice(f * per, (f + 1) * per), ...extra]));
  }
});

function options(indexDir: string, dense: boolean): BuildOptions {
  return { corpusDir, indexDir, segmenter, ...(dense ? { embedder: createFakeEmbedder(), vectorFactory } : {}) };
}

/** Questions made of the corpus's own sentences (and pieces of them), so every one has hits and many tie. */
function questions(): string[] {
  const sentences = seed.flatMap((s) => s.paragraphs.flatMap((p) => splitSentences(p)));
  return sentences.filter((_, i) => i % 3 === 0).flatMap((s) => [s, s.slice(0, Math.ceil(s.length / 2))]);
}

/** Top k, compared up to ties: the scores in order, and the keys of every score above the k-th. */
function topK(index: LexicalIndex, q: string, k: number) {
  const hits = index.search(q, k);
  const last = hits.at(-1)?.score;
  return { scores: hits.map((h) => Math.round(h.score * 1e9) / 1e9), sure: hits.filter((h) => last !== undefined && h.score > last + 1e-9).map((h) => h.key).sort() };
}

async function expectSameAsFullRebuild(incremental: BuildReport, dense: boolean): Promise<void> {
  const fullDir = await tempDir("unb-incr-full-");
  const full = await buildIndex(options(fullDir, dense));
  expect(full.parsed).toBe((await loadCorpus(corpusDir)).files.length);
  expect({ stories: incremental.stories, passages: incremental.passages }).toEqual({ stories: full.stories, passages: full.passages });
  const inc = (await readIndex(current.indexDir, dense ? { vectorFactory } : {}))!;
  expect(inc.dir).toBe(buildDir(current.indexDir, incremental.buildId));
  const ref = (await readIndex(fullDir, dense ? { vectorFactory } : {}))!;
  // The records are byte for byte what a full build writes, but for which lexical slot names which passage (slots follow the order passages were indexed in).
  for (const f of ["stories.jsonl", "texts.bin"]) {
    expect((await readFile(path.join(inc.dir, f))).equals(await readFile(path.join(ref.dir, f))), f).toBe(true);
  }
  const [tInc, tRef] = [decodePassageTable(await readFile(path.join(inc.dir, "passages.bin"))), decodePassageTable(await readFile(path.join(ref.dir, "passages.bin")))];
  const { lexicalSlots: slotsInc, keys: keysInc, ...restInc } = tInc;
  const { lexicalSlots: _slotsRef, keys: keysRef, ...restRef } = tRef;
  expect(restInc).toEqual(restRef);
  expect(tRef.textStarts.length - 1, "pieces of long paragraphs are stored").toBeGreaterThan(tRef.storyFirst[tRef.stories]!);
  expect(keysInc.all()).toEqual(keysRef.all());
  expect(decodeNearDuplicates(inc.nearDuplicateBytes!, inc.passages.length)).toEqual(decodeNearDuplicates(ref.nearDuplicateBytes!, ref.passages.length));
  const lexInc = await readLexicalIndex(inc.lexicalFile, segmenter);
  const lexRef = await readLexicalIndex(ref.lexicalFile, segmenter);
  expect(lexInc.size).toBe(lexRef.size);
  // Each lexical slot names the passage of its key.
  lexInc.keys().forEach((key, slot) => expect(keysInc.get(slotsInc[slot]!)).toBe(key));
  for (const q of questions()) {
    for (const k of [1, 5, 20]) expect(topK(lexInc, q, k), `${q} @${k}`).toEqual(topK(lexRef, q, k));
    expect(lexInc.idf(q.slice(0, 2))).toBeCloseTo(lexRef.idf(q.slice(0, 2)), 12);
  }
  if (dense) expectSameVectors(inc, ref);
}

function expectSameVectors(inc: StoredIndex, ref: StoredIndex): void {
  expect(Buffer.from(inc.vectors!.buffer).equals(Buffer.from(ref.vectors!.buffer))).toBe(true);
  expect(inc.vectorIndex!.size).toBe(ref.vectorIndex!.size);
  const dims = inc.vectorIndex!.dimensions;
  for (let i = 0; i < inc.passages.length; i += 7) {
    const query = ref.vectors!.subarray(i * dims, (i + 1) * dims);
    const a = inc.vectorIndex!.search(query, 10);
    const b = ref.vectorIndex!.search(query, 10);
    expect(a[0]!.label === i).toBe(b[0]!.label === i);
    expect(a.map((h) => h.score.toFixed(5))).toEqual(b.map((h) => h.score.toFixed(5)));
  }
}

const current = { indexDir: "" };

describe.each([
  ["lexical", false],
  ["dense", true],
])("an incremental %s build gives what a full rebuild gives", (_name, dense) => {
  beforeEach(async () => {
    current.indexDir = await tempDir("unb-incr-index-");
  });

  it("after adding a file, changing a story, removing a file and a story moving between files", async () => {
    const first = await buildIndex(options(current.indexDir, dense));
    expect(first.parsed).toBe(FILES);

    // A new file: a fresh story, and a near-copy of an existing paragraph (joins its near-duplicate group).
    const copied = records[3]!.text.split("\n")[0]!;
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([
      { id: "new-1", title: "职工书屋正式开放", text: "区总工会职工书屋正式开放。\n书屋藏书三千余册，职工可凭会员卡免费借阅。" },
      { id: "new-2", title: "转载", text: `${copied}。` },
    ]));
    let report = await buildIndex(options(current.indexDir, dense));
    expect(report).toMatchObject({ unchanged: false, parsed: 1, added: 3, changed: 0, removed: 0 });
    if (dense) expect(report).toMatchObject({ embedded: 3 });
    await expectSameAsFullRebuild(report, dense);

    // One paragraph of a story in the middle of part-1 changes.
    const part1 = path.join(corpusDir, fileOf(1));
    const lines = (await readFile(part1, "utf8")).trimEnd().split("\n");
    const story = JSON.parse(lines[5]!) as CmsRecord;
    lines[5] = JSON.stringify({ ...story, text: story.text.replace(/^[^\n]*/, "职工疗休养活动今年扩大到全区五千名一线职工。") });
    await writeFile(part1, `${lines.join("\n")}\n`);
    report = await buildIndex(options(current.indexDir, dense));
    expect(report).toMatchObject({ parsed: 1, added: 0, changed: 1, removed: 0 });
    if (dense) {
      expect(report).toMatchObject({ embedded: 1 });
      // The graph was rearranged (one vector inserted, one deleted), not rebuilt.
      const graph = (await readIndex(current.indexDir, { vectorFactory }))!.vectorIndex!;
      expect(graph.deleted).toBe(1);
      expect(existsSync(path.join(buildDir(current.indexDir, report.buildId), "vectors.hnsw.labels"))).toBe(true);
    }
    await expectSameAsFullRebuild(report, dense);

    // part-2 goes; one of its stories reappears in a new file.
    const part2 = (await readFile(path.join(corpusDir, fileOf(2)), "utf8")).trimEnd().split("\n");
    await rm(path.join(corpusDir, fileOf(2)));
    await writeFile(path.join(corpusDir, "moved.jsonl"), `${part2[0]}\n`);
    report = await buildIndex(options(current.indexDir, dense));
    expect(report.parsed).toBe(1);
    expect(report.removed).toBeGreaterThan(0);
    if (dense) {
      expect(report).toMatchObject({ embedded: 0 });
      // A quarter of the graph deleted: it is built afresh (no label table), every vector read back out of the served graph.
      expect(existsSync(path.join(buildDir(current.indexDir, report.buildId), "vectors.hnsw.labels"))).toBe(false);
      expect((await readIndex(current.indexDir, { vectorFactory }))!.vectorIndex!.deleted).toBe(0);
    }
    await expectSameAsFullRebuild(report, dense);

    // Nothing changed: nothing is parsed.
    await expect(buildIndex(options(current.indexDir, dense))).resolves.toMatchObject({ unchanged: true, parsed: 0, buildId: report.buildId });
  });
});

describe("carrying files over unparsed", () => {
  beforeEach(async () => {
    current.indexDir = await tempDir("unb-incr-index-");
  });

  it("reads a build made before sources.json and file checksums in full once, reusing its vectors, then carries files again", async () => {
    const first = await buildIndex(options(current.indexDir, true));
    const dir = buildDir(current.indexDir, first.buildId);
    // What the previous program wrote: no sources.json, no checksums in the manifest.
    await rm(path.join(dir, "sources.json"));
    const manifestFile = path.join(dir, "manifest.json");
    const { files: _recorded, ...manifest } = JSON.parse(await readFile(manifestFile, "utf8")) as { files: unknown };
    await writeFile(manifestFile, JSON.stringify(manifest));
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "new-1", title: "职工书屋正式开放", text: "区总工会职工书屋正式开放。" }]));
    const upgraded = await buildIndex(options(current.indexDir, true));
    expect(upgraded).toMatchObject({ unchanged: false, parsed: FILES + 1, added: 1, embedded: 1, reused: upgraded.passages - 1 });
    await expectSameAsFullRebuild(upgraded, true);
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "new-1", title: "职工书屋正式开放", text: "区总工会职工书屋今天正式开放。" }]));
    await expect(buildIndex(options(current.indexDir, true))).resolves.toMatchObject({ parsed: 1, changed: 1, embedded: 1 });
  });

  it("still refuses a new file that reuses a story id of a carried file, naming both places", async () => {
    await buildIndex(options(current.indexDir, false));
    const taken = JSON.parse((await readFile(path.join(corpusDir, fileOf(0)), "utf8")).split("\n")[2]!) as CmsRecord;
    await writeFile(path.join(corpusDir, "zz-dup.jsonl"), toJsonl([{ id: taken.id, title: "另一篇", text: "正文。" }]));
    const error = await buildIndex(options(current.indexDir, false)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusRejectedError);
    expect((error as Error).message).toContain(`story id "${taken.id}" is also used in ${fileOf(0)}:3`);
  });

  it("repeats a carried file's parser warnings", async () => {
    await writeFile(path.join(corpusDir, "zz-warn.jsonl"), `${JSON.stringify({ id: "w-1", title: "标题", text: "正文。", date: "某天" })}\n`);
    const first = await buildIndex(options(current.indexDir, false));
    expect(first.warnings.some((w) => w.startsWith("zz-warn.jsonl"))).toBe(true);
    await writeFile(path.join(corpusDir, "zz-new.jsonl"), toJsonl([{ id: "n-1", title: "新闻", text: "新的正文。" }]));
    const next = await buildIndex(options(current.indexDir, false));
    expect(next.parsed).toBe(1);
    expect(next.warnings.filter((w) => w.startsWith("zz-warn.jsonl"))).toEqual(first.warnings.filter((w) => w.startsWith("zz-warn.jsonl")));
  });
});
