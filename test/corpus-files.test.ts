import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { loadCorpus, parseCorpusFile } from "../src/corpus/load.js";
import { CorpusError } from "../src/errors.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const page = "职工书屋开放\n本报讯（记者 王芳）近日，职工书屋正式开放，\n职工可免费借阅图书。\n";

function errorOf(run: () => unknown): CorpusError {
  try {
    run();
  } catch (error) {
    if (error instanceof CorpusError) return error;
    throw error;
  }
  throw new Error("expected a CorpusError");
}

describe("JSONL corpus files", () => {
  it("reads one story per line, splitting text into paragraphs on newlines", () => {
    const lines = [
      JSON.stringify({ id: "cms-1", title: "工会驿站升级", text: "本报讯（记者 李明）驿站升级了。\n\n新增微波炉。\n饮水机也换了新的。", date: "2024-08-01", url: "https://example.org/1", source: "CMS" }),
      "",
      JSON.stringify({ title: "无编号的稿件", text: "只有一段。" }),
    ].join("\n");
    const { stories } = parseCorpusFile("cms.jsonl", utf8(lines));
    expect(stories).toHaveLength(2);
    expect(stories[0]).toMatchObject({
      id: "cms-1",
      title: "工会驿站升级",
      date: "2024-08-01",
      url: "https://example.org/1",
      source: "CMS",
      byline: { kind: "记者", names: ["李明"] },
      paragraphs: ["本报讯（记者 李明）驿站升级了。", "新增微波炉。", "饮水机也换了新的。"],
    });
    expect(stories[1]!.id).toMatch(/^[0-9a-f]{12}$/);
    expect(stories[1]!.byline).toBeUndefined();
  });

  it("names the line of invalid JSON", () => {
    const text = `${JSON.stringify({ title: "a", text: "b。" })}\n{"title": "broken",\n`;
    const e = errorOf(() => parseCorpusFile("bad.jsonl", utf8(text)));
    expect(e.file).toBe("bad.jsonl");
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^bad\.jsonl:2: invalid JSON/);
  });

  it("keeps a story whose text holds half a character (a lone surrogate escape), replacing it and naming the line", () => {
    const text = `${JSON.stringify({ title: "a", text: "b。" })}\n{"title": "工会\\ud84c", "text": "职工书屋开放\\udc00。"}\n`;
    const parsed = parseCorpusFile("cut.jsonl", utf8(text));
    expect(parsed.stories.map((s) => s.title)).toEqual(["a", "工会\uFFFD"]);
    expect(parsed.stories[1]!.paragraphs).toEqual(["职工书屋开放\uFFFD。"]);
    expect(parsed.warnings).toEqual(["cut.jsonl:2: 2 half character(s) (a lone UTF-16 surrogate escape) replaced with �"]);
  });

  it("names the line and field of a record without a title", () => {
    const e = errorOf(() => parseCorpusFile("x.jsonl", utf8(`{"text":"正文。"}`)));
    expect(e.line).toBe(1);
    expect(e.message).toContain("title");
  });
});

describe("bad corpus files", () => {
  it("refuses an empty file by name", () => {
    expect(errorOf(() => parseCorpusFile("empty.txt", new Uint8Array())).message).toBe("empty.txt: the file is empty");
    expect(errorOf(() => parseCorpusFile("blank.txt", utf8(" \n\n"))).message).toContain("blank.txt");
  });

  it("refuses a binary file by name", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(errorOf(() => parseCorpusFile("photo.txt", png)).message).toMatch(/^photo\.txt: .*binary/);
  });

  it("refuses a NUL byte anywhere in the file, not only in the first 8 KiB, naming its line", () => {
    const filler = "本报讯（记者 王芳）近日，职工书屋正式开放。\n".repeat(400);
    expect(new TextEncoder().encode(filler).length).toBeGreaterThan(8192);
    const bytes = utf8(`职工书屋开放\n${filler}坏行\u0000结尾。\n`);
    const e = errorOf(() => parseCorpusFile("late-nul.txt", bytes));
    expect(e.message).toMatch(/^late-nul\.txt:402: a NUL byte at byte \d+/);
  });

  it("names UTF-16 without a byte-order mark instead of calling it binary", () => {
    const le = Buffer.from(page, "utf16le");
    expect(errorOf(() => parseCorpusFile("le.txt", le)).message).toBe("le.txt: this looks like UTF-16LE text without a byte-order mark; save it as UTF-8 (or as UTF-16LE with a BOM)");
    const be = Buffer.from(le).swap16();
    expect(errorOf(() => parseCorpusFile("be.txt", be)).message).toContain("looks like UTF-16BE text");
    // With its BOM the same text is read.
    expect(parseCorpusFile("bom.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), le])).stories[0]!.title).toBe("职工书屋开放");
  });

  it("decodes a GBK-encoded page correctly and says so", () => {
    const parsed = parseCorpusFile("gbk.txt", iconv.encode(page, "gbk"));
    expect(parsed.encoding).toBe("gb18030");
    expect(parsed.warnings).toEqual(["gbk.txt: read as gb18030"]);
    expect(parsed.stories[0]!.paragraphs).toEqual(["本报讯（记者 王芳）近日，职工书屋正式开放，职工可免费借阅图书。"]);
    expect(parsed.stories[0]!.title).toBe("职工书屋开放");
  });

  it("refuses bytes that are neither UTF-8 nor Chinese GBK text", () => {
    const latin1 = iconv.encode("Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la carte, d\u00e9j\u00e0 vu.", "latin1");
    expect(errorOf(() => parseCorpusFile("latin.txt", latin1)).message).toMatch(/^latin\.txt: .*UTF-8/);
  });

  it("refuses a page without any story lead, pointing at its first line", () => {
    const e = errorOf(() => parseCorpusFile("notes.txt", utf8("\n\n会议纪要\n讨论了若干事项。")));
    expect(e.line).toBe(3);
    expect(e.message).toContain("本报讯");
  });

  it("refuses other file types", () => {
    expect(errorOf(() => parseCorpusFile("page.pdf", utf8("x"))).message).toContain("unsupported file type");
  });
});

describe("loading a corpus folder", () => {
  it("loads the seed and collects every bad file without losing the good ones", async () => {
    const dir = await tempDir();
    await copyFile(path.join(seedCorpusDir, seedFile), path.join(dir, seedFile));
    await mkdir(path.join(dir, "2024-08"));
    await writeFile(path.join(dir, "2024-08", "cms.jsonl"), JSON.stringify({ title: "新稿", text: "正文。" }));
    await writeFile(path.join(dir, "empty.txt"), "");
    await writeFile(path.join(dir, "broken.jsonl"), "{nope}\n");
    await writeFile(path.join(dir, "notes.md"), "# notes");
    const corpus = await loadCorpus(dir);
    expect(corpus.stories).toHaveLength(9);
    expect(corpus.files.map((f) => f.file)).toEqual(["2024-08/cms.jsonl", seedFile]);
    expect(corpus.errors.map((e) => e.message).sort()).toEqual([
      expect.stringMatching(/^broken\.jsonl:1: invalid JSON/),
      "empty.txt: the file is empty",
    ]);
    expect(corpus.warnings).toEqual(["notes.md: skipped (not .txt or .jsonl)"]);
  });

  it("reports a story id used twice with the JSONL line of both", async () => {
    const dir = await tempDir();
    const line = (title: string) => JSON.stringify({ id: "same", title, text: "x。" });
    await writeFile(path.join(dir, "a.jsonl"), `${JSON.stringify({ id: "other", title: "o", text: "y。" })}\n${line("t")}\n`);
    await writeFile(path.join(dir, "b.jsonl"), `\n${JSON.stringify({ id: "b1", title: "b", text: "z。" })}\n${line("u")}\n`);
    const corpus = await loadCorpus(dir);
    expect(corpus.errors.map((e) => e.message)).toEqual(['b.jsonl:3: story id "same" is also used in a.jsonl:2 (《t》)']);
    expect(corpus.errors[0]!.line).toBe(3);
  });

  it("names a missing corpus folder", async () => {
    await expect(loadCorpus("/nonexistent/corpus")).rejects.toThrow(/\/nonexistent\/corpus: cannot read the corpus folder/);
  });
});
