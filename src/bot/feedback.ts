import { Composer, type Context, InlineKeyboard } from "grammy";
import { groupQuestions, summarizeVotes } from "../feedback/summary.js";
import type { DownReason, FeedbackRecord } from "../state/store.js";
import { decodeAction, DOWN_REASONS, encodeAction } from "./callbacks.js";
import { type BotEnv, isAdmin, replyAll } from "./context.js";
import { keep } from "./conversation.js";
import { clip, escapeHtml } from "./html.js";

export const FEEDBACK_ADMIN_COMMANDS = [
  { command: "unanswered", description: "（管理员）近7天没答上的问题" },
  { command: "feedback", description: "（管理员）👍/👎 统计与最近的 👎" },
] as const;

const REASON_TEXT: Readonly<Record<DownReason, string>> = { "off-point": "没答到点上", "wrong-source": "引用的报道不对", outdated: "信息过时" };
const WEEK_MS = 7 * 86_400_000;
const UNANSWERED_SHOWN = 10;
const REFUSED = "抱歉，这个命令只有管理员可以使用。";

/**
 * 👍/👎 under answers (one tap, changeable; the first 👎 asks once,
 * optionally, 哪里不对？) and the admins' view of what members said:
 * /unanswered and /feedback. Members are stored as keyed hashes only.
 */
export function feedbackHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();
  const { store, identity } = env.members;

  c.callbackQuery(/^fb:/, async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const turn = action?.kind === "vote" ? await store.turn(action.answerId) : undefined;
    if (action?.kind !== "vote" || turn === undefined) return void (await ctx.answerCallbackQuery({ text: "这个回答已过期，无法评价了。", show_alert: true }));
    const user = identity.user(ctx.from.id);
    const before = await store.vote(turn.id, user);
    const askWhy = action.vote === "down" && before?.askedWhy !== true;
    const record: FeedbackRecord = {
      kind: "vote",
      answerId: turn.id,
      user,
      vote: action.vote,
      at: Date.now(),
      ...(before?.askedWhy || askWhy ? { askedWhy: true } : {}),
      // A 👎 keeps what was asked and answered, for an admin to label; a 👍 only counts.
      ...(action.vote === "down"
        ? { question: turn.resolved, answer: turn.answer, citations: turn.citations, mode: turn.mode, build: turn.build, ...(before?.reason ? { reason: before.reason } : {}) }
        : {}),
    };
    await keep(env, "vote", () => store.putRecord(record));
    const changed = before !== undefined && before.vote !== action.vote;
    await ctx.answerCallbackQuery({ text: `${changed ? "已改为" : "已记下"} ${action.vote === "up" ? "👍" : "👎"}，谢谢！（可以随时改）` });
    if (askWhy) {
      const keyboard = new InlineKeyboard();
      for (const reason of DOWN_REASONS) keyboard.text(REASON_TEXT[reason], encodeAction({ kind: "why", answerId: turn.id, reason })).row();
      await ctx.reply("哪里不对？（可选，点一下即可）", { reply_markup: keyboard });
    }
  });

  c.callbackQuery(/^why:/, async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    if (action?.kind !== "why") return void (await ctx.answerCallbackQuery({ text: "这个按钮已过期。", show_alert: true }));
    const user = identity.user(ctx.from.id);
    const vote = await store.vote(action.answerId, user);
    if (vote?.vote !== "down") return void (await ctx.answerCallbackQuery({ text: "这个按钮已过期。", show_alert: true }));
    await keep(env, "down reason", () => store.putRecord({ ...vote, reason: action.reason, at: Date.now() }));
    await ctx.answerCallbackQuery({ text: `已记下：${REASON_TEXT[action.reason]}。谢谢！` });
    // grammY throws at once (not a rejection) when the press carries no message to edit.
    await Promise.resolve()
      .then(() => ctx.editMessageReplyMarkup())
      .catch((error: unknown) => env.log.debug({ err: error }, "could not remove the buttons"));
  });

  c.command("unanswered", async (ctx) => {
    if (!isAdmin(env, ctx)) return void (await ctx.reply(REFUSED));
    const refused = (await store.records(Date.now() - WEEK_MS)).filter((r) => r.kind === "refused");
    await replyAll(ctx, [formatUnanswered(refused)]);
  });

  c.command("feedback", async (ctx) => {
    if (!isAdmin(env, ctx)) return void (await ctx.reply(REFUSED));
    await replyAll(ctx, [formatFeedback(await store.records(), env.members.store.durable)]);
  });
  return c;
}

/** The most frequent refused questions of the week, near-duplicates grouped, in Chinese HTML. */
export function formatUnanswered(refused: readonly FeedbackRecord[]): string {
  if (refused.length === 0) return "近7天没有答不上的问题。";
  const groups = groupQuestions(refused);
  const lines = groups.slice(0, UNANSWERED_SHOWN).map((g, i) => {
    const variants = g.variants.length === 0 ? "" : `\n    相近问法：${g.variants.slice(0, 3).map((v) => escapeHtml(clip(v, 40))).join("；")}`;
    return `${i + 1}. ${escapeHtml(clip(g.question, 80))}（${g.count} 次）${variants}`;
  });
  const more = groups.length > UNANSWERED_SHOWN ? [`…另有 ${groups.length - UNANSWERED_SHOWN} 组`] : [];
  return [`<b>近7天没答上的问题</b>（共 ${refused.length} 次，${groups.length} 组）`, ...lines, ...more, "", "导出为评测题：npm run feedback -- --export 文件名"].join("\n");
}

/** The 👍/👎 ratio and the latest 👎 with what was asked and cited. */
export function formatFeedback(records: readonly FeedbackRecord[], durable: boolean): string {
  const s = summarizeVotes(records);
  const total = s.up + s.down;
  const head = [
    "<b>回答评价</b>",
    total === 0 ? "还没有人评价过回答。" : `👍 ${s.up}　👎 ${s.down}（好评率 ${Math.round((s.up / total) * 100)}%）`,
    ...(s.down > 0 ? [`👎 的原因：${DOWN_REASONS.map((r) => `${REASON_TEXT[r]} ${s.reasons[r]}`).join("，")}`] : []),
    ...(durable ? [] : ["⚠ 未设置 STATE_SECRET：评价只保存在内存中，重启后清空。"]),
  ];
  const recent = s.recentDown.map((r) => {
    const cited = (r.citations ?? []).map((c) => `《${escapeHtml(clip(c.title, 30))}》第${c.paragraph}段`).join("、") || "（没有引用）";
    return `• ${escapeHtml(clip(r.question ?? "", 60))}\n    引用：${cited}${r.reason ? `\n    原因：${REASON_TEXT[r.reason]}` : ""}`;
  });
  return [...head, ...(recent.length > 0 ? ["", "<b>最近的 👎</b>", ...recent] : [])].join("\n");
}
