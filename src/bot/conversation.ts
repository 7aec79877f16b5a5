import { randomBytes } from "node:crypto";
import type { Context } from "grammy";
import type { Answer } from "../answer/answer.js";
import { type FollowUp, readFollowUp } from "../conversation/followup.js";
import type { Turn } from "../state/store.js";
import type { BotEnv } from "./context.js";

/** A private message longer than this is a question of its own, however soon it follows an answer. */
const SHORT_FOLLOW_UP_CHARS = 30;

/** What a message is read against: the turn it follows up, and how it was read. */
export interface InContext {
  readonly previous: Turn;
  readonly followUp: FollowUp;
}

/**
 * The context a member's message is read in. A reply to one of the bot's
 * answers (in a group, the only way) is read against that answer; in a
 * private chat a short message within FOLLOWUP_MINUTES of the last answer is
 * too. Either way it is a follow-up only when it lacks a subject of its own
 * (`readFollowUp`): a new topic starts fresh.
 */
export async function contextOf(env: BotEnv, ctx: Context, question: string): Promise<InContext | undefined> {
  if (ctx.chat === undefined) return undefined;
  const { store, identity } = env.members;
  const chat = identity.chat(ctx.chat.id);
  const reply = ctx.msg?.reply_to_message;
  let previous: Turn | undefined;
  if (reply !== undefined && reply.from?.id === ctx.me.id) {
    previous = await store.turnByMessage(chat, reply.message_id);
  } else if (ctx.chat.type === "private" && [...question.trim()].length <= SHORT_FOLLOW_UP_CHARS) {
    const last = await store.lastTurn(chat);
    if (last !== undefined && Date.now() - last.at <= env.followUpMs) previous = last;
  }
  if (previous === undefined) return undefined;
  const followUp = readFollowUp(env.service.segmenter, question, previous.resolved);
  return followUp === undefined ? undefined : { previous, followUp };
}

/** A fresh id for an answer's buttons (11 characters, well within callback data's 64 bytes). */
export function newTurnId(): string {
  return randomBytes(8).toString("base64url");
}

/** The answer as stored: what the member asked, how it was read, what came back and from which build. */
export function turnOf(env: BotEnv, ctx: Context, id: string, question: string, answer: Answer, messageIds: readonly number[]): Turn {
  const { identity } = env.members;
  return {
    id,
    user: identity.user(ctx.from!.id),
    chat: identity.chat(ctx.chat!.id),
    messageIds,
    question: question.trim(),
    resolved: answer.question,
    answer: answer.answer,
    abstained: answer.abstained,
    citations: answer.citations.map((c) => ({ storyId: c.storyId, paragraph: c.paragraph, title: c.title })),
    mode: answer.mode,
    build: env.service.manifest().builtAt,
    at: Date.now(),
  };
}

/**
 * Stored state (members' context, answers behind buttons, counters) is a
 * convenience: a failed write (a database out of reach) is logged, and the
 * member is still answered. Undefined when the write failed.
 */
export async function keep<T>(env: BotEnv, what: string, write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    env.log.warn({ err: error, what }, "state not saved");
    return undefined;
  }
}
