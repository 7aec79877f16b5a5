import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { readQuestionFile } from "../src/eval/questions.js";
import { openJsonStateStore } from "../src/state/json-store.js";
import { repoRoot, seedCorpusDir, tempDir } from "./support/paths.js";

const run = promisify(execFile);
const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");

/** Runs a project command as a user would, with a clean environment of our own. */
async function command(script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(tsx, [path.join(repoRoot, "scripts", script), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", CORPUS_DIR: seedCorpusDir, LOG_LEVEL: "silent", BOT_TOKEN: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let indexDir: string;
beforeAll(async () => {
  indexDir = await tempDir("unb-cli-");
});

describe("npm run stories", () => {
  it("prints the parsed stories as JSON", async () => {
    const { code, stdout } = await command("stories.ts", ["--json"], {});
    expect(code).toBe(0);
    const stories = JSON.parse(stdout) as Record<string, unknown>[];
    expect(stories).toHaveLength(8);
    expect(Object.keys(stories[0]!)).toEqual(["id", "file", "title", "subtitle", "rubric", "byline", "date", "paragraphs"]);
    expect(stories[0]).toMatchObject({ rubric: "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面", subtitle: null, byline: { kind: "记者", names: ["宗晓畅"] } });
  });
});

describe("flags a command cannot take", () => {
  it("are refused in one line saying what the flag takes, without a stack", async () => {
    for (const [args, message] of [
      [["--fold", "xyz"], "error: --fold is dev or test"],
      [["--mode", "lexical", "--sweep-coverage", "0.5,abc"], 'error: --sweep-coverage takes numbers from 0 to 1, comma-separated (got "0.5,abc")'],
      [["--nope"], "error: Unknown option '--nope'"],
      [["--targets", "answerHit=0.7"], "error: --targets applies to a sweep"],
    ] as const) {
      const { code, stderr } = await command("eval.ts", [...args], { INDEX_DIR: indexDir });
      expect(code, args.join(" ")).toBe(1);
      expect(stderr.split("\n")[0], args.join(" ")).toContain(message);
      expect(stderr, args.join(" ")).not.toMatch(/\n\s+at /);
    }
  });
});

describe("offline model policy through the real commands", () => {
  it("build-index falls back to lexical with a loud warning when RETRIEVAL is unset", async () => {
    const { code, stdout, stderr } = await command("build-index.ts", [], { INDEX_DIR: indexDir, MODELS_DIR: "/nonexistent-models" });
    expect(code).toBe(0);
    expect(stderr).toContain("WARNING");
    expect(stderr).toContain("LEXICAL");
    expect(stdout).toContain("stories: 8, passages: 25 (added 25, changed 0, removed 0); corpus files parsed: 1");
    expect(stdout).toContain("lexical only");
    const again = await command("build-index.ts", [], { INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    expect(again.stdout).toContain("no corpus change, embedded nothing");
  });

  it("an explicit RETRIEVAL=hybrid fails, naming the model and MODELS_DIR", async () => {
    const { code, stderr } = await command("ask.ts", ["杨华清是谁？"], { INDEX_DIR: indexDir, RETRIEVAL: "hybrid", MODELS_DIR: "/nonexistent-models" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: embedding model Xenova\/bge-small-zh-v1\.5: could not be loaded from MODELS_DIR=\/nonexistent-models/);
  });
});

describe("npm run ask", () => {
  it("--json prints the documented shape", async () => {
    const { code, stdout } = await command("ask.ts", ["--json", "--k", "3", "公交职工收到了哪些防暑降温慰问品？"], { INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    expect(code).toBe(0);
    const a = JSON.parse(stdout) as { citations: Record<string, unknown>[]; passages: Record<string, unknown>[] } & Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(["abstained", "answer", "citations", "emphasis", "mode", "passages", "question"]);
    expect(a).toMatchObject({ question: "公交职工收到了哪些防暑降温慰问品？", mode: "lexical", abstained: false });
    expect(Object.keys(a.citations[0]!)).toEqual(expect.arrayContaining(["n", "storyId", "title", "byline", "paragraph", "text", "score"]));
    expect(a.passages).toHaveLength(3);
    expect(Object.keys(a.passages[0]!).sort()).toEqual(["coverage", "paragraph", "score", "storyId", "text", "title"]);
  });

  it("warns when the corpus changed since the index was built, and not before", async () => {
    const { copyFile, writeFile } = await import("node:fs/promises");
    const corpus = await tempDir("unb-cli-corpus-");
    const index = await tempDir("unb-cli-index-");
    await copyFile(path.join(seedCorpusDir, "2024-summer_union-news_page-01.txt"), path.join(corpus, "2024-summer_union-news_page-01.txt"));
    const env = { CORPUS_DIR: corpus, INDEX_DIR: index, RETRIEVAL: "lexical" };
    const fresh = await command("ask.ts", ["杨华清是谁？"], env);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).not.toContain("differs from the index");
    await writeFile(path.join(corpus, "new.jsonl"), `${JSON.stringify({ id: "n1", title: "职工书屋开放", text: "书屋正式开放。" })}\n`);
    const stale = await command("ask.ts", ["杨华清是谁？"], env);
    expect(stale.code).toBe(0);
    expect(stale.stderr).toMatch(new RegExp(`warning: the corpus in ${corpus} differs from the index \\(built [0-9T:.-]+Z\\); this answer may be out of date\\. Run npm run build-index\\.`));
    expect(stale.stdout).toContain("来源：");
  });

  it("prints sources in plain text, and refuses a bad question clearly", async () => {
    const ok = await command("ask.ts", ["杨华清是谁？"], { INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    expect(ok.stdout).toContain("来源：\n[1] 《北京市工人北戴河疗养院打造劳模工匠事迹展示阵地》");
    const bad = await command("ask.ts", [""], { INDEX_DIR: indexDir, RETRIEVAL: "lexical" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("请输入");
  });
});

describe("npm run build-index killed mid-embedding", () => {
  it("resumes from the checkpoint: the next run embeds only the rest", async () => {
    const { copyFile, stat } = await import("node:fs/promises");
    const { ensureTinyModel } = await import("./support/fixture-model.js");
    const { writeSyntheticCorpus } = await import("../src/bench/news-corpus.js");
    const { loadCorpus } = await import("../src/corpus/load.js");
    const { checkpointFile } = await import("../src/index/checkpoint.js");
    const { modelsDir, modelId } = await ensureTinyModel();
    const corpus = await tempDir("unb-cli-corpus-");
    const index = await tempDir("unb-cli-index-");
    await copyFile(path.join(seedCorpusDir, "2024-summer_union-news_page-01.txt"), path.join(corpus, "page.txt"));
    await writeSyntheticCorpus(corpus, (await loadCorpus(seedCorpusDir)).stories, 200);
    const env = { CORPUS_DIR: corpus, INDEX_DIR: index, RETRIEVAL: "hybrid", MODELS_DIR: modelsDir, EMBEDDING_MODEL: modelId };
    const record = 32 + 32 * 4;
    const ckpt = checkpointFile(index, { model: modelId, dtype: "fp32", dimensions: 32 });

    const child = spawn(tsx, [path.join(repoRoot, "scripts", "build-index.ts")], {
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", LOG_LEVEL: "silent", BOT_TOKEN: "", ...env },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    while (((await stat(ckpt).catch(() => undefined))?.size ?? 0) < 2 * 64 * record && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // tsx runs the script in a child process: kill the one that holds the build lease, then tsx.
    const { readFile } = await import("node:fs/promises");
    const lease = JSON.parse(await readFile(path.join(index, ".build.lock"), "utf8")) as { pid: number };
    process.kill(lease.pid, "SIGKILL");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const kept = Math.floor((await stat(ckpt)).size / record);
    expect(kept).toBeGreaterThanOrEqual(128);
    expect(kept).toBeLessThan(625);

    const again = await command("build-index.ts", [], env);
    expect(again.code, again.stderr).toBe(0);
    const m = /embedded (\d+), reused (\d+) \((\d+) from an interrupted build's checkpoint\)/.exec(again.stdout);
    expect(m, again.stdout + again.stderr).not.toBeNull();
    const [embedded, reused, resumed] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(resumed).toBeGreaterThanOrEqual(kept - 16);
    expect(reused).toBe(resumed);
    expect(embedded + resumed).toBe(625);
  });
});

describe("npm run feedback -- --export", () => {
  it("writes the stored refusals and 👎 as question lines the evaluator reads back", async () => {
    const stateDir = await tempDir("unb-cli-state-");
    const store = await openJsonStateStore({ dir: stateDir, retentionDays: 30 });
    const at = Date.now();
    await store.putRecord({ kind: "refused", answerId: "a1", user: "u_1", question: "上海市总工会今年举办了哪些劳动竞赛？", mode: "lexical", build: "b1", at });
    await store.putRecord({ kind: "refused", answerId: "a2", user: "u_2", question: "上海市总工会今年举办了哪些劳动竞赛", mode: "lexical", build: "b1", at });
    const cited = [{ storyId: "s1", paragraph: 2, title: "北京市工人北戴河疗养院打造劳模工匠事迹展示阵地" }];
    await store.putRecord({ kind: "vote", vote: "down", reason: "wrong-source", answerId: "a3", user: "u_1", question: "杨华清是谁？", answer: "杨华清是……[1]", citations: cited, at });
    await store.putRecord({ kind: "vote", vote: "up", answerId: "a4", user: "u_1", at });
    await store.close();
    const out = path.join(await tempDir("unb-cli-out-"), "labels.jsonl");
    const { code, stderr } = await command("feedback.ts", ["--export", out], { STATE_DIR: stateDir });
    expect(code).toBe(0);
    expect(stderr).toContain("2 questions (1 refused, 1 voted down)");
    const questions = await readQuestionFile(out);
    expect(questions.map((q) => q.question)).toEqual(["上海市总工会今年举办了哪些劳动竞赛？", "杨华清是谁？"]);
    expect(questions[0]).toMatchObject({ unanswerable: true, attributes: { type: "refused", needs_label: "true", count: "2" } });
    expect(questions[1]).toMatchObject({ story: cited[0]!.title, attributes: { type: "downvoted", reason: "wrong-source" } });
    expect((await command("feedback.ts", [], { STATE_DIR: stateDir })).code).toBe(2);
  });
});
