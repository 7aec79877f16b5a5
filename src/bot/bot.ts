import { autoRetry } from "@grammyjs/auto-retry";
import { limit } from "@grammyjs/ratelimiter";
import { Bot, type Context, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "../log.js";
import type { NewsService } from "../service.js";
import { adminHandlers } from "./admin.js";
import { createAnswerCache } from "./callbacks.js";
import type { BotEnv } from "./context.js";
import { memberHandlers } from "./member.js";
import { type BotStats, createStats } from "./stats.js";

export interface BotOptions {
  readonly service: NewsService;
  readonly token: string;
  readonly apiRoot: string;
  readonly adminIds: readonly number[];
  readonly log: Logger;
  readonly rateLimitPerMinute: number;
  /** Known bot identity, so tests need no getMe; in production grammY fetches it. */
  readonly botInfo?: UserFromGetMe;
  /** Test seam for downloading uploads; defaults to the Bot API file endpoint. */
  readonly fetchFile?: (filePath: string) => Promise<Uint8Array>;
  /**
   * Test seam: API transformers installed beneath auto-retry, where the
   * network is, so a simulated 429 from them is retried like a real one.
   */
  readonly transformers?: readonly Transformer[];
}

/**
 * Builds the bot: Telegram 429/5xx are retried (auto-retry), each member is
 * rate-limited, admins' commands come before members' so an admin's upload
 * is not taken for a question, and any failure gets a polite reply.
 */
export function createBot(opts: BotOptions): { bot: Bot; stats: BotStats } {
  const bot = new Bot(opts.token, {
    client: { apiRoot: opts.apiRoot },
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
  });
  for (const t of opts.transformers ?? []) bot.api.config.use(t);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  const stats = createStats();
  const env: BotEnv = {
    service: opts.service,
    log: opts.log,
    adminIds: opts.adminIds,
    answers: createAnswerCache(),
    stats,
    fetchFile: opts.fetchFile ?? ((filePath) => downloadFile(opts.apiRoot, opts.token, filePath)),
  };
  bot.use(
    limit<Context, never>({
      timeFrame: 60_000,
      limit: opts.rateLimitPerMinute,
      keyGenerator: (ctx) => (ctx.callbackQuery ? undefined : ctx.from?.id.toString()),
      onLimitExceeded: (ctx) => {
        opts.log.info({ user: ctx.from?.id }, "rate limited");
        void ctx.reply("您提问太频繁了，请稍等一分钟再问。").catch(() => {});
      },
    }),
  );
  bot.use(adminHandlers(env));
  bot.use(memberHandlers(env));
  bot.catch(async (err) => {
    opts.log.error({ err: err.error, updateId: err.ctx.update.update_id }, "update failed");
    await err.ctx.reply("抱歉，处理这条消息时出了问题，请稍后再试。").catch(() => {});
  });
  return { bot, stats };
}

async function downloadFile(apiRoot: string, token: string, filePath: string): Promise<Uint8Array> {
  const response = await fetch(`${apiRoot}/file/bot${token}/${filePath}`);
  if (!response.ok) throw new Error(`downloading an uploaded file failed: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
