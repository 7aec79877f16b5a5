/**
 * `npm run pglite -- [--port 5433] [--data DIR]`
 *
 * PostgreSQL 18 in WebAssembly (PGlite) with pgvector and pg_textsearch on
 * 127.0.0.1, for trying the Postgres store (and `npm run eval`/`bench`) without
 * installing a server. Prints the DATABASE_URL to use; stops on Ctrl-C. In
 * memory unless --data names a folder. A development tool, not for production.
 */
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/run.js";
import { startPgliteServer } from "../src/db/pglite-server.js";
import { UsageError } from "../src/errors.js";

runCli(async () => {
  const { values } = parseArgs({ options: { port: { type: "string", default: "5433" }, data: { type: "string" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port takes a port number");
  const server = await startPgliteServer({ port, ...(values.data === undefined ? {} : { dataDir: values.data }) });
  console.log(`DATABASE_URL=${server.url}`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
});
