import { Composer, type Context, InlineKeyboard } from "grammy";
import type { Answer } from "../answer/answer.js";
import { withoutCourtesy } from "../answer/courtesy.js";
import { MAX_QUESTION_CHARS, normalizeQuestion } from "../answer/question.js";
import type { Story } from "../corpus/story.js";
import { overlaps, type Period, periodOf } from "../dates.js";
import { QuestionError } from "../errors.js";
import { decodeAction, encodeAction } from "./callbacks.js";
import { type BotEnv, HTML, replyAll } from "./context.js";
import { splitQuestions } from "../conversation/split.js";
import { contextOf, type InContext, keep, newTurnId, turnOf } from "./conversation.js";
import { exampleQuestions } from "./examples.js";
import { formatAnswer, formatMoreSources, formatStoryList, pageOfParagraph, storyDate, storyPage, storyPages } from "./format.js";
import { clip, escapeHtml } from "./html.js";
import { latestStories } from "./stories.js";

const MORE_PAGE = 3;
const LATEST_COUNT = 8;

export const MEMBER_COMMANDS = [
  { command: "start", description: "开始使用" },
  { command: "help", description: "使用说明" },
  { command: "ask", description: "提问（群里用 /ask 问题）" },
  { command: "latest", description: "最新报道" },
  { command: "story", description: "查看一篇报道：/story 编号" },
  { command: "follow", description: "关注话题，有新报道时提醒：/follow 词" },
  { command: "unfollow", description: "取消关注：/unfollow 词" },
  { command: "following", description: "我关注的话题" },
  { command: "privacy", description: "保存了什么、怎么删除" },
  { command: "forget", description: "删除与我有关的全部记录" },
] as const;

const HELP = [
  "<b>怎么用</b>",
  "直接发送问题即可，我会从已收录的工会新闻中找出答案并注明出处。",
  "",
  "/latest — 最新报道",
  "/story 编号 — 查看一篇报道全文",
  "/ask 问题 — 在群里提问（也可以 @我 或回复我的消息）",
  "接着问：回复我的回答，或在私聊中几分钟内直接追问（如“那二等奖呢？”“他是哪个单位的？”）",
  "回答下方的 👍/👎 — 告诉我答得好不好",
  "/follow 词 — 关注话题，有新报道时提醒；/unfollow 词 取消；/following 查看",
  "/privacy — 保存了什么、保存多久；/forget — 全部删除",
  "/help — 本说明",
];

/** `例如：…` from the index, or a pointer to /latest when no example is answerable. */
async function exampleHint(env: BotEnv): Promise<string> {
  const [example] = await exampleQuestions(env.service.engine());
  return example ? `例如：${example}` : "发送 /latest 可以看看最新报道都讲了什么。";
}

/** A question that cannot be asked as sent, told in the presenter's words, with an example from the news served. */
async function questionAdvice(env: BotEnv, error: QuestionError): Promise<string> {
  switch (error.kind) {
    case "too-long":
      return `问题太长了（超过${MAX_QUESTION_CHARS}字），请用一两句话概括您想了解的内容。`;
    case "empty":
      return `请输入您想了解的问题。${await exampleHint(env)}`;
    case "no-words":
      return `没有看懂这条消息，请用文字提出问题。${await exampleHint(env)}`;
    case "no-topic":
      return error.period === undefined
        ? "想了解哪方面的新闻？可以直接问具体的活动、单位或人物。下面是最新报道："
        : `想了解${error.period.label}哪方面的新闻？可以直接问具体的活动、单位或人物。`;
    case "greeting":
      return `您好！我是工会新闻问答机器人，直接发送您想了解的问题即可，我会从已收录的工会新闻中找答案并注明出处。${await exampleHint(env)}`;
    case "thanks":
    case "acknowledgement":
      return error.message;
    case "about-bot":
      return "我是工会新闻问答机器人，下面是使用说明：";
  }
}

/** `可以这样问：` and a bullet per example (HTML); nothing when there is none. */
function exampleList(examples: readonly string[]): string[] {
  return examples.length > 0 ? ["可以这样问：", ...examples.map((q) => `• ${escapeHtml(q)}`)] : [];
}

/** What members can do: ask, browse, and press the buttons under answers. */
export function memberHandlers(env: BotEnv): Composer<Context> {
  const c = new Composer<Context>();
  const engine = () => env.service.engine();

  c.command("start", async (ctx) => {
    const stories = engine().stories;
    const [newestStory] = latestStories(stories, 1);
    const newest = newestStory ? storyDate(newestStory) : "无";
    const examples = await exampleQuestions(engine());
    await replyAll(ctx, [
      [
        "您好！我是工会新闻问答机器人。",
        `我读过 <b>${stories.length}</b> 篇工会报道（最新：${escapeHtml(newest)}），可以回答与这些新闻有关的问题，并注明出处。`,
        "",
        ...(examples.length > 0 ? exampleList(examples) : ["发送 /latest 看看最新报道，再就其中的内容提问。"]),
        "",
        "发送 /help 查看全部命令。",
      ].join("\n"),
    ]);
  });
  c.command("help", (ctx) => sendHelp(env, ctx));
  c.command("latest", (ctx) => sendLatest(env, ctx));
  c.command("story", async (ctx) => {
    const id = ctx.match.trim();
    const story = id === "" ? undefined : engine().story(id);
    if (!story) {
      await ctx.reply(id === "" ? "请在命令后写上报道编号，例如 /story 编号。发送 /latest 可以看到编号。" : "没有找到这个编号的报道。发送 /latest 查看最新报道。");
      return;
    }
    await sendStoryPage(ctx, story, 0);
  });
  c.command("ask", async (ctx) => {
    if (ctx.match.trim() === "") {
      const [example] = await exampleQuestions(engine());
      await ctx.reply(example ? `请在 /ask 后面写上问题，例如：/ask ${example}` : "请在 /ask 后面写上问题，例如：/ask 问题");
      return;
    }
    await answerQuestion(env, ctx, ctx.match);
  });

  c.on("callback_query:data", async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    if (action?.kind === "story") {
      const story = engine().story(action.storyId);
      if (!story) return void (await ctx.answerCallbackQuery({ text: "这篇报道已不在新闻库中了，请重新提问。", show_alert: true }));
      await ctx.answerCallbackQuery();
      return void (await sendStoryPage(ctx, story, action.paragraph, action.page));
    }
    const answer = action?.kind === "more" ? await env.answers.get(action.answerId) : undefined;
    if (!answer || action?.kind !== "more") {
      return void (await ctx.answerCallbackQuery({ text: "这个按钮已过期，请重新提问。", show_alert: true }));
    }
    await ctx.answerCallbackQuery();
    const rest = uncitedPassages(answer);
    const page = rest.slice(action.offset, action.offset + MORE_PAGE);
    const next = action.offset + MORE_PAGE;
    const keyboard = next < rest.length ? new InlineKeyboard().text("更多", encodeAction({ kind: "more", answerId: action.answerId, offset: next })) : undefined;
    await replyAll(ctx, formatMoreSources(page, answer.citations.length + action.offset + 1), keyboard ? { reply_markup: keyboard } : {});
  });

  c.chatType("private").on("message:text", async (ctx) => {
    if (ctx.message.text.startsWith("/")) return void (await ctx.reply("没有这个命令。发送 /help 查看可以用的命令。"));
    await answerQuestion(env, ctx, ctx.message.text);
  });
  c.chatType(["group", "supergroup"]).on("message:text", async (ctx) => {
    const username = ctx.me.username;
    const text = ctx.message.text;
    const mentioned = username !== undefined && text.toLowerCase().includes(`@${username.toLowerCase()}`);
    const repliedToBot = ctx.message.reply_to_message?.from?.id === ctx.me.id;
    if (!mentioned && !repliedToBot) return;
    const question = mentioned ? text.replace(new RegExp(`@${username}`, "gi"), " ") : text;
    await answerQuestion(env, ctx, question);
  });
  c.chatType("private").on("message", async (ctx) => ctx.reply(`我只能回答文字提问。请用文字描述您想了解的内容。${await exampleHint(env)}`));
  return c;
}

/** What members can do, with examples from the news served: `/help`, and the reply to `你能做什么？`. */
async function sendHelp(env: BotEnv, ctx: Context): Promise<void> {
  const examples = await exampleQuestions(env.service.engine());
  await replyAll(ctx, [[...HELP, "", ...exampleList(examples)].join("\n")]);
}

/**
 * The newest stories, each with a button that opens it: `/latest`, and the
 * reply to `最新消息`; given a period (`上个月有什么新闻`), the newest of that
 * period's stories, or, when the news has none of it, the newest after saying so.
 */
async function sendLatest(env: BotEnv, ctx: Context, asked?: { readonly period: Period; readonly label: string }): Promise<void> {
  const stories = env.service.engine().stories;
  const inPeriod = asked === undefined ? [] : stories.filter((s) => {
    const p = periodOf(s.date);
    return p !== undefined && overlaps(p, asked.period);
  });
  if (asked !== undefined && inPeriod.length === 0) await ctx.reply(`已收录的新闻中没有${asked.label}的报道。`);
  const latest = latestStories(inPeriod.length > 0 ? inPeriod : stories, LATEST_COUNT);
  const keyboard = new InlineKeyboard();
  latest.forEach((s, i) => storyButton(keyboard, i, s.title, s.id, 0));
  const heading = asked !== undefined && inPeriod.length > 0 ? `${asked.label}的报道` : undefined;
  await replyAll(ctx, formatStoryList(latest, heading), { reply_markup: keyboard });
}

/**
 * One page of a story, opened on the page holding `paragraph` unless a page
 * is asked for, with `上一页`/`下一页` buttons: one message per press, however
 * long the story.
 */
async function sendStoryPage(ctx: Context, story: Story, paragraph: number, page?: number): Promise<void> {
  const pages = storyPages(story, paragraph > 0 ? paragraph : undefined);
  const at = Math.min(page ?? pageOfParagraph(pages, paragraph), pages.length - 1);
  const keyboard = new InlineKeyboard();
  if (at > 0) keyboard.text("上一页", encodeAction({ kind: "story", storyId: story.id, paragraph, page: at - 1 }));
  if (at < pages.length - 1) keyboard.text("下一页", encodeAction({ kind: "story", storyId: story.id, paragraph, page: at + 1 }));
  const hasButtons = keyboard.inline_keyboard.some((row) => row.length > 0);
  await ctx.reply(storyPage(pages, at), { ...HTML, ...(hasButtons ? { reply_markup: keyboard } : {}) });
}

/** A numbered button that opens a story at a paragraph, on a row of its own: `1. 全国总工会启动…`. */
function storyButton(keyboard: InlineKeyboard, i: number, title: string, storyId: string, paragraph: number): void {
  keyboard.text(`${i + 1}. ${clip(title, 20)}`, encodeAction({ kind: "story", storyId, paragraph })).row();
}

/**
 * The stories a refusal lists as closest, each opened at its best paragraph: a
 * member whose words the news puts otherwise mostly finds the answer there
 * (of the answerable questions refused across the question sets, 63 of 70
 * had the right story among these three; see README, *The Telegram bot*).
 */
function closestStories(a: Answer): { readonly title: string; readonly storyId: string; readonly paragraph: number }[] {
  return a.closestTitles.flatMap((title) => {
    const p = a.passages.find((q) => q.title === title);
    return p === undefined ? [] : [{ title, storyId: p.storyId, paragraph: p.paragraph }];
  });
}

/** Passages retrieved but not cited: what `更多` pages through. */
function uncitedPassages(a: Answer) {
  const cited = new Set(a.citations.map((c) => `${c.storyId}:${c.paragraph}`));
  return a.passages.filter((p) => !cited.has(`${p.storyId}:${p.paragraph}`));
}

/** Answers a member's message: several questions in it one by one, each in its own reply (see `splitQuestions`). */
export async function answerQuestion(env: BotEnv, ctx: Context, message: string): Promise<void> {
  for (const question of splitQuestions(env.service.segmenter, message)) await answerOne(env, ctx, question);
}

/**
 * Asks the engine and replies with the answer, its sources and buttons
 * (原文, 更多, 👍/👎); logs one line per question. A follow-up is asked as
 * read in its context, preferring the story the previous answer cited, and
 * the reply says how it was read. The answer is kept as the context of the
 * next message, and a refusal is recorded for /unanswered.
 */
async function answerOne(env: BotEnv, ctx: Context, question: string): Promise<void> {
  const replyTo = ctx.chat?.type === "private" || !ctx.msg ? {} : { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } };
  await ctx.replyWithChatAction("typing").catch((error: unknown) => env.log.debug({ err: error }, "sendChatAction failed"));
  let context: InContext | undefined;
  let answer: Answer;
  try {
    // Courtesy is set aside first: `谢谢` after an answer is no follow-up to read in its context.
    const asked = withoutCourtesy(normalizeQuestion(question));
    context = await contextOf(env, ctx, asked).catch((error: unknown) => void env.log.warn({ err: error }, "conversation context unavailable"));
    answer = await env.service.engine().ask(context?.followUp.resolved ?? question, context ? { preferStories: context.previous.citations.map((c) => c.storyId) } : {});
  } catch (error) {
    if (!(error instanceof QuestionError)) throw error;
    env.log.info({ chat: ctx.chat?.type, rejected: error.kind }, "question rejected");
    await ctx.reply(await questionAdvice(env, error), replyTo);
    // Asked for news in general, the member is shown what is newest; asked about the bot, how to use it.
    if (error.kind === "no-topic") await sendLatest(env, ctx, error.period);
    if (error.kind === "about-bot") await sendHelp(env, ctx);
    return;
  }
  await keep(env, "stats", () => env.stats.count(answer.abstained ? "abstained" : "answered"));
  env.log.info(
    { chat: ctx.chat?.type, mode: answer.mode, latencyMs: answer.latencyMs, abstained: answer.abstained, citations: answer.citations.length, followUp: context?.followUp.kind },
    "question answered",
  );
  env.log.debug({ question: answer.question }, "question text");
  const turnId = newTurnId();
  const keyboard = new InlineKeyboard();
  for (const c of answer.citations) keyboard.text(`原文[${c.n}]`, encodeAction({ kind: "story", storyId: c.storyId, paragraph: c.paragraph }));
  if (answer.abstained) closestStories(answer).forEach((c, i) => storyButton(keyboard, i, c.title, c.storyId, c.paragraph));
  // Without a stored answer there is no 更多 button: a button that can only say "expired" is worse than none.
  const moreId = uncitedPassages(answer).length > 0 && !answer.abstained ? await keep(env, "answer for 更多", () => env.answers.put(answer)) : undefined;
  if (moreId !== undefined) keyboard.row().text("更多", encodeAction({ kind: "more", answerId: moreId, offset: 0 }));
  keyboard.row().text("👍", encodeAction({ kind: "vote", answerId: turnId, vote: "up" })).text("👎", encodeAction({ kind: "vote", answerId: turnId, vote: "down" }));
  const messages = await replyAll(ctx, formatAnswer(answer, context ? answer.question : undefined), { ...replyTo, reply_markup: keyboard });
  if (ctx.from === undefined || ctx.chat === undefined) return;
  const turn = turnOf(env, ctx, turnId, question, answer, messages.map((m) => m.message_id));
  await keep(env, "conversation turn", () => env.members.store.putTurn(turn));
  if (answer.abstained) {
    const { id: _id, chat: _chat, messageIds: _ids, resolved, abstained: _a, ...rest } = turn;
    await keep(env, "refused question", () => env.members.store.putRecord({ ...rest, kind: "refused", answerId: turnId, question: resolved }));
  }
}
