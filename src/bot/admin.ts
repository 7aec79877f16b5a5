import { rename, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Composer, type Context } from "grammy";
import { parseCorpusFile, CORPUS_EXTENSIONS } from "../corpus/load.js";
import { CorpusError, UnionNewsError } from "../errors.js";
import type { BuildReport } from "../index/build.js";
import { describeBuild } from "../index/build-summary.js";
import { type BotEnv, isAdmin, replyAll } from "./context.js";
import { escapeHtml } from "./html.js";
import { formatUptime } from "./stats.js";

export const ADMIN_COMMANDS = [
  { command: "reindex", description: "（管理员）重建索引" },
  { command: "stats", description: "（管理员）运行状态" },
] as const;

const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const REFUSED = "抱歉，这个命令只有管理员可以使用。";
const BUSY = "索引正在重建中，请等这次重建完成后再试。";

/** Admin commands and uploads; everyone else gets a polite refusal. */
export function adminHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();
  const { service } = env;

  c.command("reindex", async (ctx) => {
    if (!isAdmin(env, ctx)) return void (await ctx.reply(REFUSED));
    if (service.isReindexing()) return void (await ctx.reply(BUSY));
    const job = service.reindex();
    await ctx.reply("开始重建索引。重建期间照常回答问题，完成后会自动换用新索引。");
    await reportReindex(env, ctx, job);
  });

  c.command("stats", async (ctx) => {
    if (!isAdmin(env, ctx)) return void (await ctx.reply(REFUSED));
    const m = service.manifest();
    const lines = [
      "<b>运行状态</b>",
      `报道：${m.stories} 篇，段落：${m.passages} 个`,
      `检索模式：${service.mode}`,
      `模型：${escapeHtml(m.embedding ? `${m.embedding.model}（${m.embedding.dimensions} 维）` : "无（仅词法检索）")}`,
      `索引构建时间：${escapeHtml(m.builtAt)}`,
      `运行时长：${formatUptime(Date.now() - env.stats.startedAt)}`,
      `已回答：${env.stats.answered}，未找到答案：${env.stats.abstained}`,
    ];
    await replyAll(ctx, [lines.join("\n")]);
  });

  c.chatType("private").on("message:document", async (ctx, next) => {
    if (!isAdmin(env, ctx)) return next();
    const doc = ctx.message.document;
    const name = safeFileName(doc.file_name ?? "");
    if (!(CORPUS_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) {
      return void (await ctx.reply("只接受 .txt（版面文本）或 .jsonl（稿件导出）文件。"));
    }
    if ((doc.file_size ?? 0) > MAX_UPLOAD_BYTES) return void (await ctx.reply("文件太大了（上限 5 MB），请拆分后再发送。"));
    if (service.isReindexing()) return void (await ctx.reply(BUSY));
    const file = await ctx.getFile();
    if (!file.file_path) return void (await ctx.reply("没能从 Telegram 取得这个文件，请重新发送。"));
    const bytes = await env.fetchFile(file.file_path);
    try {
      const parsed = parseCorpusFile(name, bytes);
      await ctx.reply(`文件 ${escapeHtml(name)} 检查通过：${parsed.stories.length} 篇报道。正在加入新闻库并更新索引…`, { parse_mode: "HTML" });
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      return void (await ctx.reply(`文件有问题，新闻库和索引都没有改动：\n${error.message}`));
    }
    const target = path.join(service.config.corpusDir, name);
    const previous = await readFile(target).catch(() => undefined);
    await writeAtomically(target, bytes);
    const ok = await reportReindex(env, ctx, service.reindex());
    if (!ok) {
      if (previous === undefined) await rm(target, { force: true });
      else await writeAtomically(target, previous);
      await ctx.reply(previous === undefined ? "已撤下这个文件，新闻库恢复原状。" : "已恢复同名的原文件，新闻库恢复原状。");
    }
  });
  return c;
}

/**
 * Tells the admin what a rebuild changed; false when it failed. The rebuild
 * is started by the caller before its first await, so a second /reindex
 * arriving meanwhile already finds it running.
 */
async function reportReindex(env: BotEnv, ctx: Context, job: Promise<BuildReport>): Promise<boolean> {
  try {
    const report = await job;
    env.log.info({ build: { ...report, warnings: report.warnings.length } }, "reindexed");
    await replyAll(ctx, [`索引已更新 ✅\n<pre>${escapeHtml(describeBuild(report, "INDEX_DIR"))}</pre>`]);
    return true;
  } catch (error) {
    if (!(error instanceof UnionNewsError)) throw error;
    env.log.warn({ err: error }, "reindex failed");
    await replyAll(ctx, [`重建失败，仍在使用原来的索引：\n<pre>${escapeHtml(error.message)}</pre>`]);
    return false;
  }
}

/** Keeps only the base name, with characters safe in any file system. */
function safeFileName(name: string): string {
  const base = path.basename(name).replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^\.+/, "");
  return base === "" ? "upload.txt" : base;
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}
