import pg from "pg";
import type { Config } from "../config.js";
import { DatabaseError, UnionNewsError } from "../errors.js";

export { DatabaseError };

/**
 * The one file that imports node-postgres. Everything else asks this module
 * for a pool and gets `DatabaseError`s that name the server (host:port/db) and
 * never the password, so a failed connection can be logged and shown to an admin.
 */

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type QueryResultRow = pg.QueryResultRow;

export interface DatabaseOptions {
  /** `postgres://user:password@host:port/db`; the password is never repeated in errors or logs. */
  readonly url: string;
  /** Connections in the pool (DATABASE_POOL_MAX). PGlite served by pglite-socket runs one query at a time whatever this is. */
  readonly poolMax?: number;
  /** How long opening a connection may take before it fails (DATABASE_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs?: number;
  /** Server-side limit on one statement (DATABASE_STATEMENT_TIMEOUT_MS); 0 means none. */
  readonly statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, to tell instances apart. */
  readonly applicationName?: string;
}

export const DEFAULT_POOL_MAX = 10;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** `host:port/db` of a connection string, for messages: user and password are left out. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get("host") || "localhost";
    const db = decodeURIComponent(u.pathname.replace(/^\//, "")) || "(default)";
    return `${host}:${u.port || "5432"}/${db}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/**
 * Creates the pool. Nothing connects until the first query; call
 * `checkDatabase` at start to fail early with a clear message.
 */
export function createPool(opts: DatabaseOptions): Pool {
  const server = describeDatabase(opts.url);
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax ?? DEFAULT_POOL_MAX,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? "union-news-bot",
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
  });
  // An idle client losing its connection (a restarted server) emits on the
  // pool; unhandled, that ends the process. The next query reconnects.
  pool.on("error", () => {});
  Object.defineProperty(pool, serverKey, { value: server });
  return pool;
}

const serverKey = Symbol("server");

/** The `host:port/db` a pool was made for. */
export function serverOf(pool: Pool): string {
  return (pool as unknown as { [serverKey]?: string })[serverKey] ?? "(database)";
}

/**
 * Runs a query, turning a connection failure or a server error into a
 * `DatabaseError` that names the server. node-postgres' own messages never
 * hold the password; ours add only host, port and database.
 */
export async function query<R extends QueryResultRow = QueryResultRow>(
  db: Pool | PoolClient,
  text: string,
  values: readonly unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(text, values as unknown[]);
  } catch (error) {
    throw asDatabaseError(error, db);
  }
}

/** Wraps any failure from node-postgres in a `DatabaseError` (once). */
export function asDatabaseError(error: unknown, db: Pool | PoolClient | string): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const server = typeof db === "string" ? db : db instanceof pg.Pool ? serverOf(db) : serverOfClient(db);
  return new DatabaseError(server, reasonOf(error), { cause: error });
}

function serverOfClient(client: PoolClient): string {
  const c = client as unknown as { host?: string; port?: number; database?: string };
  return `${c.host ?? "?"}:${c.port ?? "?"}/${c.database ?? "?"}`;
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: { message?: string }[] };
  if (e.code === "ECONNREFUSED") return "connection refused (is the server running, and is DATABASE_URL's host and port right?)";
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") return "host not found (check DATABASE_URL's host)";
  if (e.code === "ETIMEDOUT" || /timeout/i.test(e.message ?? "")) return `unreachable: ${e.message ?? "timed out"}`;
  if (e.code === "28P01" || e.code === "28000") return "authentication failed (check DATABASE_URL's user and password)";
  if (e.code === "3D000") return `${e.message ?? "database does not exist"}`;
  // AggregateError (IPv4 and IPv6 both refused) carries its reasons inside.
  const inner = e.errors?.map((x) => x.message).filter(Boolean).join("; ");
  return `${e.code ? `${e.code} ` : ""}${e.message || inner || String(error)}`;
}

/** Connects once and runs `select 1`: a clear `DatabaseError` at start rather than at the first question. */
export async function checkDatabase(pool: Pool): Promise<void> {
  await query(pool, "select 1");
}

/**
 * Runs `work` in one transaction on one client: committed when it resolves,
 * rolled back when it throws. Inside, use only the client given (through
 * PGlite's socket a second connection would wait for this transaction to end).
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  opts: { isolation?: "read committed" | "repeatable read" | "serializable"; readOnly?: boolean } = {},
): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asDatabaseError(error, pool);
  }
  try {
    await query(client, `begin isolation level ${opts.isolation ?? "read committed"}${opts.readOnly ? " read only" : ""}`);
    const result = await work(client);
    await query(client, "commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error instanceof DatabaseError ? error : error instanceof UnionNewsError ? error : asDatabaseErrorIfPg(error, pool);
  } finally {
    client.release();
  }
}

/** Errors of the work itself (a bug, an aborted build) pass through; node-postgres' are named by server. */
function asDatabaseErrorIfPg(error: unknown, pool: Pool): unknown {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e?.code === "string" || typeof e?.severity === "string" ? asDatabaseError(error, pool) : error;
}

/** The pool the configuration asks for, or undefined when DATABASE_URL is unset. */
export function poolFromConfig(config: Pick<Config, "databaseUrl" | "databasePoolMax" | "databaseConnectTimeoutMs" | "databaseStatementTimeoutMs">, applicationName?: string): Pool | undefined {
  if (config.databaseUrl === undefined) return undefined;
  return createPool({
    url: config.databaseUrl,
    poolMax: config.databasePoolMax,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    ...(applicationName === undefined ? {} : { applicationName }),
  });
}
