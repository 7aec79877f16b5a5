/**
 * Members' state: conversation context, feedback and topic subscriptions.
 * Ids are never stored in the clear (see `identity.ts`): `user` and `chat`
 * are keyed hashes, a subscription's `sealedChat` is encrypted.
 */

/** A passage an answer cited, enough to show it again or label it. */
export interface CitedSource {
  readonly storyId: string;
  readonly paragraph: number;
  readonly title: string;
}

/** One question and the bot's answer to it: the context a follow-up is read in, and what feedback is about. */
export interface Turn {
  /** Short random id carried by the answer's buttons. */
  readonly id: string;
  readonly user: string;
  readonly chat: string;
  /** The bot's messages holding the answer, so a reply to any of them finds this turn. */
  readonly messageIds: readonly number[];
  /** As the member wrote it. */
  readonly question: string;
  /** As it was asked of the engine (read in the previous turn's context for a follow-up). */
  readonly resolved: string;
  readonly answer: string;
  readonly abstained: boolean;
  readonly citations: readonly CitedSource[];
  readonly mode: string;
  /** The index build that answered (its build time). */
  readonly build: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export type Vote = "up" | "down";
export type DownReason = "off-point" | "wrong-source" | "outdated";

/**
 * A refused question, or a member's vote on an answer. Refusals and 👎 carry
 * the question, the answer and its citations, the mode and the build, so an
 * admin can turn them into evaluation cases; a 👍 only counts.
 */
export interface FeedbackRecord {
  readonly kind: "refused" | "vote";
  readonly answerId: string;
  readonly user: string;
  readonly vote?: Vote;
  readonly reason?: DownReason;
  /** The member was asked 哪里不对？ once already. */
  readonly askedWhy?: boolean;
  readonly question?: string;
  readonly answer?: string;
  readonly citations?: readonly CitedSource[];
  readonly mode?: string;
  readonly build?: string;
  readonly at: number;
}

/** A member's topic alert. */
export interface Subscription {
  readonly user: string;
  /** The chat alerts go to, encrypted (it must be read back to send). */
  readonly sealedChat: string;
  readonly topic: string;
  readonly at: number;
}

/** What `/forget` removed. */
export interface Forgotten {
  readonly turns: number;
  readonly records: number;
  readonly subscriptions: number;
}

/**
 * The storage members' state lives in. File-backed by default
 * (`json-store.ts`); another backend (Postgres) implements the same
 * methods. Every write resolves once it is durable.
 */
export interface StateStore {
  /** False when nothing is written (no STATE_SECRET): state ends with the process. */
  readonly durable: boolean;
  putTurn(turn: Turn): Promise<void>;
  turn(id: string): Promise<Turn | undefined>;
  /** The newest turn in a chat. */
  lastTurn(chat: string): Promise<Turn | undefined>;
  /** The turn whose answer is the bot message `messageId` in this chat. */
  turnByMessage(chat: string, messageId: number): Promise<Turn | undefined>;
  /** Adds a record, or replaces the one of the same kind, answer and member (a changed vote). */
  putRecord(record: FeedbackRecord): Promise<void>;
  /** This member's vote on an answer, if any. */
  vote(answerId: string, user: string): Promise<FeedbackRecord | undefined>;
  /** Records at or after `since` (ms), oldest first. */
  records(since?: number): Promise<readonly FeedbackRecord[]>;
  subscriptions(): Promise<readonly Subscription[]>;
  /** Adds a subscription; false when the member already follows the topic. */
  follow(sub: Subscription): Promise<boolean>;
  /** Removes one topic, or every topic when none is given; returns how many. */
  unfollow(user: string, topic?: string): Promise<number>;
  /** Removes everything stored about a member: context, feedback, subscriptions. */
  forget(user: string): Promise<Forgotten>;
  /** Drops records and context older than the retention period. */
  prune(now?: number): Promise<void>;
  close(): Promise<void>;
}
