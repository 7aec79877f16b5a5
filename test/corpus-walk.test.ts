import { execFile, execFileSync } from "node:child_process";
import { copyFile, chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../src/corpus/load.js";
import { buildIndex } from "../src/index/build.js";
import { createSegmenter } from "../src/search/segment.js";
import { repoRoot, seedCorpusDir, seedFile, tempDir } from "./support/paths.js";

const cms = (id: string, title: string) => `${JSON.stringify({ id, title, text: `${title}的正文。` })}\n`;

describe("symlinks in the corpus folder", () => {
  it("follows links to files and folders, and skips a loop and a dangling link with a warning", async () => {
    const outside = await tempDir("unb-linked-");
    await writeFile(path.join(outside, "shared.jsonl"), cms("linked-file", "链接的稿件"));
    await mkdir(path.join(outside, "folder"));
    await writeFile(path.join(outside, "folder", "more.jsonl"), cms("linked-folder", "链接目录里的稿件"));
    const dir = await tempDir("unb-corpus-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(dir, seedFile));
    await symlink(path.join(outside, "shared.jsonl"), path.join(dir, "shared.jsonl"));
    await symlink(path.join(outside, "folder"), path.join(dir, "linked"));
    await mkdir(path.join(dir, "sub"));
    await symlink(dir, path.join(dir, "sub", "loop"));
    await symlink(path.join(outside, "gone.jsonl"), path.join(dir, "dangling.jsonl"));

    const corpus = await loadCorpus(dir);
    expect(corpus.errors).toEqual([]);
    expect(corpus.files.map((f) => f.file)).toEqual([seedFile, "linked/more.jsonl", "shared.jsonl"]);
    expect(corpus.stories.map((s) => s.id)).toEqual(expect.arrayContaining(["linked-file", "linked-folder"]));
    expect(corpus.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^dangling\.jsonl: skipped \(a symlink to nothing/), expect.stringMatching(/^sub\/loop\/: skipped \(a symlink loop/)]),
    );
  });
});

describe("files the build must refuse by name", () => {
  it("refuses a file over CORPUS_MAX_FILE_MB, naming it and the limit, and builds nothing", async () => {
    const dir = await tempDir("unb-corpus-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(dir, seedFile));
    const count = Math.ceil((1.2 * 2 ** 20) / Buffer.byteLength(cms("x00000", "超长文件")));
    await writeFile(path.join(dir, "huge.jsonl"), Array.from({ length: count }, (_, i) => cms(`x${String(i).padStart(5, "0")}`, "超长文件")).join(""));
    const corpus = await loadCorpus(dir, { maxFileBytes: 2 ** 20 });
    expect(corpus.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^huge\.jsonl: the file is 1\.2 MB \(\d+ bytes\), over the 1 MB limit \(CORPUS_MAX_FILE_MB\)/)]);
    const indexDir = await tempDir("unb-index-");
    await expect(buildIndex({ corpusDir: dir, indexDir, segmenter: createSegmenter(), maxFileBytes: 2 ** 20 })).rejects.toThrow(/huge\.jsonl: the file is 1\.2 MB/);
    // The default limit (50 MB) lets the same file through.
    expect((await loadCorpus(dir)).errors).toEqual([]);
  });

  it("names a file whose name is not valid UTF-8, with its bytes escaped", async () => {
    const dir = await tempDir("unb-corpus-");
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(dir, seedFile));
    const name = Buffer.concat([Buffer.from(path.join(dir, "bad-")), Buffer.from([0xff, 0xfe]), Buffer.from(".txt")]);
    await writeFile(name, "x");
    const corpus = await loadCorpus(dir);
    expect(corpus.errors.map((e) => e.message)).toEqual(["bad-\\xff\\xfe.txt: the file name is not valid UTF-8; rename the file (with UTF-8 characters)"]);
    expect(corpus.files.map((f) => f.file)).toEqual([seedFile]);
  });
});

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** loadCorpus as an unprivileged reader: this process when it is one, else a child running as nobody. */
async function loadAsReader(dir: string): Promise<{ files: string[]; errors: string[]; warnings: string[] }> {
  if (!isRoot) {
    const c = await loadCorpus(dir);
    return { files: c.files.map((f) => f.file), errors: c.errors.map((e) => e.message), warnings: c.warnings };
  }
  const { stdout } = await run(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "test", "support", "load-corpus-as.ts"), dir], {
    uid: 65534,
    gid: 65534,
    env: { PATH: process.env["PATH"] ?? "", HOME: "/tmp" },
    timeout: 30_000,
  });
  return JSON.parse(stdout) as { files: string[]; errors: string[]; warnings: string[] };
}

/** As root, the reader is a child running as nobody: it must be able to reach the repository's files. */
function readerProbe(): string | undefined {
  if (!isRoot) return undefined;
  try {
    execFileSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(path.join(repoRoot, "node_modules", ".bin", "tsx"))}, require("fs").constants.X_OK)`], { uid: 65534, gid: 65534, stdio: "pipe" });
    return undefined;
  } catch {
    return `user nobody (65534) cannot reach ${repoRoot}, and root reads through any chmod`;
  }
}
const noReader = readerProbe();
if (noReader) console.log(`skipping the unreadable-file test: ${noReader}`);

describe.skipIf(noReader !== undefined)("files and folders the reader may not open", () => {
  it("names an unreadable file and an unreadable subfolder (not the corpus folder), keeping the rest", async () => {
    const dir = await tempDir("unb-corpus-");
    await chmod(dir, 0o755);
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(dir, seedFile));
    await chmod(path.join(dir, seedFile), 0o644);
    await writeFile(path.join(dir, "secret.jsonl"), cms("s", "保密"));
    await chmod(path.join(dir, "secret.jsonl"), 0o000);
    await mkdir(path.join(dir, "2024-08"));
    await writeFile(path.join(dir, "2024-08", "a.jsonl"), cms("a", "八月"));
    await chmod(path.join(dir, "2024-08"), 0o000);
    const seen = await loadAsReader(dir);
    expect(seen.files).toEqual([seedFile]);
    expect(seen.errors.sort()).toEqual([
      "2024-08/: cannot read this subfolder (EACCES); its files would be missing from the index",
      expect.stringMatching(/^secret\.jsonl: cannot read the file \(EACCES/),
    ]);
  });
});
