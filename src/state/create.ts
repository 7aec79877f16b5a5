import { randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import type { Pool } from "../db/postgres.js";
import { createIdentity, type Identity } from "./identity.js";
import { memoryStateStore, openJsonStateStore } from "./json-store.js";
import { pgStateStore } from "./pg/members.js";
import { migrateState } from "./pg/bot-state.js";
import type { StateStore } from "./store.js";

export interface MembersState {
  readonly store: StateStore;
  readonly identity: Identity;
  /** Days records and context are kept (for /privacy). */
  readonly retentionDays: number;
  /** Start-up notices (state kept in memory only). */
  readonly notices: readonly string[];
}

export const DATABASE_WITHOUT_SECRET_NOTICE =
  "⚠ DATABASE_URL is set but STATE_SECRET is not: members' context, feedback and topic subscriptions stay in this instance's memory, unseen by the others and lost on restart. Give every instance the same STATE_SECRET (openssl rand -hex 32).";

export const MEMORY_ONLY_NOTICE =
  "⚠ STATE_SECRET is not set: conversation context, feedback and topic subscriptions are kept in memory only and lost on restart. Set STATE_SECRET (openssl rand -hex 32) to keep them in STATE_DIR.";

/**
 * The one place members' state is chosen: with a database (DATABASE_URL),
 * its `state_*` tables, so every instance sees one member's context and
 * subscriptions; otherwise the JSON file under STATE_DIR. Either way ids are
 * keyed with STATE_SECRET, which every instance must share. Without a secret
 * nothing is written (ids could only be stored in the clear, which we
 * refuse): a random key for this process and memory only.
 */
export async function createMembersState(config: Pick<Config, "stateDir" | "stateSecret" | "stateRetentionDays">, db?: Pool): Promise<MembersState> {
  const secret = config.stateSecret;
  const identity = createIdentity(secret ?? randomBytes(32).toString("hex"));
  const base = { identity, retentionDays: config.stateRetentionDays };
  if (secret === undefined) {
    const store = await openJsonStateStore({ dir: undefined, retentionDays: config.stateRetentionDays });
    return { ...base, store, notices: db === undefined ? [MEMORY_ONLY_NOTICE] : [DATABASE_WITHOUT_SECRET_NOTICE] };
  }
  if (db !== undefined) {
    await migrateState(db);
    return { ...base, store: pgStateStore(db, { retentionDays: config.stateRetentionDays }), notices: [] };
  }
  return { ...base, store: await openJsonStateStore({ dir: config.stateDir, retentionDays: config.stateRetentionDays }), notices: [] };
}

/** Members' state in memory with a random key: for a bot built without one (tests of other things). */
export function memoryMembersState(retentionDays = 30): MembersState {
  return { store: memoryStateStore(retentionDays), identity: createIdentity(randomBytes(32).toString("hex")), retentionDays, notices: [MEMORY_ONLY_NOTICE] };
}

/** The stored state (the database's with `db`, else the file), for commands that read it (`npm run feedback`); no secret is needed to read hashes. */
export async function openStoredState(config: Pick<Config, "stateDir" | "stateRetentionDays">, db?: Pool): Promise<StateStore> {
  if (db === undefined) return openJsonStateStore({ dir: config.stateDir, retentionDays: config.stateRetentionDays });
  await migrateState(db);
  return pgStateStore(db, { retentionDays: config.stateRetentionDays });
}
