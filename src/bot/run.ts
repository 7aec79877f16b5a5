import { createServer } from "node:http";
import { run } from "@grammyjs/runner";
import { type Bot, type Transformer, webhookCallback } from "grammy";
import type { Logger } from "../log.js";
import type { NewsService } from "../service.js";
import { ADMIN_COMMANDS } from "./admin.js";
import { createBot } from "./bot.js";
import { MEMBER_COMMANDS } from "./member.js";

export interface StartOptions {
  /** Test seam: API transformers that play the network (see `createBot`). */
  readonly transformers?: readonly Transformer[];
  readonly fetchFile?: (filePath: string) => Promise<Uint8Array>;
}

export interface RunningBot {
  readonly bot: Bot;
  readonly mode: "polling" | "webhook";
  stop(): Promise<void>;
}

/**
 * Starts receiving updates: long polling through @grammyjs/runner (updates
 * handled concurrently, so one slow question never holds up others), or,
 * with WEBHOOK_URL, a node:http server for deployments that run several
 * instances behind one URL.
 */
export async function startBot(service: NewsService, log: Logger, opts: StartOptions = {}): Promise<RunningBot> {
  const config = service.config;
  const { bot } = createBot({
    service,
    token: config.botToken!,
    apiRoot: config.botApiRoot,
    adminIds: config.adminIds,
    log,
    rateLimitPerMinute: config.rateLimitPerMinute,
    ...(opts.fetchFile ? { fetchFile: opts.fetchFile } : {}),
    ...(opts.transformers ? { transformers: opts.transformers } : {}),
  });
  await bot.init();
  // The command menu is a convenience: a Bot API server that refuses it must not keep the bot from answering.
  await bot.api.setMyCommands([...MEMBER_COMMANDS]).catch((error: unknown) => log.warn({ err: error }, "commands not registered"));
  for (const id of config.adminIds) {
    await bot.api
      .setMyCommands([...MEMBER_COMMANDS, ...ADMIN_COMMANDS], { scope: { type: "chat", chat_id: id } })
      .catch((error: unknown) => log.warn({ err: error, admin: id }, "admin commands not registered (has this admin started the bot?)"));
  }

  if (config.webhookUrl) {
    const path = new URL(config.webhookUrl).pathname;
    const handle = webhookCallback(bot, "http", config.webhookSecret ? { secretToken: config.webhookSecret } : {});
    const server = createServer((req, res) => {
      if (req.method === "POST" && req.url === path) return void handle(req, res);
      res.writeHead(req.url === "/healthz" ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(config.port, resolve));
    await bot.api.setWebhook(config.webhookUrl, config.webhookSecret ? { secret_token: config.webhookSecret } : {});
    log.info({ port: config.port, path }, `@${bot.botInfo.username} receiving updates by webhook`);
    return { bot, mode: "webhook", stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  await bot.api.deleteWebhook();
  const runner = run(bot);
  log.info(`@${bot.botInfo.username} receiving updates by long polling`);
  return { bot, mode: "polling", stop: () => runner.stop() };
}

/** Runs the bot until SIGINT or SIGTERM, then stops taking updates, lets handlers finish, and closes the model. */
export async function runBot(service: NewsService, log: Logger): Promise<void> {
  const running = await startBot(service, log);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  log.info({ signal }, "shutting down");
  await running.stop();
  await service.close();
  log.info("stopped");
}
