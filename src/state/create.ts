import { randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import { createIdentity, type Identity } from "./identity.js";
import { memoryStateStore, openJsonStateStore } from "./json-store.js";
import type { StateStore } from "./store.js";

export interface MembersState {
  readonly store: StateStore;
  readonly identity: Identity;
  /** Days records and context are kept (for /privacy). */
  readonly retentionDays: number;
  /** Start-up notices (state kept in memory only). */
  readonly notices: readonly string[];
}

export const MEMORY_ONLY_NOTICE =
  "⚠ STATE_SECRET is not set: conversation context, feedback and topic subscriptions are kept in memory only and lost on restart. Set STATE_SECRET (openssl rand -hex 32) to keep them in STATE_DIR.";

/**
 * The one place members' state is chosen: the JSON file store under
 * STATE_DIR, keyed with STATE_SECRET. Without a secret nothing is written
 * (ids could only be stored in the clear, which we refuse): a random key for
 * this process and memory only. A Postgres store would be chosen here too.
 */
export async function createMembersState(config: Pick<Config, "stateDir" | "stateSecret" | "stateRetentionDays">): Promise<MembersState> {
  const secret = config.stateSecret;
  const identity = createIdentity(secret ?? randomBytes(32).toString("hex"));
  const store = await openJsonStateStore({ dir: secret === undefined ? undefined : config.stateDir, retentionDays: config.stateRetentionDays });
  return { store, identity, retentionDays: config.stateRetentionDays, notices: secret === undefined ? [MEMORY_ONLY_NOTICE] : [] };
}

/** Members' state in memory with a random key: for a bot built without one (tests of other things). */
export function memoryMembersState(retentionDays = 30): MembersState {
  return { store: memoryStateStore(retentionDays), identity: createIdentity(randomBytes(32).toString("hex")), retentionDays, notices: [MEMORY_ONLY_NOTICE] };
}

/** The stored state as it is on disk, for commands that read it (`npm run feedback`); no secret is needed to read hashes. */
export function openStoredState(config: Pick<Config, "stateDir" | "stateRetentionDays">): Promise<StateStore> {
  return openJsonStateStore({ dir: config.stateDir, retentionDays: config.stateRetentionDays });
}
