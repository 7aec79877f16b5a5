import { Composer, type Context } from "grammy";
import { formatBuildFailure, formatBuildReport } from "./build-report.js";
import { alertAfterRebuild } from "./alerts.js";
import { FEEDBACK_ADMIN_COMMANDS } from "./feedback.js";
import { type BotEnv, isAdmin, replyAll } from "./context.js";
import { escapeHtml } from "./html.js";
import { formatCounts, formatUptime } from "./stats.js";
import { uploadHandlers } from "./upload.js";

export const ADMIN_COMMANDS = [
  { command: "reindex", description: "（管理员）重建索引" },
  { command: "stats", description: "（管理员）运行状态" },
  ...FEEDBACK_ADMIN_COMMANDS,
] as const;

const MODE_NAMES = { hybrid: "混合检索（向量 + 词法）", dense: "向量检索", lexical: "词法检索（BM25）" } as const;
const REFUSED = "抱歉，这个命令只有管理员可以使用。";
const BUSY = "索引正在重建中，请等这次重建完成后再试。";

/** Admin commands and uploads; everyone else gets a polite refusal. */
export function adminHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();
  const { service } = env;

  c.command("reindex", async (ctx) => {
    if (!isAdmin(env, ctx)) return void (await ctx.reply(REFUSED));
    if (service.corpus.busy()) return void (await ctx.reply(BUSY));
    // Queued before the first await, so a second /reindex arriving meanwhile finds it running;
    // the reply comes at once and the report when the rebuild ends, however long it takes.
    const job = service.corpus.reindex();
    env.background.run("reindex", async () => {
      try {
        const report = await job;
        env.log.info({ build: { ...report, warnings: report.warnings.length } }, "reindexed");
        await replyAll(ctx, [formatBuildReport(report)]);
        if (!report.unchanged) await alertAfterRebuild(env);
      } catch (error) {
        env.log.warn({ err: error }, "reindex failed");
        await replyAll(ctx, [formatBuildFailure(error instanceof Error ? error : new Error(String(error)))]);
      }
    });
    await ctx.reply("开始重建索引。重建期间照常回答问题，完成后会自动换用新索引并告诉您结果。");
  });

  c.command("stats", async (ctx) => {
    if (!isAdmin(env, ctx)) return void (await ctx.reply(REFUSED));
    const m = service.manifest();
    const counts = await env.stats.read().catch((error: unknown) => void env.log.warn({ err: error }, "stats unavailable"));
    const lines = [
      "<b>运行状态</b>",
      `报道：${m.stories} 篇，段落：${m.passages} 个`,
      `检索模式：${MODE_NAMES[service.mode]}`,
      `模型：${escapeHtml(m.embedding ? `${m.embedding.model}（${m.embedding.dimensions} 维）` : "无（仅词法检索）")}`,
      `索引构建时间：${escapeHtml(m.builtAt)}`,
      `运行时长：${formatUptime(Date.now() - env.stats.startedAt)}`,
      ...(counts ? [formatCounts(counts)] : ["回答计数暂时读不到。"]),
      ...(service.corpus.busy() ? ["索引正在更新中。"] : []),
    ];
    await replyAll(ctx, [lines.join("\n")]);
  });

  c.use(uploadHandlers(env));
  return c;
}
