import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawPage } from "../src/corpus/raw-page.js";
import { CorpusError } from "../src/errors.js";
import { foldOf, parseQuestionFile, readQuestionFile } from "../src/eval/questions.js";
import { repoRoot, seedCorpusDir, seedFile } from "./support/paths.js";

/** Parses `text`, expecting a refusal; returns the line and message it named. */
function refusal(text: string): { line: number | undefined; message: string } {
  try {
    parseQuestionFile(text, "qs.jsonl");
  } catch (error) {
    expect(error).toBeInstanceOf(CorpusError);
    return { line: (error as CorpusError).line, message: (error as Error).message };
  }
  throw new Error("expected the file to be refused");
}

describe("the question file parser", () => {
  it("reads valid questions, trims text and skips blank lines (also a BOM and CRLF)", () => {
    const text = ["\uFEFF" + '{"id":"a","question":" 谁？ ","answers":["张三"],"story":"标题"}\r', "", "   ", '{"id":"b","question":"哪？","unanswerable":true}', '{"id":"c","question":"何？","story":"标题","unanswerable":false}'].join("\n");
    expect(parseQuestionFile(text, "qs.jsonl")).toEqual([
      { id: "a", question: "谁？", answers: ["张三"], story: "标题" },
      { id: "b", question: "哪？", unanswerable: true },
      { id: "c", question: "何？", story: "标题" },
    ]);
  });

  it("names each bad line by its 1-based number and says what is wrong", () => {
    const ok = '{"id":"a","question":"q","story":"s"}';
    expect(refusal(`${ok}\n{oops`)).toMatchObject({ line: 2, message: expect.stringMatching(/^qs\.jsonl:2: invalid JSON/) });
    expect(refusal(`${ok}\n\n{"id":"b","story":"s"}`)).toMatchObject({ line: 3, message: expect.stringContaining('"question" is missing') });
    expect(refusal(`${ok}\n{"id":"b","question":"  ","story":"s"}`)).toMatchObject({ line: 2, message: expect.stringContaining('"question" is empty') });
    expect(refusal(`${ok}\n{"id":"a","question":"q2","story":"s"}`)).toMatchObject({ line: 2, message: expect.stringContaining("duplicate id a (first on line 1)") });
    expect(refusal(`${ok}\n${ok.replace('"a"', '"u"').replace('"story":"s"', '"unanswerable":true,"answers":["x"]')}`)).toMatchObject({ line: 2, message: expect.stringContaining("u is unanswerable but names answers or a story") });
    expect(refusal('{"id":"u","question":"q","unanswerable":true,"story":"s"}')).toMatchObject({ line: 1, message: expect.stringContaining("unanswerable but names") });
    expect(refusal('{"id":"n","question":"q"}')).toMatchObject({ line: 1, message: expect.stringContaining('n needs answers, a story, or "unanswerable": true') });
    expect(refusal('{"id":"n","question":"q","answers":[]}')).toMatchObject({ line: 1, message: expect.stringContaining('"answers" is an empty list') });
    expect(refusal('{"id":"n","question":"q","answers":"毛巾"}')).toMatchObject({ line: 1, message: expect.stringContaining('"answers" must be an array') });
    expect(refusal('{"id":"x","question":"q","answer":["typo"]}')).toMatchObject({ line: 1, message: expect.stringContaining("answer") });
    expect(refusal("[1,2]")).toMatchObject({ line: 1, message: expect.stringContaining("not a question") });
    expect(refusal("\n\n")).toMatchObject({ line: undefined, message: "qs.jsonl: the file holds no questions" });
  });

  it("keeps unknown keys as attributes (real sets carry type, context_id…) instead of refusing them", () => {
    const [q] = parseQuestionFile('{"id":"a","question":"q","story":"s","type":"recency","context_id":7,"meta":{"x":1}}', "qs.jsonl");
    expect(q).toEqual({ id: "a", question: "q", story: "s", attributes: { type: "recency", context_id: "7" } });
  });

  it("skips a line whose question is empty, telling the caller its line; refuses it when nobody listens", () => {
    const text = '{"id":"a","question":"q","story":"s"}\n{"id":"b","question":"","unanswerable":true}\n{"id":"c","question":"r","unanswerable":true}';
    const skipped: unknown[] = [];
    expect(parseQuestionFile(text, "qs.jsonl", (s) => skipped.push(s)).map((q) => q.id)).toEqual(["a", "c"]);
    expect(skipped).toEqual([{ line: 2, reason: "the question is empty" }]);
    expect(refusal(text)).toMatchObject({ line: 2, message: expect.stringContaining('"question" is empty') });
  });

  it("splits a set into two stable halves by id", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `TRIAL_${i}_QUERY_0`);
    const dev = ids.filter((id) => foldOf(id) === "dev");
    expect(dev.length).toBeGreaterThan(70);
    expect(dev.length).toBeLessThan(130);
    expect(ids.filter((id) => foldOf(id) === "dev")).toEqual(dev);
  });

  it("names an unreadable file", async () => {
    await expect(readQuestionFile("/nonexistent/qs.jsonl")).rejects.toThrow(/\/nonexistent\/qs\.jsonl: cannot read the question file \(ENOENT\)/);
  });
});

describe("the seed question set", () => {
  const raw = readFileSync(path.join(seedCorpusDir, seedFile), "utf8");
  /** The page with every layout line break removed, as the brief defines "verbatim". */
  const flat = raw.replace(/\n/g, "");
  const lines = raw.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  /**
   * Title lines: the (at most two) unpunctuated lines right above a 本报讯 lead:
   * the headline, and a rubric or subtitle printed next to it.
   */
  const titleLines = lines.flatMap((l, i) => (l.startsWith("本报讯") ? lines.slice(Math.max(0, i - 2), i).filter((t) => !/[。！？；]$/.test(t)) : []));
  const questions = readQuestionFile(path.join(repoRoot, "eval", "questions.jsonl"));

  it("finds the eight headlines it checks stories against", () => {
    expect(titleLines).toContain("北京公交集团工会全面启动“夏送清凉”活动");
    expect(titleLines).toContain("龙潭街道社工联合工会心理培训班开班");
    expect(titleLines.some((t) => t.endsWith("。"))).toBe(false);
  });

  it("has at least 40 questions, 10 of them unanswerable", async () => {
    const qs = await questions;
    expect(qs.length).toBeGreaterThanOrEqual(40);
    expect(qs.filter((q) => q.unanswerable).length).toBeGreaterThanOrEqual(10);
  });

  it("takes every answer verbatim from the page once layout breaks are removed, and every story from a title line", async () => {
    for (const q of await questions) {
      for (const a of q.answers ?? []) expect(flat, `${q.id}: ${a}`).toContain(a);
      if (q.story !== undefined) expect(titleLines.some((t) => t.includes(q.story!)), `${q.id}: ${q.story}`).toBe(true);
    }
  });

  it("has at least 6 answers that only match once a layout break is rejoined", async () => {
    const spanning = (await questions).filter((q) => q.answers?.some((a) => !lines.some((l) => l.includes(a))));
    expect(spanning.length).toBeGreaterThanOrEqual(6);
  });

  it("puts every answer inside one parsed paragraph of the expected story, so a relevant passage can exist", async () => {
    const { stories } = parseRawPage(seedFile, raw);
    for (const q of await questions) {
      if (q.answers === undefined) continue;
      const candidates = stories.filter((s) => q.story === undefined || s.title.includes(q.story));
      expect(candidates.length, `${q.id}: story ${q.story}`).toBeGreaterThan(0);
      for (const a of q.answers) {
        expect(candidates.some((s) => s.paragraphs.some((p) => p.replace(/\s+/g, "").includes(a.replace(/\s+/g, "")))), `${q.id}: ${a}`).toBe(true);
      }
    }
  });
});
