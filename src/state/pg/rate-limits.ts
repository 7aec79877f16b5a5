import { type Pool, query } from "../../db/postgres.js";
import type { Logger } from "../../log.js";
import type { RateLimitCounter } from "../bot-state.js";

/**
 * @grammyjs/ratelimiter's "Redis" client, in `state_rate_limits`: INCR and
 * PEXPIRE (a counter past its expiry starts again at 1), each one statement, by the database's clock. So a member's budget is
 * one whichever instance handles the update.
 *
 * A new counter expires after `windowMs` even before PEXPIRE sets it (the
 * same), so a PEXPIRE lost to a dropped connection cannot leave a member
 * limited for good.
 *
 * Fails open: with the database out of reach a message is let through (and
 * the failure logged once until it works again). Refusing every member
 * because the counter is unreachable would stop the bot answering.
 */
export function pgRateLimitCounter(pool: Pool, log: Logger, windowMs: number): RateLimitCounter {
  let failing = false;
  const failed = (error: unknown) => {
    if (!failing) log.warn({ err: error }, "rate-limit counters unreachable: members are not rate limited meanwhile");
    failing = true;
  };
  return {
    async incr(key) {
      try {
        const { rows } = await query<{ hits: number }>(
          pool,
          // Expired counters of other keys are swept in passing (this key's own row is reset by the upsert instead).
          `with gone as (delete from state_rate_limits where key <> $1 and expires_at < now() - interval '1 minute')
           insert into state_rate_limits as r (key, hits, expires_at) values ($1, 1, now() + $2 * interval '1 millisecond')
           on conflict (key) do update set
             hits = case when r.expires_at <= now() then 1 else r.hits + 1 end,
             expires_at = case when r.expires_at <= now() then excluded.expires_at else r.expires_at end
           returning hits`,
          [key, windowMs],
        );
        failing = false;
        return rows[0]!.hits;
      } catch (error) {
        failed(error);
        return 1;
      }
    },
    async pexpire(key, milliseconds) {
      try {
        const { rowCount } = await query(pool, "update state_rate_limits set expires_at = now() + $2 * interval '1 millisecond' where key = $1", [key, milliseconds]);
        return rowCount ?? 0;
      } catch (error) {
        failed(error);
        return 0;
      }
    },
  };
}
