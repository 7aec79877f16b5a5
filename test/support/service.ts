import { loadConfig, type Config } from "../../src/config.js";
import type { Embedder } from "../../src/embed/embedder.js";
import type { VectorIndexFactory } from "../../src/index/vector-index.js";
import { createSegmenter } from "../../src/search/segment.js";
import { type NewsService, openNewsService, type ServiceDeps } from "../../src/service.js";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { seedCorpusDir, tempDir } from "./paths.js";

/** A config for tests: seed corpus, a fresh index folder, nothing from the developer's .env. */
export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  return loadConfig({ CORPUS_DIR: seedCorpusDir, INDEX_DIR: await tempDir("unb-index-"), LOG_LEVEL: "silent", ...env });
}

const noVectors: VectorIndexFactory = {
  create: () => {
    throw new Error("a lexical test must not build vectors");
  },
  load: () => Promise.reject(new Error("a lexical test must not load vectors")),
};

/** Lexical-only deps: meaningful retrieval with no model at all. */
export function lexicalDeps(): ServiceDeps {
  return {
    createEmbedder: () => Promise.reject(new Error("a lexical test must not load a model")),
    vectorFactory: noVectors,
    segmenter: createSegmenter(),
  };
}

export function depsWith(embedder: () => Promise<Embedder>, vectorFactory: VectorIndexFactory): ServiceDeps {
  return { createEmbedder: embedder, vectorFactory, segmenter: createSegmenter() };
}

/** The seed corpus served lexically from a fresh index. */
export async function lexicalSeedService(env: Record<string, string> = {}): Promise<NewsService> {
  return openNewsService(await testConfig({ RETRIEVAL: "lexical", ...env }), lexicalDeps(), { build: "always" });
}

/** A story as a CMS export line: paragraphs separated by newlines in `text`. */
export interface CmsStory {
  readonly id: string;
  readonly title: string;
  readonly date?: string;
  readonly text: string;
}

/** These stories, written to a fresh corpus as one CMS export, served lexically from a fresh index. */
export async function lexicalServiceOver(stories: readonly CmsStory[], env: Record<string, string> = {}): Promise<NewsService> {
  const corpus = await tempDir("unb-cms-");
  await writeFile(path.join(corpus, "cms.jsonl"), stories.map((s) => JSON.stringify(s)).join("\n"));
  return openNewsService(await testConfig({ CORPUS_DIR: corpus, RETRIEVAL: "lexical", ...env }), lexicalDeps(), { build: "always" });
}
