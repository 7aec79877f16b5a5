import type { Answer } from "../answer/answer.js";
import { type EphemeralStore, memoryEphemeralStore } from "./ephemeral.js";
import { memoryStats, type StatsStore } from "./stats.js";

/** An admin's upload refused because of its name, until the admin presses replace or keep. */
export interface PendingUpload {
  readonly name: string;
  readonly fileId: string;
  readonly adminId: number;
  readonly at: number;
}

/**
 * The counter store @grammyjs/ratelimiter calls when given a "Redis" client:
 * `incr` a key, and `pexpire` it when the count is 1 (a new window).
 */
export interface RateLimitCounter {
  incr(key: string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
}

/**
 * What the bot keeps between updates besides members' state: whatever one
 * instance writes here another must be able to read when several instances
 * run behind one webhook URL. In memory by default (one process); in the
 * database when DATABASE_URL is set (`pg/bot-state.ts`).
 */
export interface SharedState {
  /** The answers behind `更多` buttons. */
  readonly answers: EphemeralStore<Answer>;
  /** Replacements waiting for an admin's 替换/保留. */
  readonly uploads: EphemeralStore<PendingUpload>;
  readonly stats: StatsStore;
  /** The rate limiter's counters: its own Map per process, or shared. */
  readonly rateLimits: RateLimitCounter | "MEMORY_STORE";
  /** True when other instances see the same state. */
  readonly shared: boolean;
  close(): Promise<void>;
}

/** The rate limiter's window: `RATE_LIMIT_PER_MINUTE` messages and presses per member in it. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Answers kept for `更多` in one process: the newest 2,000. */
export const ANSWERS_KEPT = 2000;
/** A replacement waits this long for the admin's answer (Telegram keeps a file's download link an hour). */
export const PENDING_UPLOAD_MS = 60 * 60 * 1000;
const PENDING_UPLOADS_KEPT = 50;

/** This process's state: what a single instance (and every test of other things) uses. */
export function memorySharedState(): SharedState {
  return {
    answers: memoryEphemeralStore({ capacity: ANSWERS_KEPT, ttlMs: Infinity }),
    uploads: memoryEphemeralStore({ capacity: PENDING_UPLOADS_KEPT, ttlMs: PENDING_UPLOAD_MS }),
    stats: memoryStats(),
    rateLimits: "MEMORY_STORE",
    shared: false,
    close: async () => {},
  };
}
