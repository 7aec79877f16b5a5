import type { Answer } from "../../answer/answer.js";
import { migrate } from "../../db/migrate.js";
import type { Pool } from "../../db/postgres.js";
import type { Logger } from "../../log.js";
import { PENDING_UPLOAD_MS, type PendingUpload, type SharedState } from "../bot-state.js";
import { pgEphemeralStore } from "./ephemeral.js";
import { STATE_COMPONENT, STATE_MIGRATIONS } from "./migrations.js";
import { pgRateLimitCounter } from "./rate-limits.js";
import { pgStats } from "./stats.js";

/**
 * How long an answer stays behind its `更多` button in the database (memory
 * keeps the newest 2,000 instead), at most STATE_RETENTION_DAYS: it holds
 * the question's text (though no member id), which /privacy promises to drop.
 */
export const SHARED_ANSWER_TTL_MS = 7 * 86_400_000;

/** Brings the `state` schema up to date: every instance runs it at start; only the first applies anything. */
export async function migrateState(pool: Pool): Promise<void> {
  await migrate(pool, STATE_COMPONENT, STATE_MIGRATIONS);
}

/**
 * The bot's state in the database every instance uses, so any instance can
 * answer any button and a member's rate limit is one. Migrates first. The
 * pool is the caller's (shared with the index store); closing this leaves it open.
 */
export async function openPgSharedState(pool: Pool, opts: { log: Logger; rateLimitWindowMs: number; retentionDays: number }): Promise<SharedState> {
  await migrateState(pool);
  return {
    answers: pgEphemeralStore<Answer>(pool, "answer", Math.min(SHARED_ANSWER_TTL_MS, opts.retentionDays * 86_400_000)),
    uploads: pgEphemeralStore<PendingUpload>(pool, "upload", PENDING_UPLOAD_MS),
    stats: pgStats(pool),
    rateLimits: pgRateLimitCounter(pool, opts.log, opts.rateLimitWindowMs),
    shared: true,
    close: async () => {},
  };
}
