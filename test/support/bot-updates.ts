import type { Bot, Transformer } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { createBot } from "../../src/bot/bot.js";
import type { BroadcastLimits } from "../../src/bot/broadcast.js";
import type { MembersState } from "../../src/state/create.js";
import type { SharedState } from "../../src/state/bot-state.js";
import { createLogger } from "../../src/log.js";
import type { NewsService } from "../../src/service.js";

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: "工会新闻",
  username: "union_news_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};
export const ADMIN = 1001;
export const MEMBER = 2002;
export const GROUP = -5005;

export interface Call {
  readonly method: string;
  readonly payload: Record<string, unknown>;
  /** What the recorder answered (a sent message carries its message_id). */
  readonly result?: unknown;
  /** When the call was made (ms), for pacing checks. */
  readonly at: number;
}

/** A Bot API refusal the recorder plays for one call (403 for a member who blocked the bot). */
export interface Refusal {
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { readonly retry_after?: number };
}

/**
 * A bot fed with `bot.handleUpdate`, its outgoing calls recorded by an API
 * transformer that answers them locally (grammY's documented testing
 * pattern): no network, and every call can be asserted on. The transformer
 * sits where the network is, beneath auto-retry, so a refusal it plays (a
 * 429) is retried like a real one; every attempt is recorded.
 */
export function botUnderTest(
  service: NewsService,
  opts: {
    rateLimitPerMinute?: number;
    files?: Record<string, Uint8Array>;
    /** Where uploads are really downloaded from (a loopback server), instead of `files`. */
    fileServer?: string;
    members?: MembersState;
    /** Buttons' answers, pending uploads, stats and rate limits (default this bot's memory). */
    shared?: SharedState;
    broadcastLimits?: BroadcastLimits;
    followUpMinutes?: number;
    /** Plays a Bot API refusal for the calls it returns one for. */
    refuse?: (method: string, payload: Record<string, unknown>) => Refusal | undefined;
  } = {},
) {
  const calls: Call[] = [];
  let messageId = 100;
  const network: Transformer = async (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    const refusal = opts.refuse?.(method, p);
    if (refusal) {
      calls.push({ method, payload: p, at: Date.now() });
      return { ok: false, ...refusal } as never;
    }
    const result =
      method === "sendMessage"
        ? { message_id: ++messageId, date: 0, chat: { id: p["chat_id"], type: "private" }, text: p["text"] }
        : method === "getFile"
          ? { file_id: p["file_id"], file_unique_id: "u", file_path: `documents/${String(p["file_id"])}` }
          : true;
    calls.push({ method, payload: p, result, at: Date.now() });
    return { ok: true, result } as never;
  };
  const { bot, background, alerts, members } = createBot({
    transformers: [network],
    ...(opts.members ? { members: opts.members } : {}),
    ...(opts.shared ? { shared: opts.shared } : {}),
    ...(opts.broadcastLimits ? { broadcastLimits: opts.broadcastLimits } : {}),
    ...(opts.followUpMinutes !== undefined ? { followUpMinutes: opts.followUpMinutes } : {}),
    service,
    token: "123456:TEST-TOKEN-never-logged",
    apiRoot: opts.fileServer ?? "http://127.0.0.1:9",
    adminIds: [ADMIN],
    log: createLogger("silent"),
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 100,
    botInfo: BOT_INFO,
    ...(opts.fileServer
      ? {}
      : {
          fetchFile: async (filePath: string) => {
            const bytes = opts.files?.[filePath];
            if (!bytes) throw new Error(`no test file ${filePath}`);
            return bytes;
          },
        }),
  });
  let updateId = 1;
  const send = async (update: Omit<Update, "update_id">) => {
    const before = calls.length;
    await bot.handleUpdate({ update_id: updateId++, ...update } as Update);
    return calls.slice(before);
  };
  /** Sends an update, then waits for the background work it started (rebuilds) to report. */
  const sendAndWait = async (update: Omit<Update, "update_id">) => {
    const before = calls.length;
    await send(update);
    await background.idle();
    return calls.slice(before);
  };
  return { bot: bot as Bot, calls, send, sendAndWait, background, alerts, members };
}

const user = (id: number) => ({ id, is_bot: false, first_name: `user${id}` });
let nextMessage = 1;

type ChatMessage = Message & Update.NonChannel;

function message(chatId: number, from: number, extra: Partial<Message>): ChatMessage {
  const chat = chatId < 0 ? { id: chatId, type: "group" as const, title: "工会群" } : { id: chatId, type: "private" as const, first_name: "u" };
  return { message_id: nextMessage++, date: Math.floor(Date.now() / 1000), chat, from: user(from), ...extra } as ChatMessage;
}

/** Text with `/command` entities, as Telegram sends it. */
export function text(from: number, body: string, opts: { chat?: number; replyToBot?: boolean; replyTo?: number } = {}): Omit<Update, "update_id"> {
  const command = /^\/\w+(@\w+)?/.exec(body);
  return {
    message: message(opts.chat ?? from, from, {
      text: body,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
      ...(opts.replyToBot ? { reply_to_message: message(opts.chat ?? from, BOT_INFO.id, { text: "之前的回答", from: BOT_INFO }) as never } : {}),
      ...(opts.replyTo !== undefined ? { reply_to_message: { ...message(opts.chat ?? from, BOT_INFO.id, { text: "之前的回答", from: BOT_INFO }), message_id: opts.replyTo } as never } : {}),
    }),
  };
}

export function sticker(from: number): Omit<Update, "update_id"> {
  return { message: message(from, from, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }) };
}

export function document(from: number, fileName: string, fileId: string, size = 100): Omit<Update, "update_id"> {
  return { message: message(from, from, { document: { file_id: fileId, file_unique_id: fileId, file_name: fileName, file_size: size } }) };
}

export function callback(from: number, data: string): Omit<Update, "update_id"> {
  return {
    callback_query: { id: String(nextMessage++), from: user(from), chat_instance: "ci", data, message: message(from, BOT_INFO.id, { text: "answer" }) as never },
  };
}

export const sent = (calls: readonly Call[]) => calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload["text"]));
