import type { Migration } from "../../db/migrate.js";

/** The `state` component's schema: the bot's shared state and members' state. Append versions; never edit a shipped one. */
export const STATE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "shared bot state and members' state",
    up: `
      -- One order for rows of every table below: what "newest" and "oldest first" mean, as in the JSON file's arrays.
      create sequence state_seq;

      -- Answers behind 更多, pending uploads: short-lived values a button points at.
      create table state_ephemeral (
        kind text not null,
        id text not null,
        value jsonb not null,
        expires_at timestamptz not null,
        primary key (kind, id)
      );
      create index state_ephemeral_expires on state_ephemeral (expires_at);

      -- @grammyjs/ratelimiter's counters, with Redis' INCR/PEXPIRE meaning: no expiry until one is set.
      create table state_rate_limits (
        key text primary key,
        hits integer not null,
        expires_at timestamptz
      );
      create index state_rate_limits_expires on state_rate_limits (expires_at);

      -- /stats: every instance's answers together.
      create table state_counters (
        name text primary key,
        value bigint not null,
        since timestamptz not null default now()
      );

      -- Members' state (see src/state/store.ts): user and chat are keyed hashes, never ids.
      create table state_turns (
        id text primary key,
        chat text not null,
        user_hash text not null,
        message_ids bigint[] not null,
        at bigint not null,
        seq bigint not null default nextval('state_seq'),
        turn jsonb not null
      );
      create index state_turns_chat on state_turns (chat, seq);
      create index state_turns_user on state_turns (user_hash);
      create index state_turns_at on state_turns (at);

      create table state_records (
        kind text not null,
        answer_id text not null,
        user_hash text not null,
        at bigint not null,
        seq bigint not null default nextval('state_seq'),
        record jsonb not null,
        primary key (kind, answer_id, user_hash)
      );
      create index state_records_user on state_records (user_hash);
      create index state_records_at on state_records (at);

      create table state_subscriptions (
        user_hash text not null,
        topic text not null,
        seq bigint not null default nextval('state_seq'),
        subscription jsonb not null,
        primary key (user_hash, topic)
      );
    `,
  },
];

export const STATE_COMPONENT = "state";
