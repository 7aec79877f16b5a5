import { appendFile, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { CorpusRejectedError, IndexError } from "../src/errors.js";
import { buildIndex, type BuildOptions } from "../src/index/build.js";
import { INDEX_FORMAT_VERSION } from "../src/index/manifest.js";
import { readIndex } from "../src/index/store.js";
import { openNewsService } from "../src/service.js";
import { buildOptions, vectorFactory } from "./support/build-options.js";
import { createFakeEmbedder } from "./support/fake-embedder.js";
import { seedFile, seededDirs } from "./support/paths.js";
import { depsWith, lexicalDeps, testConfig } from "./support/service.js";

let corpusDir: string;
let indexDir: string;

beforeEach(async () => {
  ({ corpusDir, indexDir } = await seededDirs());
});

const options = (embedder = createFakeEmbedder(), extra: Partial<BuildOptions> = {}) => buildOptions(corpusDir, indexDir, { embedder, ...extra });

const cms = (id: string, title: string, text: string) => `${JSON.stringify({ id, title, text })}\n`;

describe("building the index", () => {
  it("writes a versioned build that loads back with its vectors", async () => {
    const report = await buildIndex(options());
    expect(report).toMatchObject({ unchanged: false, stories: 8, passages: 25, embedded: 25, reused: 0, added: 25, dense: true, model: "fake/bigram-hash" });
    const index = (await readIndex(indexDir, { vectorFactory }))!;
    expect(index.buildId).toBe(report.buildId);
    expect(index.manifest).toMatchObject({ formatVersion: INDEX_FORMAT_VERSION, stories: 8, passages: 25, embedding: { model: "fake/bigram-hash", dtype: "fp32", dimensions: 32 } });
    expect(index.manifest.corpusFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(index.vectorIndex!.size).toBe(25);
    const own = index.vectors!.subarray(7 * 32, 8 * 32);
    expect(index.vectorIndex!.search(own, 1)[0]!.label).toBe(7);
  });

  it("embeds nothing when the corpus did not change, and says so", async () => {
    await buildIndex(options());
    const embedder = createFakeEmbedder();
    const again = await buildIndex(options(embedder));
    expect(again).toMatchObject({ unchanged: true, embedded: 0, reused: 25 });
    expect(embedder.embeddedTexts).toEqual([]);
  });

  it("embeds only new or changed passages, and drops removed stories", async () => {
    await buildIndex(options());
    await writeFile(path.join(corpusDir, "cms.jsonl"), cms("new-1", "职工书屋开放", "书屋正式开放。\n可借阅图书。"));
    const raw = await readFile(path.join(corpusDir, seedFile), "utf8");
    await writeFile(path.join(corpusDir, seedFile), raw.replace("约50人参加座谈会。", "约60人参加座谈会。"));
    let embedder = createFakeEmbedder();
    const grown = await buildIndex(options(embedder));
    expect(grown).toMatchObject({ unchanged: false, stories: 9, passages: 27, embedded: 3, reused: 24, added: 2, changed: 1, removed: 0 });
    expect(embedder.embeddedTexts.sort()).toEqual(["职工书屋开放\n书屋正式开放。", "职工书屋开放\n可借阅图书。", expect.stringContaining("约60人参加座谈会。")].sort());

    await rm(path.join(corpusDir, "cms.jsonl"));
    embedder = createFakeEmbedder();
    const shrunk = await buildIndex(options(embedder));
    expect(shrunk).toMatchObject({ stories: 8, passages: 25, embedded: 0, removed: 2 });
    const index = (await readIndex(indexDir))!;
    expect(index.stories.map((s) => s.id)).not.toContain("new-1");
    expect(index.passages.some((p) => p.storyId === "new-1")).toBe(false);
  });

  it("leaves the served index intact when a build fails before publishing", async () => {
    const first = await buildIndex(options());
    await writeFile(path.join(corpusDir, "cms.jsonl"), cms("new-1", "职工书屋开放", "书屋正式开放。"));
    await expect(
      buildIndex(options(createFakeEmbedder(), { beforePublish: () => Promise.reject(new Error("disk full")) })),
    ).rejects.toThrow("disk full");
    const served = (await readIndex(indexDir, { vectorFactory }))!;
    expect(served.buildId).toBe(first.buildId);
    expect(served.stories).toHaveLength(8);
    expect((await readdir(path.join(indexDir, "builds"))).filter((n) => n.startsWith(".tmp"))).toEqual([]);
  });

  it("refuses a corpus with a bad file, naming it, and keeps serving the old index", async () => {
    const first = await buildIndex(options());
    await writeFile(path.join(corpusDir, "broken.jsonl"), `${cms("a", "标题", "正文。")}{"title": oops}\n`);
    const error = await buildIndex(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusRejectedError);
    expect((error as Error).message).toContain("broken.jsonl:2: invalid JSON");
    expect((await readIndex(indexDir))!.buildId).toBe(first.buildId);
  });

  it("runs one build at a time per index folder", async () => {
    const slow = createFakeEmbedder();
    const original = slow.embedPassages.bind(slow);
    slow.embedPassages = async (texts, onProgress) => {
      await new Promise((r) => setTimeout(r, 200));
      return original(texts, onProgress);
    };
    const first = buildIndex(options(slow));
    await new Promise((r) => setTimeout(r, 50));
    await expect(buildIndex(options())).rejects.toThrow(/another build is running/);
    await expect(first).resolves.toMatchObject({ embedded: 25 });
  });
});

describe("loading the index", () => {
  it("refuses an index built by another model, naming both", async () => {
    await buildIndex(options(createFakeEmbedder("fake/model-a", 32)));
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "hybrid" });
    const deps = depsWith(async () => createFakeEmbedder("fake/model-b", 48), vectorFactory);
    const error = await openNewsService(config, deps, { build: "never" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/built with fake\/model-a \(32 dimensions\).*EMBEDDING_MODEL is fake\/model-b \(48 dimensions\)/);
  });

  it("refuses an index of another format version", async () => {
    const { buildId } = await buildIndex(options());
    const manifestFile = path.join(indexDir, "builds", buildId, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { formatVersion: number };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(readIndex(indexDir)).rejects.toThrow(new RegExp(`format version 99, this program reads version ${INDEX_FORMAT_VERSION}`));
  });

  it("names a damaged vector graph instead of crashing", async () => {
    const { buildId } = await buildIndex(options());
    await appendFile(path.join(indexDir, "builds", buildId, "vectors.hnsw"), "x");
    await expect(readIndex(indexDir, { vectorFactory })).rejects.toThrow(/vectors\.hnsw: the HNSW graph cannot be read/);
  });

  it("keeps the vectors only in the graph (format 5): no vectors.f32, and the graph gives back what the embedder made", async () => {
    const embedder = createFakeEmbedder();
    const { buildId } = await buildIndex(options(embedder));
    const files = await readdir(path.join(indexDir, "builds", buildId));
    expect(files).not.toContain("vectors.f32");
    const index = (await readIndex(indexDir, { vectorFactory }))!;
    const embedText = embedder.embeddedTexts.find((t) => t.endsWith(index.passages[3]!.text))!;
    const [expected] = await createFakeEmbedder().embedPassages([embedText]);
    expect([...index.vectors!.subarray(3 * 32, 4 * 32)]).toEqual([...expected!]);
  });

  it("refuses a build whose lexical index is the old MiniSearch JSON with a rebuild hint; a rebuild converts it and keeps the vectors", async () => {
    const { buildId } = await buildIndex(options());
    const dir = path.join(indexDir, "builds", buildId);
    // What the previous program wrote: lexical.json (format 1), no lexical.bin, no near-duplicate table.
    await rm(path.join(dir, "lexical.bin"));
    await rm(path.join(dir, "near-duplicates.bin"));
    await writeFile(path.join(dir, "lexical.json"), JSON.stringify({ version: 1, mini: {}, df: {} }));
    const manifestFile = path.join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { lexical: object };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, lexical: { segmenter: "jieba-cut-for-search/1" } }));
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    const error = await openNewsService(config, lexicalDeps(), { build: "never" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/format version 1 \(MiniSearch JSON\), this program reads version 2; rebuild it with npm run build-index/);
    const embedder = createFakeEmbedder();
    const rebuilt = await buildIndex(options(embedder));
    expect(rebuilt).toMatchObject({ unchanged: false, embedded: 0, reused: 25 });
    const service = await openNewsService(config, lexicalDeps(), { build: "never" });
    expect((await service.engine().ask("公交职工收到了哪些防暑降温慰问品？")).abstained).toBe(false);
  });
});
