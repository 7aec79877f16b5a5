import { Composer, type Context } from "grammy";
import { normalizeQuestion } from "../answer/question.js";
import { QuestionError } from "../errors.js";
import type { BotEnv } from "./context.js";
import { escapeHtml } from "./html.js";

const MAX_TOPIC_CHARS = 30;
const MAX_TOPICS = 10;

/** /follow, /unfollow, /following: topic alerts, in private chats (alerts are personal). */
export function followHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();
  const { store, identity } = env.members;
  const privateOnly = "请在与我的私聊中使用这个命令。";
  const topicsOf = async (user: string) => (await store.subscriptions()).filter((s) => s.user === user).map((s) => s.topic);

  c.command("follow", async (ctx) => {
    if (ctx.chat.type !== "private") return void (await ctx.reply(privateOnly));
    let topic: string;
    try {
      topic = normalizeQuestion(ctx.match);
    } catch (error) {
      if (!(error instanceof QuestionError)) throw error;
      return void (await ctx.reply("请在 /follow 后面写上想关注的话题，例如：/follow 送清凉"));
    }
    if ([...topic].length > MAX_TOPIC_CHARS) return void (await ctx.reply(`话题太长了（最多${MAX_TOPIC_CHARS}字），请写几个关键词。`));
    const user = identity.user(ctx.from!.id);
    if ((await topicsOf(user)).length >= MAX_TOPICS) return void (await ctx.reply(`最多关注 ${MAX_TOPICS} 个话题。请先用 /unfollow 取消一个。`));
    // Not `keep`: a subscription that was not saved must not be confirmed (the member gets the error reply instead).
    const added = await store.follow({ user, sealedChat: identity.seal(ctx.chat.id), topic, at: Date.now() });
    await ctx.reply(
      added
        ? `已关注“${escapeHtml(topic)}”。以后新闻库加入与它有关的报道时，我会发消息告诉您。\n取消：/unfollow ${escapeHtml(topic)}`
        : `您已经关注了“${escapeHtml(topic)}”。`,
      { parse_mode: "HTML" },
    );
  });

  c.command("unfollow", async (ctx) => {
    if (ctx.chat.type !== "private") return void (await ctx.reply(privateOnly));
    const user = identity.user(ctx.from!.id);
    const topic = ctx.match.trim();
    if (topic === "") {
      const topics = await topicsOf(user);
      return void (await ctx.reply(topics.length === 0 ? "您还没有关注任何话题。" : `请写上要取消的话题，例如：/unfollow ${topics[0]}\n全部取消：/unfollow 全部`));
    }
    const removed = await store.unfollow(user, topic === "全部" ? undefined : normalizeTopic(topic));
    await ctx.reply(removed === 0 ? `您没有关注“${topic}”。发送 /following 查看关注的话题。` : topic === "全部" ? `已取消全部 ${removed} 个关注。` : `已取消关注“${topic}”。`);
  });

  c.command("following", async (ctx) => {
    const topics = await topicsOf(identity.user(ctx.from!.id));
    await ctx.reply(topics.length === 0 ? "您还没有关注任何话题。例如发送：/follow 送清凉" : ["您关注的话题：", ...topics.map((t) => `• ${t}`), "", "取消：/unfollow 话题"].join("\n"));
  });
  return c;
}

function normalizeTopic(topic: string): string {
  try {
    return normalizeQuestion(topic);
  } catch {
    return topic;
  }
}
