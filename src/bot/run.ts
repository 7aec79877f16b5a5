import type { Server } from "node:http";
import { run } from "@grammyjs/runner";
import type { Bot, Transformer } from "grammy";
import type { Logger } from "../log.js";
import type { NewsService } from "../service.js";
import type { Pool } from "../db/postgres.js";
import { createMembersState, type MembersState } from "../state/create.js";
import { openBotState } from "../state/open.js";
import type { SharedState } from "../state/bot-state.js";
import { ADMIN_COMMANDS } from "./admin.js";
import type { BackgroundJobs } from "./background.js";
import { createBot } from "./bot.js";
import { initWithRetry, type RetryOptions, watchApi } from "./connection.js";
import { MEMBER_COMMANDS } from "./member.js";
import { createWebhookServer } from "./webhook.js";

export interface StartOptions {
  /** Test seam: API transformers that play the network (see `createBot`). */
  readonly transformers?: readonly Transformer[];
  readonly fetchFile?: (filePath: string, maxBytes: number) => Promise<Uint8Array>;
  /** How long a webhook request waits for its handler before it is answered anyway (default 10 s). */
  readonly webhookTimeoutMs?: number;
  /** Back-off when the Bot API cannot be reached at start. */
  readonly retry?: RetryOptions;
  /** Stops a start that is still waiting for the Bot API. */
  readonly signal?: AbortSignal;
  /** The database (DATABASE_URL) the bot's state is shared in; unset: this process and STATE_DIR. */
  readonly db?: Pool | undefined;
  /** Members' state to use instead of the one `db`, STATE_DIR and STATE_SECRET choose. */
  readonly members?: MembersState;
  /** Buttons' answers, pending uploads, stats and rate limits, instead of the ones `db` chooses. */
  readonly shared?: SharedState;
}

export interface RunningBot {
  readonly bot: Bot;
  readonly mode: "polling" | "webhook";
  /** The webhook's HTTP server (webhook mode only). */
  readonly server?: Server;
  readonly background: BackgroundJobs;
  /** Stops taking updates, lets running handlers and background rebuilds finish. */
  stop(): Promise<void>;
}

/**
 * Starts receiving updates: long polling through @grammyjs/runner (updates
 * handled concurrently, so one slow question never holds up others), or,
 * with WEBHOOK_URL, a node:http server for deployments that run several
 * instances behind one URL. Returns undefined when stopped by `signal`
 * before the Bot API answered.
 */
export async function startBot(service: NewsService, log: Logger, opts: StartOptions = {}): Promise<RunningBot | undefined> {
  const config = service.config;
  const opened = opts.shared ? undefined : await openBotState(config, { db: opts.db, log, members: opts.members });
  for (const n of opened?.notices ?? []) log.warn(n);
  const shared = opts.shared ?? opened!.shared;
  const members = opts.members ?? opened?.members ?? (await createMembersState(config, opts.db));
  const closeState = async () => {
    await members.store.close();
    await shared.close();
  };
  const { bot, background } = createBot({
    members,
    shared,
    followUpMinutes: config.followUpMinutes,
    service,
    token: config.botToken!,
    apiRoot: config.botApiRoot,
    adminIds: config.adminIds,
    log,
    rateLimitPerMinute: config.rateLimitPerMinute,
    ...(opts.fetchFile ? { fetchFile: opts.fetchFile } : {}),
    transformers: [...(opts.transformers ?? []), watchApi(config.botApiRoot, log)],
  });
  if (!(await initWithRetry(bot, { ...opts.retry, ...(opts.signal ? { signal: opts.signal } : {}) }))) {
    await closeState();
    return undefined;
  }
  // The command menu is a convenience: a Bot API server that refuses it must not keep the bot from answering.
  await bot.api.setMyCommands([...MEMBER_COMMANDS]).catch((error: unknown) => log.warn({ err: error }, "commands not registered"));
  for (const id of config.adminIds) {
    await bot.api
      .setMyCommands([...MEMBER_COMMANDS, ...ADMIN_COMMANDS], { scope: { type: "chat", chat_id: id } })
      .catch((error: unknown) => log.warn({ err: error, admin: id }, "admin commands not registered (has this admin started the bot?)"));
  }

  if (config.webhookUrl) {
    const path = new URL(config.webhookUrl).pathname;
    if (!config.webhookSecret) {
      log.warn("⚠ WEBHOOK_INSECURE=1: webhook updates are not signed; anyone who can reach the port can forge them (an admin's /reindex included). Set WEBHOOK_SECRET.");
    }
    const server = createWebhookServer(bot, {
      path,
      secret: config.webhookSecret,
      log,
      ...(opts.webhookTimeoutMs ? { timeoutMs: opts.webhookTimeoutMs } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => (server.off("error", reject), resolve()));
    });
    server.on("error", (error) => log.error({ err: error }, "webhook server error"));
    await bot.api.setWebhook(config.webhookUrl, config.webhookSecret ? { secret_token: config.webhookSecret } : {});
    log.info({ host: config.host, port: config.port, path }, `@${bot.botInfo.username} receiving updates by webhook`);
    return {
      bot,
      mode: "webhook",
      server,
      background,
      stop: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await background.idle();
        await closeState();
      },
    };
  }
  await bot.api.deleteWebhook();
  // Quadratic: waits grow by 100 ms per failed getUpdates, so after an outage polling resumes within seconds
  // (exponential doubles without a cap and could wait hours); watchApi logs the outage.
  const runner = run(bot, { runner: { silent: true, retryInterval: "quadratic" } });
  log.info(`@${bot.botInfo.username} receiving updates by long polling`);
  return {
    bot,
    mode: "polling",
    background,
    stop: async () => {
      await runner.stop();
      await background.idle();
      await closeState();
    },
  };
}

/**
 * Runs the bot until SIGINT or SIGTERM, then stops taking updates, lets
 * handlers and a running rebuild finish, and closes the model. A rejection
 * nobody handled is logged rather than allowed to end the process.
 */
export async function runBot(service: NewsService, log: Logger, opts: { db?: Pool | undefined } = {}): Promise<void> {
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection (kept serving)"));
  const stopping = new AbortController();
  const signal = new Promise<string>((resolve) => {
    const on = (name: string) => () => (stopping.abort(), resolve(name));
    process.once("SIGINT", on("SIGINT"));
    process.once("SIGTERM", on("SIGTERM"));
  });
  const running = await startBot(service, log, { signal: stopping.signal, db: opts.db });
  log.info({ signal: await signal }, "shutting down");
  if (running) {
    if (running.background.running > 0) log.info({ jobs: running.background.running }, "waiting for a rebuild to finish");
    await running.stop();
  }
  await service.close();
  log.info("stopped");
}
