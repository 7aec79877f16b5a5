import { afterAll, beforeAll } from "vitest";
import { type PgliteServer, type PgliteServerOptions, startPgliteServer } from "../../src/db/pglite-server.js";

/**
 * Starts one PGlite server (pgvector + pg_textsearch on 127.0.0.1) for the
 * test file that calls it and closes it after the file's tests. Returns a
 * getter: the server exists only once `beforeAll` has run.
 */
export function usePgliteServer(opts: PgliteServerOptions = {}): () => PgliteServer {
  let server: PgliteServer | undefined;
  beforeAll(async () => {
    server = await startPgliteServer(opts);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error("the PGlite server starts in beforeAll");
    return server;
  };
}

export { startPgliteServer, type PgliteServer };
