import { type Pool, query } from "../../db/postgres.js";
import type { FeedbackRecord, Forgotten, StateStore, Subscription, Turn } from "../store.js";

/** As in the JSON file: the newest turns kept at most. */
const MAX_TURNS = 2000;
const DAY_MS = 86_400_000;

export interface PgStateStoreOptions {
  readonly retentionDays: number;
  /** The clock records' `at` is read against (the app's, as in the JSON store). */
  readonly now?: () => number;
}

/**
 * Members' state in Postgres (tables `state_turns`, `state_records`,
 * `state_subscriptions`), the same contract as the JSON file: ids only as
 * keyed hashes, a record replaced by the same kind, answer and member, the
 * newest 2,000 turns and the retention period kept (swept at most once a
 * minute on writes, and by `prune`). Each method is one
 * statement (pglite-socket and pgbouncer-style poolers both favour that),
 * so every instance sees a write as soon as it resolves.
 */
export function pgStateStore(pool: Pool, opts: PgStateStoreOptions): StateStore {
  const now = opts.now ?? Date.now;
  const cutoff = (at: number) => at - opts.retentionDays * DAY_MS;
  // Old rows are swept at most once a minute on writes (retention is in days), not by every write.
  let sweptAt = -Infinity;
  const sweep = async () => {
    const at = now();
    if (at - sweptAt < 60_000) return;
    sweptAt = at;
    await prune(at);
  };
  const prune = async (at: number) => {
    await query(
      pool,
      `with t as (delete from state_turns where at < $1 or seq < coalesce((select seq from state_turns order by seq desc offset $2 limit 1), 0)),
            r as (delete from state_records where at < $1)
       select 1`,
      [cutoff(at), MAX_TURNS - 1],
    );
  };
  return {
    durable: true,
    async putTurn(turn) {
      await query(
        pool,
        `insert into state_turns (id, chat, user_hash, message_ids, at, turn) values ($1, $2, $3, $4, $5, $6)
         on conflict (id) do update set chat = excluded.chat, user_hash = excluded.user_hash, message_ids = excluded.message_ids,
           at = excluded.at, turn = excluded.turn, seq = nextval('state_seq')`,
        [turn.id, turn.chat, turn.user, turn.messageIds, turn.at, JSON.stringify(turn)],
      );
      await sweep();
    },
    turn: async (id) => one<Turn>(pool, "select turn as v from state_turns where id = $1", [id]),
    lastTurn: async (chat) => one<Turn>(pool, "select turn as v from state_turns where chat = $1 order by seq desc limit 1", [chat]),
    turnByMessage: async (chat, messageId) =>
      one<Turn>(pool, "select turn as v from state_turns where chat = $1 and $2 = any(message_ids) order by seq desc limit 1", [chat, messageId]),
    async putRecord(record) {
      await query(
        pool,
        `insert into state_records (kind, answer_id, user_hash, at, record) values ($1, $2, $3, $4, $5)
         on conflict (kind, answer_id, user_hash) do update set at = excluded.at, record = excluded.record, seq = nextval('state_seq')`,
        [record.kind, record.answerId, record.user, record.at, JSON.stringify(record)],
      );
      await sweep();
    },
    vote: async (answerId, user) => one<FeedbackRecord>(pool, "select record as v from state_records where kind = 'vote' and answer_id = $1 and user_hash = $2", [answerId, user]),
    async records(since = 0) {
      const { rows } = await query<{ v: FeedbackRecord }>(pool, "select record as v from state_records where at >= $1 order by seq", [since]);
      return rows.map((r) => r.v);
    },
    async subscriptions() {
      const { rows } = await query<{ v: Subscription }>(pool, "select subscription as v from state_subscriptions order by seq");
      return rows.map((r) => r.v);
    },
    async follow(sub) {
      const { rowCount } = await query(
        pool,
        "insert into state_subscriptions (user_hash, topic, subscription) values ($1, $2, $3) on conflict (user_hash, topic) do nothing",
        [sub.user, sub.topic, JSON.stringify(sub)],
      );
      return rowCount === 1;
    },
    async unfollow(user, topic) {
      const { rowCount } = await query(pool, "delete from state_subscriptions where user_hash = $1 and ($2::text is null or topic = $2)", [user, topic ?? null]);
      return rowCount ?? 0;
    },
    async forget(user): Promise<Forgotten> {
      const { rows } = await query<{ turns: string; records: string; subscriptions: string }>(
        pool,
        `with t as (delete from state_turns where user_hash = $1 returning 1),
              r as (delete from state_records where user_hash = $1 returning 1),
              s as (delete from state_subscriptions where user_hash = $1 returning 1)
         select (select count(*) from t) as turns, (select count(*) from r) as records, (select count(*) from s) as subscriptions`,
        [user],
      );
      const row = rows[0]!;
      return { turns: Number(row.turns), records: Number(row.records), subscriptions: Number(row.subscriptions) };
    },
    async prune(at = now()) {
      await prune(at);
    },
    // The pool belongs to whoever opened it.
    close: async () => {},
  };
}

async function one<T>(pool: Pool, text: string, values: readonly unknown[]): Promise<T | undefined> {
  const { rows } = await query<{ v: T }>(pool, text, values);
  return rows[0]?.v;
}
