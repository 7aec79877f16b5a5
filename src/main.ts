/**
 * `npm start`: the Telegram bot when BOT_TOKEN is set, otherwise the same
 * answers in a terminal chat. The index is brought up to date first
 * (incrementally: nothing is embedded when the corpus did not change).
 */
import "dotenv/config";
import { createProgress } from "./cli/progress.js";
import { runChat } from "./cli/chat.js";
import { runCli } from "./cli/run.js";
import { loadConfig } from "./config.js";
import { describeBuild } from "./cli/build-summary.js";
import { poolFromConfig } from "./db/postgres.js";
import { createLogger } from "./log.js";
import { pgBuildLock } from "./state/pg/build-lock.js";
import { indexLocation } from "./build-runner.js";
import { openNewsService } from "./service.js";
import { defaultDeps } from "./wiring.js";

runCli(async () => {
  const config = loadConfig();
  const bot = config.botToken !== undefined;
  const log = createLogger(config.logLevel, config.botToken);
  const progress = createProgress("embedding");
  // DATABASE_URL: one pool for everything this process keeps there (the bot's shared state, the rebuild lock).
  const db = poolFromConfig(config);
  const service = await openNewsService(config, { ...defaultDeps(), ...(db ? { buildLock: pgBuildLock(db) } : {}) }, {
    build: "always",
    onProgress: progress.update,
    onBuild: (r) => {
      progress.stop();
      // The bot logs structured lines; the terminal chat speaks to a person.
      if (bot) log.info({ build: { ...r, warnings: r.warnings.length } }, describeBuild(r, indexLocation(config)).split("\n")[0]);
      else process.stderr.write(`${describeBuild(r, indexLocation(config))}\n`);
    },
  });
  for (const n of service.notices) process.stderr.write(`\n${n}\n\n`);
  if (!bot) {
    await runChat(service, process.stdin, process.stdout);
    await service.close();
    await db?.end();
    return 0;
  }
  log.info({ mode: service.mode, stories: service.manifest().stories, passages: service.manifest().passages }, `serving in ${service.mode} mode`);
  const { runBot } = await import("./bot/run.js");
  await runBot(service, log, { db });
  await db?.end();
  return 0;
});
