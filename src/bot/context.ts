import type { Context } from "grammy";
import type { Message } from "grammy/types";
import type { Logger } from "../log.js";
import type { NewsService } from "../service.js";
import type { Answer } from "../answer/answer.js";
import type { MembersState } from "../state/create.js";
import type { EphemeralStore } from "../state/ephemeral.js";
import type { PendingUpload } from "../state/bot-state.js";
import type { StatsStore } from "../state/stats.js";
import type { Alerts } from "./alerts.js";
import type { BackgroundJobs } from "./background.js";

/** What every handler shares; built once in `createBot`. */
export interface BotEnv {
  readonly service: NewsService;
  readonly log: Logger;
  readonly adminIds: readonly number[];
  /** The answers behind `更多` buttons (shared by instances on one database). */
  readonly answers: EphemeralStore<Answer>;
  /** Admins' uploads waiting for 替换/保留. */
  readonly uploads: EphemeralStore<PendingUpload>;
  readonly stats: StatsStore;
  /** Downloads a file Telegram stored for the bot (an admin's upload), reading at most `maxBytes`. */
  readonly fetchFile: (filePath: string, maxBytes: number) => Promise<Uint8Array>;
  /** Long work (rebuilds) that replies when done instead of holding up the update. */
  readonly background: BackgroundJobs;
  /** Members' state (context, feedback, subscriptions) and how ids are hashed in it. */
  readonly members: MembersState;
  /** How long after an answer a short private message may be a follow-up to it. */
  readonly followUpMs: number;
  /** Topic alerts, sent after a rebuild adds stories. */
  readonly alerts: Alerts;
}

export const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

export function isAdmin(env: BotEnv, ctx: Context): boolean {
  return ctx.from !== undefined && env.adminIds.includes(ctx.from.id);
}

/** Sends HTML messages in order; the keyboard goes under the last one, where the member's eye ends. */
export async function replyAll(ctx: Context, messages: readonly string[], extra: Parameters<Context["reply"]>[1] = {}): Promise<Message.TextMessage[]> {
  const { reply_markup: markup, ...rest } = extra ?? {};
  const sentMessages: Message.TextMessage[] = [];
  for (const [i, text] of messages.entries()) {
    const last = i === messages.length - 1;
    sentMessages.push(await ctx.reply(text, { ...HTML, ...rest, ...(last && markup ? { reply_markup: markup } : {}) }));
  }
  return sentMessages;
}
