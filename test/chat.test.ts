import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runChat } from "../src/cli/chat.js";
import { lexicalSeedService } from "./support/service.js";

async function chat(lines: string[]): Promise<string> {
  const service = await lexicalSeedService();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  await runChat(service, Readable.from(lines.map((l) => `${l}\n`)), output);
  return text;
}

describe("terminal chat", () => {
  it("answers with sources, explains bad input, says how to start the bot, and exits on exit", async () => {
    const out = await chat(["杨华清是谁？", "😀", "今天天气怎么样", "exit", "杨华清是谁？"]);
    expect(out).toContain("lexical 检索，已收录 8 篇报道");
    expect(out).toContain("set BOT_TOKEN in .env");
    expect(out).toMatch(/杨华清.*\[1\]/);
    expect(out).toContain("来源：\n[1] 《北京市工人北戴河疗养院打造劳模工匠事迹展示阵地》 通讯员 李凯萌 · 第2段");
    expect(out).toContain("请用文字提出问题");
    expect(out).toContain("没有在已收录的新闻中找到相关内容");
    expect(out.match(/来源：/g)).toHaveLength(1);
  });

  it("answers two questions of one line one by one, and a greeting in kind", async () => {
    const out = await chat(["公交职工收到了哪些防暑降温慰问品？杨华清是谁？", "你好"]);
    expect(out.match(/来源：/g)).toHaveLength(2);
    expect(out).toContain("《北京公交集团工会全面启动“夏送清凉”活动》");
    expect(out).toContain("《北京市工人北戴河疗养院打造劳模工匠事迹展示阵地》");
    expect(out).toContain("您好！");
  });

  it("ends cleanly at end of input", async () => {
    const out = await chat(["杨华清是谁？"]);
    expect(out).toContain("[1]");
  });
});
