import { createHash } from "node:crypto";
import { DatabaseError, type Pool, type PoolClient, query, serverOf, withTransaction } from "./postgres.js";

/**
 * Versioned schema migrations, applied at start, one list per component
 * (`index`, `state`, …) so each part of the program owns its tables and adds
 * versions without touching another's. `schema_migrations` records what ran.
 */
export interface Migration {
  /** 1, 2, 3…: consecutive within a component, never renumbered once shipped. */
  readonly version: number;
  /** What it does, for the record and for errors. */
  readonly name: string;
  /** SQL (several statements allowed) or a function given the migration's client. */
  readonly up: string | ((client: PoolClient) => Promise<void>);
}

export interface MigrateReport {
  readonly component: string;
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

const CREATE_TABLE = `create table if not exists schema_migrations (
  component text not null,
  version int not null,
  name text not null,
  applied_at timestamptz not null default now(),
  primary key (component, version)
)`;

/**
 * Brings `component`'s schema to the newest version in one transaction,
 * under a transaction-scoped advisory lock keyed by the component: two
 * instances starting together apply each migration once (the second waits,
 * then finds nothing to do). A database at a newer version than this program
 * knows is refused, naming both versions, rather than used half-understood.
 *
 * Note: through PGlite's socket every connection shares one session, so the
 * advisory lock excludes nothing there; the transaction does instead (PGlite
 * runs one transaction at a time).
 */
export async function migrate(pool: Pool, component: string, migrations: readonly Migration[]): Promise<MigrateReport> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations of ${component}: version ${m.version} at position ${i + 1} (versions must be 1, 2, 3…)`);
  });
  // Creating the bookkeeping table races too: serialize it under a global key.
  await withTransaction(pool, async (client) => {
    await query(client, "select pg_advisory_xact_lock($1)", [lockKey("schema_migrations")]);
    await query(client, CREATE_TABLE);
  });
  return withTransaction(pool, async (client) => {
    await query(client, "select pg_advisory_xact_lock($1)", [lockKey(`migrate:${component}`)]);
    const { rows } = await query<{ v: number | null }>(client, "select max(version) as v from schema_migrations where component = $1", [component]);
    const from = rows[0]?.v ?? 0;
    const known = migrations.length;
    if (from > known) {
      throw new DatabaseError(serverOf(pool), `the ${component} schema is at version ${from}, this program knows versions up to ${known}; run the newer program (or restore the database)`);
    }
    const applied: number[] = [];
    for (const m of migrations.slice(from)) {
      try {
        if (typeof m.up === "string") await query(client, m.up);
        else await m.up(client);
      } catch (error) {
        const reason = error instanceof DatabaseError ? error.reason : (error as Error).message;
        throw new DatabaseError(serverOf(pool), `migration ${component} ${m.version} (${m.name}) failed: ${reason}`, { cause: error });
      }
      await query(client, "insert into schema_migrations (component, version, name) values ($1, $2, $3)", [component, m.version, m.name]);
      applied.push(m.version);
    }
    return { component, from, to: known, applied };
  });
}

/** A stable 63-bit advisory-lock key for a name (pg's bigint; the same name gives the same key in every instance). */
export function lockKey(name: string): string {
  const h = createHash("sha256").update(`union-news-bot:${name}`).digest();
  return (h.readBigInt64BE(0) & 0x3fffffffffffffffn).toString();
}
