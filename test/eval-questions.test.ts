import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CorpusError } from "../src/errors.js";
import { parseQuestionFile, readQuestionFile } from "../src/eval/questions.js";
import { repoRoot, seedCorpusDir, seedFile } from "./support/paths.js";

function lineOf(text: string): { line: number | undefined; message: string } {
  try {
    parseQuestionFile(text, "qs.jsonl");
  } catch (error) {
    expect(error).toBeInstanceOf(CorpusError);
    return { line: (error as CorpusError).line, message: (error as Error).message };
  }
  throw new Error("expected the file to be refused");
}

describe("the question file parser", () => {
  it("reads valid questions and skips blank lines", () => {
    const qs = parseQuestionFile(['{"id":"a","question":"谁？","answers":["张三"],"story":"标题"}', "", '{"id":"b","question":"哪？","unanswerable":true}'].join("\n"), "qs.jsonl");
    expect(qs).toEqual([
      { id: "a", question: "谁？", answers: ["张三"], story: "标题" },
      { id: "b", question: "哪？", unanswerable: true },
    ]);
  });

  it("names each bad line by number", () => {
    const ok = '{"id":"a","question":"q","story":"s"}';
    expect(lineOf(`${ok}\n{oops`)).toMatchObject({ line: 2, message: expect.stringContaining("qs.jsonl:2: invalid JSON") });
    expect(lineOf(`${ok}\n\n{"id":"b","question":""}`)).toMatchObject({ line: 3, message: expect.stringContaining("question") });
    expect(lineOf(`${ok}\n{"id":"a","question":"q2","story":"s"}`)).toMatchObject({ line: 2, message: expect.stringContaining("duplicate id a (first on line 1)") });
    expect(lineOf('{"id":"u","question":"q","unanswerable":true,"answers":["x"]}')).toMatchObject({ line: 1, message: expect.stringContaining("unanswerable but names answers") });
    expect(lineOf('{"id":"n","question":"q"}')).toMatchObject({ line: 1, message: expect.stringContaining("needs answers, a story") });
    expect(lineOf('{"id":"x","question":"q","story":"s","extra":1}')).toMatchObject({ line: 1 });
    expect(lineOf("\n\n")).toMatchObject({ message: expect.stringContaining("no questions") });
  });
});

describe("the seed question set", () => {
  const raw = readFileSync(path.join(seedCorpusDir, seedFile), "utf8");
  const flat = raw.replace(/\n/g, "");
  const titles = raw.split("\n").map((l) => l.trim());

  it("has at least 40 questions, 10 of them unanswerable, and answers taken verbatim from the corpus", async () => {
    const qs = await readQuestionFile(path.join(repoRoot, "eval", "questions.jsonl"));
    expect(qs.length).toBeGreaterThanOrEqual(40);
    expect(qs.filter((q) => q.unanswerable).length).toBeGreaterThanOrEqual(10);
    for (const q of qs) {
      for (const a of q.answers ?? []) expect(flat, `${q.id}: ${a}`).toContain(a);
      if (q.story) expect(titles.some((t) => t.includes(q.story!)), q.id).toBe(true);
    }
    const spanningBreaks = qs.filter((q) => q.answers?.some((a) => !raw.split("\n").some((line) => line.includes(a))));
    expect(spanningBreaks.length).toBeGreaterThanOrEqual(6);
  });
});
