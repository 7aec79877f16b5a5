/**
 * `npm run bench:state`: prints JSON with what the bot's shared state costs
 * per update, in memory and in Postgres: DATABASE_URL when set, otherwise
 * PGlite served on 127.0.0.1 (a development stand-in: one WebAssembly
 * backend in this very process, so its figures include the database's CPU).
 * Options: --questions N (500).
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import { benchStateOps } from "../src/bench/state-ops.js";
import { createPool } from "../src/db/postgres.js";
import { runCli } from "../src/cli/run.js";

runCli(async () => {
  const { values } = parseArgs({ options: { questions: { type: "string", default: "500" } } });
  const url = process.env["DATABASE_URL"];
  const server = url ? undefined : await (await import("../src/db/pglite-server.js")).startPgliteServer();
  const pool = createPool({ url: url ?? server!.url, poolMax: 4 });
  try {
    const report = await benchStateOps({ pool, questions: Number(values.questions) });
    process.stdout.write(`${JSON.stringify({ database: url ? "DATABASE_URL" : "PGlite 0.5.14 on 127.0.0.1 (pglite-socket)", ...report }, null, 2)}\n`);
  } finally {
    await pool.end();
    await server?.close();
  }
});
