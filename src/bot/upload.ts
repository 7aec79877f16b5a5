import { Composer, type Context, InlineKeyboard } from "grammy";
import { checkUpload, isCorpusFileName, MAX_UPLOAD_BYTES, type UploadOutcome, uploadFileName } from "../corpus-changes.js";
import { CorpusError } from "../errors.js";
import { alertAfterRebuild } from "./alerts.js";
import { formatBuildFailure, formatBuildReport } from "./build-report.js";
import { decodeAction, encodeAction } from "./callbacks.js";
import { type BotEnv, isAdmin, replyAll } from "./context.js";
import { TooLargeError } from "./download.js";
import { escapeHtml } from "./html.js";
import { PENDING_UPLOAD_MS } from "../state/bot-state.js";

const LIMIT_MB = MAX_UPLOAD_BYTES / 1024 / 1024;
const TOO_LARGE = `文件太大了（上限 ${LIMIT_MB} MB），新闻库没有改动。请拆分后再发送。`;

/**
 * An admin's news files: downloaded with a byte cap, validated by the
 * build's parser, then handed to the service's queue of corpus changes,
 * which saves, rebuilds and rolls back. The handler answers at once; the
 * rebuild runs in the background and reports when done. A file named like
 * one already in the corpus is not saved: the admin is asked, with buttons,
 * whether to replace it.
 */
export function uploadHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();

  c.chatType("private").on("message:document", async (ctx, next) => {
    if (!isAdmin(env, ctx)) return next();
    const doc = ctx.message.document;
    const name = uploadFileName(doc.file_name ?? "");
    if (!isCorpusFileName(name)) return void (await ctx.reply("只接受 .txt（版面文本）或 .jsonl（稿件导出）文件。"));
    if ((doc.file_size ?? 0) > MAX_UPLOAD_BYTES) return void (await ctx.reply(TOO_LARGE));
    const bytes = await download(ctx, doc.file_id);
    if (!bytes) return;
    try {
      const parsed = checkUpload(name, bytes);
      if (await env.service.corpus.exists(name)) return void (await offerReplacement(ctx, name, doc.file_id));
      const queued = env.service.corpus.busy() ? "前面还有一项更新，已排队，" : "";
      await ctx.reply(`文件 ${escapeHtml(name)} 检查通过：${parsed.stories.length} 篇报道。${queued}正在加入新闻库并更新索引，完成后会告诉您。`, { parse_mode: "HTML" });
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      return void (await ctx.reply(invalidFile(error)));
    }
    startUpload(ctx, name, bytes, doc.file_id, false);
  });

  c.callbackQuery(/^(replace|keep):/, async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const id = action?.kind === "replace" || action?.kind === "keep" ? action.uploadId : "";
    const entry = isAdmin(env, ctx) ? await env.uploads.get(id) : undefined;
    // Taken once checked: of two presses (on any instance) only one replaces the file.
    if (!entry || entry.adminId !== ctx.from.id || Date.now() - entry.at > PENDING_UPLOAD_MS || (await env.uploads.take(id)) === undefined) {
      return void (await ctx.answerCallbackQuery({ text: "这个按钮已过期。如需替换，请重新发送文件。", show_alert: true }));
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch((error: unknown) => env.log.debug({ err: error }, "could not remove the buttons"));
    if (action?.kind === "keep") return void (await ctx.reply(`已保留原文件 ${entry.name}，新闻库没有改动。`));
    const bytes = await download(ctx, entry.fileId);
    if (!bytes) return;
    await ctx.reply(`正在用新文件替换 ${entry.name} 并更新索引，完成后会告诉您。`);
    startUpload(ctx, entry.name, bytes, entry.fileId, true);
  });

  /** The file's bytes, or undefined after telling the admin why not. */
  async function download(ctx: Context, fileId: string): Promise<Uint8Array | undefined> {
    const file = await ctx.api.getFile(fileId);
    if (!file.file_path) return void (await ctx.reply("没能从 Telegram 取得这个文件，请重新发送。"));
    try {
      return await env.fetchFile(file.file_path, MAX_UPLOAD_BYTES);
    } catch (error) {
      if (error instanceof TooLargeError) return void (await ctx.reply(TOO_LARGE));
      throw error;
    }
  }

  async function offerReplacement(ctx: Context, name: string, fileId: string): Promise<void> {
    const id = await env.uploads.put({ name, fileId, adminId: ctx.from!.id, at: Date.now() });
    const keyboard = new InlineKeyboard()
      .text("替换原文件", encodeAction({ kind: "replace", uploadId: id }))
      .text("保留原文件", encodeAction({ kind: "keep", uploadId: id }));
    await ctx.reply(`新闻库里已经有同名文件 ${name}，没有替换，原文件保持不变。\n如果要用这个新文件替换它，请点“替换原文件”。`, { reply_markup: keyboard });
  }

  /** Queues the change in the service and reports its outcome when the rebuild ends. */
  function startUpload(ctx: Context, name: string, bytes: Uint8Array, fileId: string, replace: boolean): void {
    const job = env.service.corpus.upload(name, bytes, { replace });
    env.background.run(`upload ${name}`, async () => {
      const outcome = await job;
      env.log.info({ file: outcome.file, outcome: outcome.kind }, "upload handled");
      if (outcome.kind === "exists") return void (await offerReplacement(ctx, outcome.file, fileId));
      await replyAll(ctx, [describeOutcome(outcome)]);
      if (outcome.kind === "indexed") await alertAfterRebuild(env);
    });
  }
  return c;
}

function invalidFile(error: CorpusError): string {
  const where = error.line === undefined ? error.file : `${error.file} 第 ${error.line} 行`;
  return `文件有问题，新闻库和索引都没有改动：\n${where}：${error.reason}`;
}

/** What the queue did with an upload, for the admin who sent it. */
function describeOutcome(o: Exclude<UploadOutcome, { kind: "exists" }>): string {
  switch (o.kind) {
    case "indexed":
      return `文件 ${escapeHtml(o.file)} 已${o.replaced ? "替换同名原文件，" : ""}加入新闻库（${o.stories} 篇报道）。\n${formatBuildReport(o.report)}`;
    case "invalid":
      return escapeHtml(invalidFile(o.error));
    case "rolled-back":
      return `${formatBuildFailure(o.error)}\n${o.restored === "removed" ? `已撤下文件 ${escapeHtml(o.file)}，新闻库恢复原状。` : `已恢复同名的原文件 ${escapeHtml(o.file)}，新闻库恢复原状。`}`;
  }
}
