import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openNewsService, type NewsService } from "../src/service.js";
import { ADMIN, botUnderTest, type Call, callback, document, MEMBER, sent, text } from "./support/bot-updates.js";
import { seedCorpusDir, seedFile, tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";

/**
 * Admins' uploads end to end through the bot (handleUpdate, recorded API
 * calls) and the service's queue of corpus changes, on a real corpus folder
 * and a real index.
 */
const encode = (lines: readonly object[]) => new TextEncoder().encode(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttonsOf = (calls: readonly Call[]) =>
  calls.flatMap((c) => (c.payload["reply_markup"] as Keyboard | undefined)?.inline_keyboard.flat() ?? []);

async function freshService(): Promise<{ corpusDir: string; service: NewsService }> {
  const corpusDir = await tempDir("unb-uploads-");
  await copyFile(path.join(seedCorpusDir, seedFile), path.join(corpusDir, seedFile));
  const config = await testConfig({ CORPUS_DIR: corpusDir, RETRIEVAL: "lexical" });
  return { corpusDir, service: await openNewsService(config, lexicalDeps(), { build: "always" }) };
}

/** Corpus files on disk (hidden temporaries aside) and the files the served index holds stories from. */
async function corpusAndIndex(corpusDir: string, service: NewsService) {
  const onDisk = (await readdir(corpusDir)).filter((f) => !f.startsWith(".")).sort();
  const indexed = [...new Set(service.engine().stories.map((s) => s.file))].sort();
  return { onDisk, indexed };
}

describe("uploads at the same moment", () => {
  it("three files sent together are all saved and indexed: corpus and index agree", async () => {
    const { corpusDir, service } = await freshService();
    const files = {
      "documents/a": encode([{ id: "a-1", title: "职工书屋开放", text: "朝阳区职工书屋正式开放，藏书三千册。" }]),
      "documents/b": encode([{ id: "b-1", title: "篮球联赛开幕", text: "海淀区职工篮球联赛开幕，二十四支队伍参赛。" }]),
      "documents/c": encode([{ id: "c-1", title: "安全生产月", text: "丰台区开展安全生产月活动，检查隐患一百处。" }]),
    };
    const { send, background, calls } = botUnderTest(service, { files });
    await Promise.all([send(document(ADMIN, "a.jsonl", "a")), send(document(ADMIN, "b.jsonl", "b")), send(document(ADMIN, "c.jsonl", "c"))]);
    await background.idle();
    const { onDisk, indexed } = await corpusAndIndex(corpusDir, service);
    expect(onDisk).toEqual(["a.jsonl", "b.jsonl", "c.jsonl", seedFile].sort());
    expect(indexed).toEqual(onDisk);
    const replies = sent(calls);
    for (const f of ["a.jsonl", "b.jsonl", "c.jsonl"]) expect(replies.some((r) => r.includes(`文件 ${f} 已加入新闻库`))).toBe(true);
    // The number asked for is in bold: compare the text without tags.
    expect(sent(await send(text(MEMBER, "海淀区篮球联赛有多少支队伍参赛？")))[0]!.replace(/<\/?b>/g, "")).toContain("二十四支队伍");
  });

  it("an upload whose rebuild fails is taken back out; the admin is told in Chinese", async () => {
    const { corpusDir, service } = await freshService();
    await writeFile(path.join(corpusDir, "broken.jsonl"), '{"title": "x", "text": "ok。"}\n{"title": oops\n');
    const { sendAndWait } = botUnderTest(service, { files: { "documents/d": encode([{ title: "职工书屋开放", text: "藏书三千册。" }]) } });
    const replies = sent(await sendAndWait(document(ADMIN, "d.jsonl", "d")));
    expect(replies.at(-1)).toContain("新闻库里有 1 个文件有问题");
    expect(replies.at(-1)).toContain("broken.jsonl 第 2 行");
    expect(replies.at(-1)).toContain("已撤下文件 d.jsonl");
    const { onDisk, indexed } = await corpusAndIndex(corpusDir, service);
    expect(onDisk).toEqual([seedFile, "broken.jsonl"].sort());
    expect(indexed).toEqual([seedFile]);
  });
});

describe("an upload named like a corpus file", () => {
  it("is refused with the old file kept, and replaces it only when the admin confirms", async () => {
    const { corpusDir, service } = await freshService();
    const first = encode([{ id: "n-1", title: "职工书屋开放", text: "朝阳区职工书屋正式开放，藏书三千册。" }, { id: "n-2", title: "篮球联赛开幕", text: "二十四支队伍参赛。" }]);
    const second = encode([{ id: "n-3", title: "职工书屋扩建", text: "朝阳区职工书屋扩建完成，藏书增至八千册。" }]);
    const { sendAndWait } = botUnderTest(service, { files: { "documents/first": first, "documents/second": second } });
    await sendAndWait(document(ADMIN, "news.jsonl", "first"));
    const storiesBefore = service.engine().stories.length;

    const refused = await sendAndWait(document(ADMIN, "news.jsonl", "second"));
    expect(sent(refused)).toEqual([expect.stringContaining("已经有同名文件 news.jsonl，没有替换，原文件保持不变")]);
    expect(Buffer.from(await readFile(path.join(corpusDir, "news.jsonl"))).equals(Buffer.from(first))).toBe(true);
    expect(service.engine().stories).toHaveLength(storiesBefore);
    const buttons = buttonsOf(refused);
    expect(buttons.map((b) => b.text)).toEqual(["替换原文件", "保留原文件"]);
    const replace = buttons[0]!.callback_data;

    const byMember = await sendAndWait(callback(MEMBER, replace));
    expect(byMember).toEqual([expect.objectContaining({ method: "answerCallbackQuery", payload: expect.objectContaining({ show_alert: true }) })]);
    expect(Buffer.from(await readFile(path.join(corpusDir, "news.jsonl"))).equals(Buffer.from(first))).toBe(true);

    const confirmed = sent(await sendAndWait(callback(ADMIN, replace)));
    expect(confirmed.at(-1)).toContain("文件 news.jsonl 已替换同名原文件，加入新闻库（1 篇报道）");
    expect(Buffer.from(await readFile(path.join(corpusDir, "news.jsonl"))).equals(Buffer.from(second))).toBe(true);
    expect(service.engine().stories).toHaveLength(storiesBefore - 1);
    expect(sent(await sendAndWait(text(MEMBER, "朝阳区职工书屋藏书多少册？")))[0]).toContain("八千册");

    const again = await sendAndWait(callback(ADMIN, replace));
    expect(again).toEqual([expect.objectContaining({ method: "answerCallbackQuery", payload: expect.objectContaining({ text: expect.stringContaining("过期") }) })]);
  });

  it("is left alone when the admin keeps the old file", async () => {
    const { corpusDir, service } = await freshService();
    const first = encode([{ title: "职工书屋开放", text: "藏书三千册。" }]);
    const second = encode([{ title: "别的报道", text: "一句话。" }]);
    const { sendAndWait } = botUnderTest(service, { files: { "documents/first": first, "documents/second": second } });
    await sendAndWait(document(ADMIN, "news.jsonl", "first"));
    const refused = await sendAndWait(document(ADMIN, "news.jsonl", "second"));
    const keep = buttonsOf(refused).find((b) => b.text === "保留原文件")!;
    expect(sent(await sendAndWait(callback(ADMIN, keep.callback_data)))).toEqual(["已保留原文件 news.jsonl，新闻库没有改动。"]);
    expect(Buffer.from(await readFile(path.join(corpusDir, "news.jsonl"))).equals(Buffer.from(first))).toBe(true);
    expect(service.engine().stories.some((s) => s.title === "别的报道")).toBe(false);
  });
});

describe("the size of an upload", () => {
  it("is checked on the bytes downloaded, not the declared file_size: the download is cut off past the limit", async () => {
    const { corpusDir, service } = await freshService();
    const total = 64 * 1024 * 1024;
    let written = 0;
    let aborted = false;
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(64 * 1024, "职".charCodeAt(0) & 0x7f);
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (aborted = written < total));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const { sendAndWait } = botUnderTest(service, { fileServer: `http://127.0.0.1:${port}` });
      const replies = sent(await sendAndWait(document(ADMIN, "huge.txt", "lying", 100)));
      expect(replies).toEqual([expect.stringContaining("文件太大了（上限 5 MB）")]);
      await new Promise((r) => setTimeout(r, 100));
      expect(aborted).toBe(true);
      expect(written).toBeLessThan(total / 2);
      expect(await readdir(corpusDir)).toEqual([seedFile]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("rebuild reports", () => {
  it("speak Chinese to the admin, with no English prose and no INDEX_DIR", async () => {
    const { service } = await freshService();
    const { sendAndWait } = botUnderTest(service, { files: { "documents/z": encode([{ title: "职工书屋开放", text: "藏书三千册。" }]) } });
    const reports = [...sent(await sendAndWait(text(ADMIN, "/reindex"))), ...sent(await sendAndWait(document(ADMIN, "z.jsonl", "z")))];
    expect(reports).toHaveLength(4);
    expect(reports[1]).toContain("索引已是最新");
    expect(reports[3]).toMatch(/索引已更新 ✅\n报道 9 篇，段落 \d+ 个（新增 1，修改 0，删除 0），用时 [\d.]+ 秒。\n仅词法检索/);
    for (const r of reports) expect(r.replace(/[\w.-]+\.jsonl/g, "")).not.toMatch(/INDEX_DIR|[A-Za-z]{4,}/);
  });
});
