import type { Config } from "../config.js";
import type { Pool } from "../db/postgres.js";
import type { Logger } from "../log.js";
import { createMembersState, type MembersState } from "./create.js";
import { openPgSharedState } from "./pg/bot-state.js";
import { memorySharedState, RATE_LIMIT_WINDOW_MS, type SharedState } from "./bot-state.js";

export interface BotState {
  readonly shared: SharedState;
  readonly members: MembersState;
  /** Start-up notices for the log (state in memory only, a database out of reach). */
  readonly notices: readonly string[];
}

/**
 * Opens everything the bot keeps: in the database when there is one (`db`,
 * from DATABASE_URL), so instances behind one webhook URL share it; in this
 * process (and STATE_DIR) otherwise, as for a single instance. A database
 * out of reach at start does not stop the bot: it answers with this
 * process's state and says so loudly (instances then do not share buttons
 * or rate limits until it restarts with the database back).
 */
export async function openBotState(
  config: Pick<Config, "stateDir" | "stateSecret" | "stateRetentionDays">,
  opts: { db?: Pool | undefined; log: Logger; /** Members' state already opened (tests): kept as given. */ members?: MembersState | undefined },
): Promise<BotState> {
  const given = opts.members;
  if (opts.db === undefined) {
    const members = given ?? (await createMembersState(config));
    return { shared: memorySharedState(), members, notices: given ? [] : members.notices };
  }
  try {
    const shared = await openPgSharedState(opts.db, { log: opts.log, rateLimitWindowMs: RATE_LIMIT_WINDOW_MS, retentionDays: config.stateRetentionDays });
    const members = given ?? (await createMembersState(config, opts.db));
    return { shared, members, notices: given ? [] : members.notices };
  } catch (error) {
    const members = given ?? (await createMembersState({ ...config, stateSecret: undefined }));
    const reason = error instanceof Error ? error.message : String(error);
    return {
      shared: memorySharedState(),
      members,
      notices: [`⚠ The bot's shared state is unavailable (${reason}): this instance keeps buttons, rate limits, stats and members' state in its own memory until it is restarted with the database back.`],
    };
  }
}
