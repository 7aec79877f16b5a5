import { autoRetry } from "@grammyjs/auto-retry";
import { limit } from "@grammyjs/ratelimiter";
import { Bot, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "../log.js";
import type { NewsService } from "../service.js";
import { memoryMembersState, type MembersState } from "../state/create.js";
import { memorySharedState, RATE_LIMIT_WINDOW_MS, type RateLimitCounter, type SharedState } from "../state/bot-state.js";
import type { StatsStore } from "../state/stats.js";
import { adminHandlers } from "./admin.js";
import { type Alerts, createAlerts } from "./alerts.js";
import type { BroadcastLimits } from "./broadcast.js";
import { feedbackHandlers } from "./feedback.js";
import { followHandlers } from "./follow.js";
import { privacyHandlers } from "./privacy.js";
import { type BackgroundJobs, createBackgroundJobs } from "./background.js";
import type { BotEnv } from "./context.js";
import { downloadTelegramFile } from "./download.js";
import { memberHandlers } from "./member.js";

export interface BotOptions {
  readonly service: NewsService;
  readonly token: string;
  readonly apiRoot: string;
  readonly adminIds: readonly number[];
  readonly log: Logger;
  readonly rateLimitPerMinute: number;
  /** Known bot identity, so tests need no getMe; in production grammY fetches it. */
  readonly botInfo?: UserFromGetMe;
  /** Test seam for downloading uploads; defaults to the Bot API file endpoint, capped at `maxBytes`. */
  readonly fetchFile?: (filePath: string, maxBytes: number) => Promise<Uint8Array>;
  /**
   * Test seam: API transformers installed beneath auto-retry, where the
   * network is, so a simulated 429 from them is retried like a real one.
   */
  readonly transformers?: readonly Transformer[];
  /** Members' state (context, feedback, subscriptions); default: memory only. */
  readonly members?: MembersState;
  /** Answers behind buttons, pending uploads, stats and rate-limit counters; default: this process's memory. */
  readonly shared?: SharedState;
  /** How long after an answer a short private message may follow it up (default 5). */
  readonly followUpMinutes?: number;
  /** Pace of topic alerts; default Telegram's broadcast limits. */
  readonly broadcastLimits?: BroadcastLimits;
}

/**
 * Builds the bot: Telegram 429/5xx are retried (auto-retry), each member is
 * rate-limited (messages and button presses alike, admins never), admins'
 * commands come before members' so an admin's upload is not taken for a
 * question, and any failure gets a polite reply.
 */
export function createBot(opts: BotOptions): { bot: Bot; stats: StatsStore; background: BackgroundJobs; alerts: Alerts; members: MembersState } {
  const bot = new Bot(opts.token, {
    client: { apiRoot: opts.apiRoot },
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
  });
  for (const t of opts.transformers ?? []) bot.api.config.use(t);
  // getMe and getUpdates have retry loops of their own (initWithRetry, the runner) with shorter waits;
  // auto-retry would retry their network failures silently, for up to an hour between attempts.
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 });
  bot.api.config.use((prev, method, payload, signal) =>
    method === "getMe" || method === "getUpdates" ? prev(method, payload, signal) : retry(prev, method, payload, signal),
  );
  const shared = opts.shared ?? memorySharedState();
  const stats = shared.stats;
  const background = createBackgroundJobs(opts.log);
  const members = opts.members ?? memoryMembersState();
  // Alerts send through bot.api, so they are retried (auto-retry) like every other call.
  const alerts = createAlerts({ api: bot.api, service: opts.service, members, log: opts.log, ...(opts.broadcastLimits ? { limits: opts.broadcastLimits } : {}) });
  const env: BotEnv = {
    service: opts.service,
    log: opts.log,
    adminIds: opts.adminIds,
    answers: shared.answers,
    uploads: shared.uploads,
    stats,
    fetchFile: opts.fetchFile ?? ((filePath, maxBytes) => downloadTelegramFile(opts.apiRoot, opts.token, filePath, maxBytes)),
    background,
    members,
    followUpMs: (opts.followUpMinutes ?? 5) * 60_000,
    alerts,
  };
  bot.use(
    limit<Context, RateLimitCounter>({
      timeFrame: RATE_LIMIT_WINDOW_MS,
      limit: opts.rateLimitPerMinute,
      // Shared counters when instances share a database, so a member's budget is one whichever instance answers.
      storageClient: shared.rateLimits,
      // One budget per person for messages and button presses: a press can cost as much as a question.
      keyGenerator: (ctx) => (ctx.from === undefined || opts.adminIds.includes(ctx.from.id) ? undefined : ctx.from.id.toString()),
      onLimitExceeded: (ctx) => {
        opts.log.info({ chat: ctx.chat?.type }, "rate limited");
        const told = ctx.callbackQuery
          ? ctx.answerCallbackQuery({ text: "您操作太频繁了，请稍等一分钟再试。", show_alert: true })
          : ctx.reply("您提问太频繁了，请稍等一分钟再问。");
        void told.catch(() => {});
      },
    }),
  );
  bot.use(adminHandlers(env));
  bot.use(feedbackHandlers(env));
  bot.use(followHandlers(env));
  bot.use(privacyHandlers(env));
  bot.use(memberHandlers(env));
  // Never throws: a rejection from here would escape handleUpdate (in webhook mode, after the request was answered).
  bot.catch(async (err) => {
    try {
      opts.log.error({ err: err.error, updateId: err.ctx.update.update_id }, "update failed");
      await err.ctx.reply("抱歉，处理这条消息时出了问题，请稍后再试。").catch(() => {});
    } catch {
      // nothing left to tell anyone
    }
  });
  return { bot, stats, background, alerts: env.alerts, members: env.members };
}
