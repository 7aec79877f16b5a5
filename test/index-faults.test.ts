import { execFileSync } from "node:child_process";
import { readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexError } from "../src/errors.js";
import { buildIndex, type BuildOptions } from "../src/index/build.js";
import { checkpointFile } from "../src/index/checkpoint.js";
import { LEASE_MS, LOCK_FILE, ownLease, processStarted } from "../src/index/lock.js";
import { readIndex } from "../src/index/store.js";
import { openNewsService } from "../src/service.js";
import { buildOptions, segmenter, vectorFactory } from "./support/build-options.js";
import { createFailingEmbedder, createFakeEmbedder } from "./support/fake-embedder.js";
import { seededDirs, tempDir } from "./support/paths.js";
import { depsWith, lexicalDeps, testConfig } from "./support/service.js";

let corpusDir: string;
let indexDir: string;

beforeEach(async () => {
  ({ corpusDir, indexDir } = await seededDirs());
});

const options = (extra: Partial<BuildOptions> = {}) => buildOptions(corpusDir, indexDir, extra);

const writeLease = (lease: object) => writeFile(path.join(indexDir, LOCK_FILE), `${JSON.stringify(lease)}\n`);

describe("the build lock is a lease (pid, process start time, host)", () => {
  it("takes over a lease naming this process's pid with another start time (a restarted container)", async () => {
    const mine = await ownLease();
    await writeLease({ ...mine, started: "an-earlier-process" });
    await expect(buildIndex(options())).resolves.toMatchObject({ embedded: 25 });
    await expect(stat(path.join(indexDir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it("takes over a bare-pid lock (the old format) naming this process's own pid", async () => {
    await writeFile(path.join(indexDir, LOCK_FILE), String(process.pid));
    await expect(buildIndex(options())).resolves.toMatchObject({ embedded: 25 });
  });

  it("refuses while this very process holds the lease", async () => {
    await writeLease(await ownLease());
    await expect(buildIndex(options())).rejects.toThrow(/another build is running in this process/);
  });

  it("takes over a live pid whose process started at another time, and respects it when the start time matches", async () => {
    const live = process.ppid;
    const started = await processStarted(live);
    const mine = await ownLease();
    await writeLease({ ...mine, pid: live, started: "not-when-it-started" });
    await expect(buildIndex(options())).resolves.toMatchObject({ unchanged: false });
    if (started === undefined) return void console.log("no /proc here: a live pid with its true start time cannot be checked");
    await writeLease({ ...mine, pid: live, started });
    await expect(buildIndex(options())).rejects.toThrow(new RegExp(`another build is running \\(process ${live}\\)`));
  });

  it("takes over the lease of a killed build not yet reaped (a zombie still answers kill(pid, 0))", async () => {
    // `true` exits at once; its parent, exec'd into `sleep`, never reaps it, so it stays a zombie for the test.
    const { spawn } = await import("node:child_process");
    const parent = spawn("sh", ["-c", "true & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()))));
      const deadline = Date.now() + 5_000;
      while (!/\) [ZX] /.test(await readFile(`/proc/${zombie}/stat`, "utf8").catch(() => "")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (!/\) [ZX] /.test(await readFile(`/proc/${zombie}/stat`, "utf8").catch(() => ""))) return void console.log("no /proc here: a zombie cannot be told");
      await writeLease({ ...(await ownLease()), pid: zombie, started: "" });
      await expect(buildIndex(options())).resolves.toMatchObject({ embedded: 25 });
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("respects another host's lease while it is renewed, and takes it over once it lapses", async () => {
    const mine = await ownLease();
    await writeLease({ ...mine, host: "build-box-2", pid: 4242 });
    await expect(buildIndex(options())).rejects.toThrow(/another build is running on host build-box-2 \(process 4242/);
    const lapsed = new Date(Date.now() - LEASE_MS - 60_000);
    await utimes(path.join(indexDir, LOCK_FILE), lapsed, lapsed);
    await expect(buildIndex(options())).resolves.toMatchObject({ embedded: 25 });
  });
});

describe("a killed embedding resumes from its checkpoint", () => {
  it("embeds only the rest after a build failed mid-embedding", async () => {
    const failing = createFailingEmbedder(10, "killed mid-embedding");
    await expect(buildIndex(options({ embedder: failing, checkpointEvery: 5 }))).rejects.toThrow("killed mid-embedding");
    expect(await readIndex(indexDir)).toBeUndefined();
    const saved = (await stat(checkpointFile(indexDir, { model: "fake/bigram-hash", dtype: "fp32", dimensions: 32 }))).size;
    expect(saved).toBe(10 * (32 + 32 * 4));

    const next = createFakeEmbedder();
    const report = await buildIndex(options({ embedder: next, checkpointEvery: 5 }));
    expect(report).toMatchObject({ passages: 25, embedded: 15, resumed: 10, reused: 10 });
    expect(next.embeddedTexts).toHaveLength(15);
    expect(next.embeddedTexts).not.toContain(failing.embeddedTexts[0]);
    // The resumed vectors are the ones the failed build computed, in the right rows.
    const index = (await readIndex(indexDir, { vectorFactory }))!;
    const fresh = createFakeEmbedder();
    const first = index.passages.findIndex((p) => failing.embeddedTexts.some((t) => t.endsWith(p.text)));
    const [expected] = await fresh.embedPassages([failing.embeddedTexts.find((t) => t.endsWith(index.passages[first]!.text))!]);
    expect([...index.vectors!.subarray(first * 32, (first + 1) * 32)]).toEqual([...expected!]);
    // Published: the checkpoint is gone.
    expect((await readdir(indexDir)).filter((n) => n.endsWith(".ckpt"))).toEqual([]);
  });

  it("drops the checkpoint when the corpus went back to what the served index holds", async () => {
    await buildIndex(options());
    const extra = path.join(corpusDir, "extra.jsonl");
    await writeFile(extra, Array.from({ length: 12 }, (_, i) => `${JSON.stringify({ id: `e${i}`, title: `新稿${i}`, text: `正文${i}。` })}\n`).join(""));
    const failing = createFailingEmbedder(5, "killed");
    await expect(buildIndex(options({ embedder: failing, checkpointEvery: 5 }))).rejects.toThrow("killed");
    const file = checkpointFile(indexDir, { model: "fake/bigram-hash", dtype: "fp32", dimensions: 32 });
    expect((await stat(file)).size).toBeGreaterThan(0);
    await rm(extra);
    await expect(buildIndex(options())).resolves.toMatchObject({ unchanged: true });
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it("ignores a record cut short by the kill", async () => {
    const failing = createFailingEmbedder(5, "killed");
    await expect(buildIndex(options({ embedder: failing, checkpointEvery: 5 }))).rejects.toThrow("killed");
    const file = checkpointFile(indexDir, { model: "fake/bigram-hash", dtype: "fp32", dimensions: 32 });
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.alloc(50, 7)]));
    const report = await buildIndex(options({ checkpointEvery: 5 }));
    expect(report).toMatchObject({ embedded: 20, resumed: 5 });
  });
});

describe("npm start keeps serving the index it has", () => {
  it("when a corpus file name is not UTF-8 or a file is over the size limit: the cause is named", async () => {
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical", CORPUS_MAX_FILE_MB: "1" });
    await openNewsService(config, lexicalDeps(), { build: "always" });
    await writeFile(Buffer.concat([Buffer.from(path.join(corpusDir, "x")), Buffer.from([0xc3, 0x28]), Buffer.from(".txt")]), "x");
    await writeFile(path.join(corpusDir, "big.jsonl"), Buffer.alloc(2 ** 20 + 1, 0x20));
    const service = await openNewsService(config, lexicalDeps(), { build: "always" });
    const notice = service.notices.join("\n");
    expect(notice).toContain("x\\xc3(.txt: the file name is not valid UTF-8");
    expect(notice).toMatch(/big\.jsonl: the file is 1 MB \(1048577 bytes\), over the 1 MB limit \(CORPUS_MAX_FILE_MB\)/);
    expect(notice).toContain("Serving the previous index.");
    expect((await service.engine().ask("杨华清是谁？")).abstained).toBe(false);
  });
});

describe("loading refuses another EMBEDDING_DTYPE", () => {
  it("names both dtypes", async () => {
    await buildIndex(options());
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "hybrid", EMBEDDING_DTYPE: "q8" });
    const error = await openNewsService(config, depsWith(async () => createFakeEmbedder(), vectorFactory), { build: "never" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/built with fake\/bigram-hash in dtype fp32, but EMBEDDING_DTYPE is q8/);
  });

  it("re-embeds everything when a build runs with another dtype", async () => {
    await buildIndex(options());
    const report = await buildIndex(options({ dtype: "q8" }));
    expect(report).toMatchObject({ embedded: 25, reused: 0 });
  });
});

/**
 * Disk-full and read-only faults on a real file system: a tiny tmpfs,
 * mounted only where this process may (root with mount); otherwise skipped
 * with the reason printed.
 */
function tmpfsProbe(): string | undefined {
  if (os.platform() !== "linux") return "not Linux";
  if (process.getuid?.() !== 0) return "not root, cannot mount a tmpfs";
  const dir = path.join(os.tmpdir(), `unb-probe-${process.pid}`);
  try {
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "pipe" });
    execFileSync("umount", [dir]);
    return undefined;
  } catch (error) {
    return `mount -t tmpfs failed (${(error as Error).message.split("\n")[0]})`;
  } finally {
    execFileSync("rm", ["-rf", dir]);
  }
}
const noTmpfs = tmpfsProbe();
if (noTmpfs) console.log(`skipping the disk-full and read-only tests: ${noTmpfs}`);

describe.skipIf(noTmpfs !== undefined)("faults of the disk under INDEX_DIR (tmpfs)", () => {
  let mounted: string | undefined;
  afterEach(async () => {
    if (mounted) execFileSync("umount", ["-l", mounted]);
    mounted = undefined;
  });

  async function mountTmpfs(size: string): Promise<string> {
    const dir = await tempDir("unb-tmpfs-");
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
    mounted = dir;
    return dir;
  }

  it("a full disk fails the build by cause, and npm start's service keeps serving the previous index", async () => {
    indexDir = await mountTmpfs("2m");
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    await openNewsService(config, lexicalDeps(), { build: "always" });
    const served = (await readIndex(indexDir))!.buildId;
    // Fill the disk but for a page or two (room for the lock, not for a build), then change the corpus.
    await writeFile(path.join(indexDir, "reserve"), Buffer.alloc(8192));
    try {
      execFileSync("dd", ["if=/dev/zero", `of=${path.join(indexDir, "filler")}`, "bs=64k"], { stdio: "pipe" });
    } catch {
      // dd stops with ENOSPC: the disk is full now.
    }
    await rm(path.join(indexDir, "reserve"));
    await writeFile(path.join(corpusDir, "new.jsonl"), `${JSON.stringify({ id: "n1", title: "职工书屋开放", text: "书屋正式开放。" })}\n`);
    const error = await buildIndex({ corpusDir, indexDir, segmenter }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/the build could not be written: the disk is full \(ENOSPC\); the served index is unchanged/);
    expect(await stat(path.join(indexDir, LOCK_FILE)).catch(() => "gone")).toBe("gone");

    const service = await openNewsService(config, lexicalDeps(), { build: "always" });
    expect(service.notices.join("\n")).toMatch(/disk is full \(ENOSPC\)[\s\S]*Serving the previous index/);
    expect((await readIndex(indexDir))!.buildId).toBe(served);
    expect((await service.engine().ask("杨华清是谁？")).abstained).toBe(false);
    // Room again: the next build publishes.
    await rm(path.join(indexDir, "filler"));
    await expect(buildIndex({ corpusDir, indexDir, segmenter })).resolves.toMatchObject({ stories: 9 });
  });

  it("a read-only INDEX_DIR (EROFS on the lock) is named, and the service keeps serving", async () => {
    indexDir = await mountTmpfs("4m");
    const config = await testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    await openNewsService(config, lexicalDeps(), { build: "always" });
    execFileSync("mount", ["-o", "remount,ro", indexDir]);
    await writeFile(path.join(corpusDir, "new.jsonl"), `${JSON.stringify({ id: "n1", title: "职工书屋开放", text: "书屋正式开放。" })}\n`);
    const service = await openNewsService(config, lexicalDeps(), { build: "always" });
    expect(service.notices.join("\n")).toMatch(/cannot take the build lock \.build\.lock: the file system is read-only \(EROFS\)[\s\S]*Serving the previous index/);
    expect(service.manifest().stories).toBe(8);
    expect((await service.engine().ask("杨华清是谁？")).abstained).toBe(false);
    await expect(service.reindex()).rejects.toThrow(/read-only \(EROFS\)/);
    expect(service.engine().stories).toHaveLength(8);
  });
});
