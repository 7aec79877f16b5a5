import { copyFile, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { uploadFileName } from "../src/corpus-changes.js";
import { openNewsService } from "../src/service.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

/** The service's queue of corpus changes, without the bot. */
const jsonl = (title: string, text: string) => new TextEncoder().encode(`${JSON.stringify({ title, text })}\n`);

async function freshService() {
  const corpusDir = await tempDir("unb-changes-");
  await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
  return { corpusDir, service: await openNewsService(await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" }), lexicalDeps(), { build: "always" }) };
}

describe("the queue of corpus changes", () => {
  it("runs uploads, a rebuild and a bad upload given at once one after another; corpus and index agree", async () => {
    const { corpusDir, service } = await freshService();
    const outcomes = await Promise.all([
      service.corpus.upload("a.jsonl", jsonl("职工书屋开放", "藏书三千册。")),
      service.corpus.reindex().then(() => "reindexed"),
      service.corpus.upload("b.jsonl", jsonl("篮球联赛开幕", "二十四支队伍参赛。")),
      service.corpus.upload("c.jsonl", new TextEncoder().encode('{"title": oops\n')),
      service.corpus.upload("a.jsonl", jsonl("同名文件", "不应替换。")),
    ]);
    expect(service.corpus.busy()).toBe(false);
    expect(outcomes.map((o) => (typeof o === "string" ? o : o.kind))).toEqual(["indexed", "reindexed", "indexed", "invalid", "exists"]);
    const onDisk = (await readdir(corpusDir)).filter((f) => !f.startsWith(".")).sort();
    expect(onDisk).toEqual(["a.jsonl", "b.jsonl", seedFile].sort());
    expect([...new Set(service.engine().stories.map((s) => s.file))].sort()).toEqual(onDisk);
    expect(await readFile(path.join(corpusDir, "a.jsonl"), "utf8")).toContain("职工书屋开放");
  });

  it("keeps only a safe base name from what the sender called the file", () => {
    expect(uploadFileName("../../etc/passwd.txt")).toBe("passwd.txt");
    expect(uploadFileName("..\\..\\win.jsonl")).toBe("win.jsonl");
    expect(uploadFileName("...")).toBe("upload.txt");
    expect(uploadFileName("新闻 2024/07.txt")).toBe("07.txt");
    expect(uploadFileName("新闻 第1版.txt")).toBe("新闻_第1版.txt");
  });
});
