import { type Pool, query } from "../../db/postgres.js";
import { type EphemeralStore, newRecordId } from "../ephemeral.js";

/**
 * Short-lived values in `state_ephemeral`, one `kind` per use, kept `ttlMs`
 * by the database's clock (instances' clocks may disagree). Expired rows of
 * the kind are deleted by the next put, in the same statement.
 */
export function pgEphemeralStore<T>(pool: Pool, kind: string, ttlMs: number): EphemeralStore<T> {
  return {
    async put(value) {
      const id = newRecordId();
      await query(
        pool,
        `with gone as (delete from state_ephemeral where kind = $1 and expires_at < now())
         insert into state_ephemeral (kind, id, value, expires_at) values ($1, $2, $3, now() + $4 * interval '1 millisecond')`,
        [kind, id, JSON.stringify(value), ttlMs],
      );
      return id;
    },
    async get(id) {
      const { rows } = await query<{ value: T }>(pool, "select value from state_ephemeral where kind = $1 and id = $2 and expires_at >= now()", [kind, id]);
      return rows[0]?.value;
    },
    async take(id) {
      // One statement: of two instances taking the same id, only one gets the row.
      const { rows } = await query<{ value: T; live: boolean }>(pool, "delete from state_ephemeral where kind = $1 and id = $2 returning value, expires_at >= now() as live", [kind, id]);
      return rows[0]?.live ? rows[0].value : undefined;
    },
  };
}
