import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { StateError } from "../errors.js";
import type { FeedbackRecord, Forgotten, StateStore, Subscription, Turn } from "./store.js";

/** Bumped whenever the saved shape changes; a file of another version is refused, never misread. */
export const STATE_FORMAT_VERSION = 1;
export const STATE_FILE = "state.json";

/** Conversation turns kept at most, newest first kept: the context of old answers matters less than the file's size. */
const MAX_TURNS = 2000;
const DAY_MS = 86_400_000;

interface StateData {
  readonly version: number;
  turns: Turn[];
  records: FeedbackRecord[];
  subscriptions: Subscription[];
}

export interface JsonStoreOptions {
  /** Folder of the state file; undefined keeps everything in memory only. */
  readonly dir: string | undefined;
  readonly retentionDays: number;
  readonly now?: () => number;
}

const empty = (): StateData => ({ version: STATE_FORMAT_VERSION, turns: [], records: [], subscriptions: [] });

/**
 * Members' state as one small versioned JSON file (`STATE_DIR/state.json`),
 * held in memory and written through after every change: written beside the
 * old file and renamed over it, so a crash leaves the previous or the new
 * state, never half of one. Writes are coalesced (one running, one waiting).
 * Without a folder nothing is written at all.
 */
export async function openJsonStateStore(opts: JsonStoreOptions): Promise<StateStore> {
  const file = opts.dir === undefined ? undefined : path.join(opts.dir, STATE_FILE);
  return jsonStateStore(file === undefined ? empty() : await load(file), file, opts);
}

/** The same store with nothing written: for a process without STATE_SECRET, and for tests of other things. */
export function memoryStateStore(retentionDays = 30): StateStore {
  return jsonStateStore(empty(), undefined, { dir: undefined, retentionDays });
}

function jsonStateStore(data: StateData, file: string | undefined, opts: JsonStoreOptions): StateStore {
  const now = opts.now ?? Date.now;
  const retentionMs = opts.retentionDays * DAY_MS;

  let running: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  const save = (): Promise<void> => {
    if (file === undefined) return Promise.resolve();
    if (waiting) return waiting;
    const next = running.then(() => {
      waiting = undefined;
      return writeAtomically(file, `${JSON.stringify(data)}\n`);
    });
    waiting = next;
    running = next.catch(() => undefined);
    return next;
  };
  const pruneData = (at: number) => {
    const cutoff = at - retentionMs;
    data.records = data.records.filter((r) => r.at >= cutoff);
    data.turns = data.turns.filter((t) => t.at >= cutoff).slice(-MAX_TURNS);
  };
  pruneData(now());
  const sameRecord = (a: FeedbackRecord, b: { kind: string; answerId: string; user: string }) => a.kind === b.kind && a.answerId === b.answerId && a.user === b.user;

  return {
    durable: file !== undefined,
    async putTurn(turn) {
      data.turns = data.turns.filter((t) => t.id !== turn.id);
      data.turns.push(turn);
      pruneData(now());
      await save();
    },
    turn: async (id) => data.turns.find((t) => t.id === id),
    lastTurn: async (chat) => data.turns.findLast((t) => t.chat === chat),
    turnByMessage: async (chat, messageId) => data.turns.findLast((t) => t.chat === chat && t.messageIds.includes(messageId)),
    async putRecord(record) {
      data.records = data.records.filter((r) => !sameRecord(r, record));
      data.records.push(record);
      pruneData(now());
      await save();
    },
    vote: async (answerId, user) => data.records.find((r) => sameRecord(r, { kind: "vote", answerId, user })),
    records: async (since = 0) => data.records.filter((r) => r.at >= since),
    subscriptions: async () => [...data.subscriptions],
    async follow(sub) {
      if (data.subscriptions.some((s) => s.user === sub.user && s.topic === sub.topic)) return false;
      data.subscriptions.push(sub);
      await save();
      return true;
    },
    async unfollow(user, topic) {
      const before = data.subscriptions.length;
      data.subscriptions = data.subscriptions.filter((s) => s.user !== user || (topic !== undefined && s.topic !== topic));
      const removed = before - data.subscriptions.length;
      if (removed > 0) await save();
      return removed;
    },
    async forget(user): Promise<Forgotten> {
      const counts = {
        turns: data.turns.filter((t) => t.user === user).length,
        records: data.records.filter((r) => r.user === user).length,
        subscriptions: data.subscriptions.filter((s) => s.user === user).length,
      };
      data.turns = data.turns.filter((t) => t.user !== user);
      data.records = data.records.filter((r) => r.user !== user);
      data.subscriptions = data.subscriptions.filter((s) => s.user !== user);
      await save();
      return counts;
    },
    async prune(at = now()) {
      pruneData(at);
      await save();
    },
    async close() {
      await running;
    },
  };
}

async function load(file: string): Promise<StateData> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      await mkdir(path.dirname(file), { recursive: true });
      return empty();
    }
    throw new StateError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateError(file, `is not valid JSON (${(error as Error).message}); move it aside to start with empty state`, { cause: error });
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (version !== STATE_FORMAT_VERSION) {
    throw new StateError(file, `is format version ${String(version)}, but this program reads version ${STATE_FORMAT_VERSION}`);
  }
  const d = parsed as Partial<StateData>;
  if (!Array.isArray(d.turns) || !Array.isArray(d.records) || !Array.isArray(d.subscriptions)) {
    throw new StateError(file, "lacks turns, records or subscriptions");
  }
  return { version: STATE_FORMAT_VERSION, turns: d.turns, records: d.records, subscriptions: d.subscriptions };
}

/** A reader (or a crash) never sees half a file: written beside it with owner-only permissions, then renamed over it. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new StateError(file, `could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}
