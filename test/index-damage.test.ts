import { open, readFile, rm, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { buildIndex, type BuildOptions } from "../src/index/build.js";
import { digestFiles, type FileDigests, verifyFiles } from "../src/index/integrity.js";
import { buildDir, readIndex } from "../src/index/store.js";
import { readLexicalIndex } from "../src/search/lexical.js";
import { openNewsService } from "../src/service.js";
import { buildOptions, segmenter, vectorFactory } from "./support/build-options.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { seedFile, seededDirs } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

let corpusDir: string;
let indexDir: string;

beforeEach(async () => {
  ({ corpusDir, indexDir } = await seededDirs());
});

const options = (extra: Partial<BuildOptions> = {}) => buildOptions(corpusDir, indexDir, extra);

/** Overwrites `count` bytes in the middle of a file with their complement: same size, other contents. */
async function flipBytes(file: string, count = 8): Promise<void> {
  const bytes = await readFile(file);
  const at = Math.floor(bytes.length / 2);
  const patch = Buffer.from(bytes.subarray(at, at + count).map((b) => 255 - b));
  const handle = await open(file, "r+");
  try {
    await handle.write(patch, 0, patch.length, at);
  } finally {
    await handle.close();
  }
}

const QUESTION = "公交职工收到了哪些防暑降温慰问品？";

describe("an unchanged rebuild", () => {
  it("parses no corpus file and keeps the served build", async () => {
    const first = await buildIndex(options());
    expect(first.parsed).toBe(1);
    const embedder = createFakeEmbedder();
    const again = await buildIndex(options({ embedder }));
    expect(again).toMatchObject({ unchanged: true, parsed: 0, buildId: first.buildId, stories: 8, passages: 25, reused: 25, embedded: 0 });
    expect(embedder.embeddedTexts).toEqual([]);
  });

  it("still parses when the corpus changed", async () => {
    await buildIndex(options());
    const raw = await readFile(path.join(corpusDir, seedFile), "utf8");
    await writeFile(path.join(corpusDir, seedFile), raw.replace("约50人参加座谈会。", "约60人参加座谈会。"));
    await expect(buildIndex(options())).resolves.toMatchObject({ unchanged: false, parsed: 1, changed: 1 });
  });

  it("records every file of the build with its size and checksum", async () => {
    const { buildId } = await buildIndex(options());
    const dir = buildDir(indexDir, buildId);
    const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { files: FileDigests };
    expect(Object.keys(manifest.files).sort()).toEqual(["lexical.bin", "near-duplicates.bin", "passages.bin", "sources.json", "stories.jsonl", "texts.bin", "vectors.hnsw"]);
    expect(manifest.files).toEqual(await digestFiles(dir));
    await expect(verifyFiles(dir, manifest.files)).resolves.toEqual([]);
  });
});

describe("a damaged served build is noticed by the unchanged check and repaired", () => {
  const damages: [string, string, (file: string) => Promise<void>, RegExp][] = [
    ["passages.bin cut short", "passages.bin", (f) => truncate(f, 100), /passages\.bin \d+ bytes, \d+ recorded/],
    ["texts.bin with bytes overwritten", "texts.bin", (f) => flipBytes(f), /texts\.bin contents differ/],
    ["stories.jsonl with bytes overwritten", "stories.jsonl", (f) => flipBytes(f), /stories\.jsonl contents differ/],
    ["lexical.bin missing", "lexical.bin", (f) => rm(f), /lexical\.bin missing/],
    ["lexical.bin with bytes overwritten", "lexical.bin", (f) => flipBytes(f), /lexical\.bin contents differ/],
    ["near-duplicates.bin with bytes overwritten", "near-duplicates.bin", (f) => flipBytes(f), /near-duplicates\.bin contents differ/],
    ["vectors.hnsw with bytes overwritten", "vectors.hnsw", (f) => flipBytes(f), /vectors\.hnsw contents differ/],
    ["sources.json with bytes overwritten", "sources.json", (f) => flipBytes(f, 2), /sources\.json contents differ/],
    ["vectors.hnsw missing", "vectors.hnsw", (f) => rm(f), /vectors\.hnsw missing/],
  ];

  for (const [what, file, damage, message] of damages) {
    it(`${what}: a new build replaces it, reusing only what is intact`, async () => {
      const first = await buildIndex(options());
      const dir = buildDir(indexDir, first.buildId);
      const lexicalBefore = (await readLexicalIndex(path.join(dir, "lexical.bin"), segmenter)).search(QUESTION, 10);
      await damage(path.join(dir, file));

      const embedder = createFakeEmbedder();
      const repaired = await buildIndex(options({ embedder }));
      expect(repaired.unchanged).toBe(false);
      expect(repaired.buildId).not.toBe(first.buildId);
      expect(repaired.warnings.join("\n")).toMatch(message);
      // Vectors are kept unless they (the graph is their only copy) or the passages they belong to were the damage.
      const vectorsLost = ["vectors.hnsw", "passages.bin", "stories.jsonl", "texts.bin"].includes(file);
      expect(repaired).toMatchObject({ stories: 8, passages: 25, embedded: vectorsLost ? 25 : 0, reused: vectorsLost ? 0 : 25 });

      const served = (await readIndex(indexDir, { vectorFactory }))!;
      expect(served.buildId).toBe(repaired.buildId);
      expect(served.vectorIndex!.size).toBe(25);
      expect((await readLexicalIndex(served.lexicalFile, segmenter)).search(QUESTION, 10)).toEqual(lexicalBefore);
      // Repaired means intact: the next rebuild is the quick one again.
      await expect(buildIndex(options())).resolves.toMatchObject({ unchanged: true, parsed: 0, buildId: repaired.buildId });
    });
  }

  it("a rebuild without the model still notices a damaged graph, rather than keeping the damaged build as unchanged", async () => {
    const first = await buildIndex(options());
    await flipBytes(path.join(buildDir(indexDir, first.buildId), "vectors.hnsw"));
    const { embedder: _none, vectorFactory: _unused, ...lexicalOnly } = options();
    const rebuilt = await buildIndex(lexicalOnly);
    expect(rebuilt.unchanged).toBe(false);
    expect(rebuilt.buildId).not.toBe(first.buildId);
    expect(rebuilt.warnings.join("\n")).toMatch(/vectors\.hnsw contents differ/);
    await expect(buildIndex(lexicalOnly)).resolves.toMatchObject({ unchanged: true, buildId: rebuilt.buildId });
  });

  it("npm start's build repairs a served build whose lexical index was overwritten, then answers", async () => {
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    const first = await openNewsService(config, lexicalDeps(), { build: "always" });
    const expected = await first.engine().ask(QUESTION);
    await first.close();
    const served = (await readIndex(indexDir))!;
    await flipBytes(served.lexicalFile, 64);
    const service = await openNewsService(config, lexicalDeps(), { build: "always" });
    const answer = await service.engine().ask(QUESTION);
    await service.close();
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toBe(expected.answer);
    expect((await readIndex(indexDir))!.buildId).not.toBe(served.buildId);
  });
});
