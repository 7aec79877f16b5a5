import { type Api, GrammyError } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Logger } from "../log.js";
import { HTML } from "./context.js";

/**
 * Telegram's broadcast limits: about 30 messages a second overall and one
 * a second to one chat (https://core.telegram.org/bots/faq#broadcasting-to-users).
 */
export interface BroadcastLimits {
  readonly perSecond: number;
  readonly perChatMs: number;
}

export const TELEGRAM_BROADCAST_LIMITS: BroadcastLimits = { perSecond: 30, perChatMs: 1000 };

export interface Outgoing {
  readonly chatId: number;
  readonly text: string;
  readonly markup?: InlineKeyboardMarkup;
  /** Called when Telegram says the member blocked the bot (403). */
  readonly onBlocked?: () => Promise<void>;
}

export interface BroadcastResult {
  readonly sent: number;
  readonly blocked: number;
  readonly failed: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends messages one at a time, paced to stay within the limits (the gap
 * between any two sends, and between two to the same chat, across calls).
 * A 429 or 5xx is retried by the API's auto-retry beneath; a 403 (the
 * member blocked the bot) calls `onBlocked`; any other failure is logged and
 * the rest still go out.
 */
export function createBroadcaster(api: Api, log: Logger, limits: BroadcastLimits = TELEGRAM_BROADCAST_LIMITS) {
  const gapMs = 1000 / limits.perSecond;
  const lastToChat = new Map<number, number>();
  let lastSend = 0;
  let queue: Promise<unknown> = Promise.resolve();

  async function sendAll(messages: readonly Outgoing[]): Promise<BroadcastResult> {
    let sent = 0;
    let blocked = 0;
    let failed = 0;
    for (const m of messages) {
      const wait = Math.max(lastSend + gapMs, (lastToChat.get(m.chatId) ?? -Infinity) + limits.perChatMs) - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        await api.sendMessage(m.chatId, m.text, { ...HTML, ...(m.markup ? { reply_markup: m.markup } : {}) });
        sent++;
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 403) {
          blocked++;
          await m.onBlocked?.();
        } else {
          failed++;
          log.warn({ err: error }, "broadcast message not sent");
        }
      } finally {
        // Counted from when the send ended: a message auto-retry held back (429) went out at its end.
        lastSend = Date.now();
        lastToChat.set(m.chatId, lastSend);
      }
    }
    return { sent, blocked, failed };
  }
  return {
    /** Broadcasts run one after another, so two rebuilds' alerts never double the rate. */
    send(messages: readonly Outgoing[]): Promise<BroadcastResult> {
      const run = queue.then(() => sendAll(messages));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
