import type { BuildLock } from "../../build-lock.js";
import { lockKey } from "../../db/migrate.js";
import { asDatabaseError, type Pool, query, serverOf } from "../../db/postgres.js";
import { IndexError, RebuildBusyError } from "../../errors.js";

/**
 * The rebuild lock as a Postgres session advisory lock, held on a connection
 * of its own for the whole rebuild. Unlike a lease file it needs no renewal
 * and no staleness rules: when the holder dies, its connection closes and
 * the server releases the lock. Not blocking: a second `/reindex` (on any
 * instance) is told at once that a rebuild is running.
 *
 * PGlite behind pglite-socket has one session for every connection, so
 * there the lock excludes nothing (a session may take its own lock twice);
 * on a real server each connection is its own session.
 */
export function pgBuildLock(pool: Pool): BuildLock {
  const key = lockKey("rebuild");
  return {
    async run(work) {
      // Out of reach, the database is an index fault like a read-only folder: the running build keeps serving.
      const unreachable = (error: unknown) => new IndexError(serverOf(pool), `cannot take the rebuild lock: ${asDatabaseError(error, pool).reason}`, { cause: error });
      const client = await pool.connect().catch((error: unknown) => {
        throw unreachable(error);
      });
      let broken: Error | undefined;
      // A connection cut while held (the server restarted, or killed it) emits here; unheard, it would end the
      // process. The lock went with it; the rebuild finishes and the client is not pooled again.
      const onError = (error: Error) => void (broken = error);
      client.on("error", onError);
      try {
        const { rows } = await query<{ ok: boolean }>(client, "select pg_try_advisory_lock($1) as ok", [key]).catch((error: unknown) => {
          broken = error instanceof Error ? error : new Error(String(error));
          throw unreachable(error);
        });
        if (!rows[0]?.ok) throw new RebuildBusyError(serverOf(pool));
        try {
          return await work();
        } finally {
          await query(client, "select pg_advisory_unlock($1)", [key]).catch((error: unknown) => {
            // The connection is gone, and the lock with it: do not pool it again.
            broken = error instanceof Error ? error : new Error(String(error));
          });
        }
      } finally {
        client.off("error", onError);
        client.release(broken);
      }
    },
  };
}
