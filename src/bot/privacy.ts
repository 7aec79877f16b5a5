import { Composer, type Context } from "grammy";
import type { BotEnv } from "./context.js";

/**
 * What the bot keeps about a member, in plain Chinese, and /forget, which
 * erases all of it at once. Kept in step with what `answerQuestion`,
 * `feedbackHandlers` and `followHandlers` store.
 */
export function privacyText(retentionDays: number, durable: boolean): string {
  return [
    "<b>我们保存什么</b>",
    "• 您的提问和我的回答（含引用的报道），用来理解您接着问的问题、记录您的 👍/👎。",
    "• 我没答上的问题和您点了 👎 的回答，供管理员改进问答（管理员看到的是问题和回答，看不到您是谁）。",
    "• 您用 /follow 关注的话题，以及给您发提醒所需的聊天编号（加密保存）。",
    "",
    "<b>不保存什么</b>",
    "• 不保存您的 Telegram 账号编号原文：只保存一个用密钥计算的代号，无法反推出您的账号；不保存您的姓名、用户名或头像。",
    "",
    "<b>保存多久</b>",
    `• 提问、回答和评价保存 ${retentionDays} 天，到期自动删除；关注的话题保存到您取消为止。`,
    ...(durable ? [] : ["• 目前这些内容只保存在内存中，机器人重启后全部清空。"]),
    "",
    "<b>怎么删除</b>",
    "• 发送 /forget：立即删除与您有关的全部内容（提问记录、评价、关注的话题）。",
    "• 发送 /unfollow 话题：只取消一个关注。",
  ].join("\n");
}

export function privacyHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();
  c.command("privacy", async (ctx) => {
    await ctx.reply(privacyText(env.members.retentionDays, env.members.store.durable), { parse_mode: "HTML" });
  });
  c.command("forget", async (ctx) => {
    if (ctx.from === undefined) return;
    const gone = await env.members.store.forget(env.members.identity.user(ctx.from.id));
    const total = gone.turns + gone.records + gone.subscriptions;
    await ctx.reply(
      total === 0
        ? "没有与您有关的保存内容，无需删除。"
        : `已删除与您有关的全部内容：提问记录 ${gone.turns} 条、评价与未答问题 ${gone.records} 条、关注的话题 ${gone.subscriptions} 个。`,
    );
  });
  return c;
}
