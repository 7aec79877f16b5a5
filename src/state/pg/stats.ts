import { type Pool, query } from "../../db/postgres.js";
import type { StatsStore } from "../stats.js";

/** /stats counters every instance adds to (`state_counters`); uptime stays this process's. */
export function pgStats(pool: Pool, startedAt = Date.now()): StatsStore {
  return {
    startedAt,
    async count(outcome) {
      await query(pool, "insert into state_counters (name, value) values ($1, 1) on conflict (name) do update set value = state_counters.value + 1", [outcome]);
    },
    async read() {
      const { rows } = await query<{ name: string; value: string; since: Date }>(pool, "select name, value, since from state_counters where name in ('answered', 'abstained')");
      const value = (name: string) => Number(rows.find((r) => r.name === name)?.value ?? 0);
      const since = rows.length === 0 ? Date.now() : Math.min(...rows.map((r) => r.since.getTime()));
      return { answered: value("answered"), abstained: value("abstained"), since, shared: true };
    },
  };
}
