import { truncateSync } from "node:fs";
import { readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../src/corpus/load.js";
import { buildIndex } from "../src/index/build.js";
import { loadLexical } from "../src/index/lexical-file.js";
import { INDEX_FORMAT_VERSION } from "../src/index/manifest.js";
import { readIndex } from "../src/index/store.js";
import { toPassages } from "../src/passages.js";
import { createSegmenter } from "../src/search/segment.js";
import { seedFile, seededDirs } from "./support/paths.js";

const segmenter = createSegmenter();
let corpusDir: string;
let indexDir: string;

beforeEach(async () => {
  ({ corpusDir, indexDir } = await seededDirs());
});

const build = () => buildIndex({ corpusDir, indexDir, segmenter });
const cms = (id: string, title: string, paragraphs: readonly string[]) => `${JSON.stringify({ id, title, text: paragraphs.join("\n") })}\n`;

/** A paragraph of 40 sentences (~900 characters), split into pieces; spaces between sentences make pieces that are not substrings of it. */
const longParagraph = Array.from({ length: 40 }, (_, i) => `第${i + 1}项职工服务措施已经落实到位并接受职工监督。`).join(" ");

describe("the stored passages and their texts", () => {
  it("reads back every passage and every story exactly as the corpus gives them, each text from disk", async () => {
    await writeFile(
      path.join(corpusDir, "cms.jsonl"),
      cms("long-1", "职工服务措施一览", ["短段落在前。", longParagraph, "短段落在后。"]) +
        cms("copy-1", "转载", ["短段落在前。", "职工书屋正式开放，ACFTU 与 café 👷 同在。"]),
    );
    await build();
    const corpus = await loadCorpus(corpusDir);
    const expected = toPassages(corpus.stories);
    expect(expected.some((p) => p.part > 1)).toBe(true);

    const index = (await readIndex(indexDir))!;
    const list = index.passageList;
    expect(list.length).toBe(expected.length);
    expected.forEach((p, i) => {
      expect({ key: list.key(i), storyId: list.storyId(i), paragraph: list.paragraph(i), part: list.part(i), text: list.text(i), hash: list.hash(i) }).toEqual({
        key: p.key,
        storyId: p.storyId,
        paragraph: p.paragraph,
        part: p.part,
        text: p.text,
        hash: p.hash,
      });
      // The story itself, the one of the served list (no lookup by id).
      expect(list.story(i)).toBe(index.stories.find((s) => s.id === p.storyId));
    });
    // The objects builds compare read the same texts and hashes.
    expect(index.passages.map((p) => [p.key, p.text, p.hash])).toEqual(expected.map((p) => [p.key, p.text, p.hash]));
    expect(index.stories.map((s) => ({ ...s }))).toEqual(corpus.stories.map((s) => ({ ...s })));

    // Each paragraph once: the file holds every story paragraph, plus only the pieces of split paragraphs.
    const bytes = (texts: readonly string[]) => texts.reduce((n, t) => n + Buffer.byteLength(t, "utf16le"), 0);
    const pieces = expected.filter((p) => p.text !== corpus.stories.find((s) => s.id === p.storyId)!.paragraphs[p.paragraph - 1]);
    const size = (await stat(path.join(index.dir, "texts.bin"))).size;
    expect(size).toBe(bytes(corpus.stories.flatMap((s) => s.paragraphs)) + bytes(pieces.map((p) => p.text)));
    expect(pieces.length).toBeGreaterThan(0);
  });

  it("maps every lexical slot to its passage after an incremental build renumbered the slots", async () => {
    await build();
    const raw = await readFile(path.join(corpusDir, seedFile), "utf8");
    await writeFile(path.join(corpusDir, seedFile), raw.replace("约50人参加座谈会。", "约60人参加座谈会。"));
    await writeFile(path.join(corpusDir, "cms.jsonl"), cms("new-1", "职工书屋开放", ["书屋正式开放。", "可借阅图书。"]));
    const report = await build();
    expect(report).toMatchObject({ changed: 1, added: 2 });

    const index = (await readIndex(indexDir))!;
    const lexical = await loadLexical(index.lexicalFile, segmenter);
    const keys = lexical.keys();
    expect(keys).toHaveLength(index.passageList.length);
    let moved = 0;
    keys.forEach((key, slot) => {
      const i = index.passageList.lexicalPassage(slot);
      expect(index.passageList.key(i)).toBe(key);
      if (i !== slot) moved++;
    });
    // The changed passage was removed and added again at the end: slots and passage numbers differ.
    expect(moved).toBeGreaterThan(0);
    const hit = lexical.search("约60人参加座谈会", 1)[0]!;
    expect(index.passageList.text(index.passageList.lexicalPassage(hit.slot))).toContain("约60人参加座谈会");
    expect(index.passageList.lexicalPassage(keys.length)).toBe(-1);
  });

  it("keeps reading a loaded build's texts after later builds removed its folder", async () => {
    await build();
    const loaded = (await readIndex(indexDir))!;
    const before = loaded.passageList.text(3);
    for (const n of [1, 2]) {
      await writeFile(path.join(corpusDir, "cms.jsonl"), cms(`new-${n}`, "职工书屋开放", [`第${n}次更新。`]));
      await build();
    }
    await expect(stat(loaded.dir)).rejects.toThrow(/ENOENT/);
    expect(loaded.passageList.text(3)).toBe(before);
    expect(loaded.stories[0]!.paragraphs.length).toBeGreaterThan(0);
  });
});

describe("texts served from memory", () => {
  it("reads texts.bin whole in the background after its first few hundred reads, then serves every text from memory", async () => {
    await build();
    const expected = toPassages((await loadCorpus(corpusDir)).stories).map((p) => p.text);
    const served = (await readIndex(indexDir, { textsInMemory: true }))!;
    const onDemand = (await readIndex(indexDir))!;
    for (let round = 0; round < 12; round++) expected.forEach((text, i) => expect(served.passageList.text(i)).toBe(text));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // With the file emptied on disk, only texts held in memory can still be read.
    await truncate(path.join(served.dir, "texts.bin"), 0);
    expected.forEach((text, i) => expect(served.passageList.text(i)).toBe(text));
    expect(served.stories[0]!.paragraphs.length).toBeGreaterThan(0);
    expect(() => onDemand.passageList.text(0)).toThrow(/texts\.bin ended at byte/);
  });

  it("reads texts.bin whole on its own thread when question after question never lets the background read land", async () => {
    await build();
    const expected = toPassages((await loadCorpus(corpusDir)).stories).map((p) => p.text);
    const served = (await readIndex(indexDir, { textsInMemory: true }))!;
    // No await in the loop: the event loop never turns, as in a process answering a long burst.
    let reads = 0;
    for (let round = 0; reads < 256 + 2_048 + 1; round++) {
      expected.forEach((text, i) => {
        expect(served.passageList.text(i)).toBe(text);
        reads++;
      });
    }
    // Emptied before anything is awaited: the background read's answer cannot have been delivered, so only a read made on this thread serves these.
    truncateSync(path.join(served.dir, "texts.bin"), 0);
    expected.forEach((text, i) => expect(served.passageList.text(i)).toBe(text));
  });
});

describe("refusing what this program cannot read", () => {
  it("refuses a format-2 build (stories and passages as JSON Lines) with the rebuild hint, and a rebuild converts it", async () => {
    const { buildId } = await build();
    const dir = path.join(indexDir, "builds", buildId);
    const corpus = await loadCorpus(corpusDir);
    // What the previous program wrote: stories with their paragraphs and passages with their texts, no texts.bin or passages.bin.
    await rm(path.join(dir, "texts.bin"));
    await rm(path.join(dir, "passages.bin"));
    await writeFile(path.join(dir, "stories.jsonl"), corpus.stories.map((s) => `${JSON.stringify(s)}\n`).join(""));
    await writeFile(path.join(dir, "passages.jsonl"), toPassages(corpus.stories).map(({ embedText: _e, ...p }) => `${JSON.stringify(p)}\n`).join(""));
    const manifestFile = path.join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as Record<string, unknown>;
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 2 }));

    await expect(readIndex(indexDir)).rejects.toThrow(`it has format version 2, this program reads version ${INDEX_FORMAT_VERSION}; rebuild it with npm run build-index`);
    const report = await build();
    expect(report.unchanged).toBe(false);
    const index = (await readIndex(indexDir))!;
    expect(index.manifest.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect(index.passageList.text(0)).toBe(toPassages(corpus.stories)[0]!.text);
  });

  it("names a truncated texts.bin or passages.bin, with the rebuild hint, instead of serving wrong texts", async () => {
    const { buildId } = await build();
    const dir = path.join(indexDir, "builds", buildId);
    const texts = path.join(dir, "texts.bin");
    await truncate(texts, (await stat(texts)).size - 1);
    await expect(readIndex(indexDir)).rejects.toThrow(/texts\.bin holds \d+ bytes, the passage table expects \d+.*rebuild with npm run build-index/);

    const { buildId: next } = await buildIndex({ corpusDir, indexDir, segmenter });
    const table = path.join(indexDir, "builds", next, "passages.bin");
    await truncate(table, (await stat(table)).size - 4);
    await expect(readIndex(indexDir)).rejects.toThrow(/passages\.bin: the file holds \d+ bytes, its header promises \d+ .*rebuild/);
  });
});
