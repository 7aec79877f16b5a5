import { randomBytes } from "node:crypto";

/**
 * Short-lived records a button points at: the answer behind `更多`, an
 * admin's pending file replacement. Ids are random (12 base64url
 * characters), so instances sharing a store never hand out the same one and
 * a button made by one instance can be answered by another.
 */
export interface EphemeralStore<T> {
  /** Keeps `value` and returns its new id. */
  put(value: T): Promise<string>;
  get(id: string): Promise<T | undefined>;
  /** Returns the value and removes it: of two presses racing, one gets it. */
  take(id: string): Promise<T | undefined>;
}

export interface EphemeralLimits {
  /** Most records kept; the oldest are forgotten first (memory only: a database keeps by age). */
  readonly capacity: number;
  /** How long a record is kept; Infinity keeps it until capacity pushes it out. */
  readonly ttlMs: number;
  readonly now?: () => number;
}

/** A new record id: fits callback data (`[\w-]`, 64 bytes in all) with room to spare. */
export const newRecordId = (): string => randomBytes(9).toString("base64url");

/** This process's records, in a Map (insertion order is age order). */
export function memoryEphemeralStore<T>(limits: EphemeralLimits): EphemeralStore<T> {
  const now = limits.now ?? Date.now;
  const entries = new Map<string, { value: T; at: number }>();
  const live = (id: string) => {
    const e = entries.get(id);
    if (e === undefined) return undefined;
    if (now() - e.at > limits.ttlMs) return void entries.delete(id);
    return e;
  };
  return {
    async put(value) {
      const id = newRecordId();
      entries.set(id, { value, at: now() });
      while (entries.size > limits.capacity) entries.delete(entries.keys().next().value!);
      return id;
    },
    get: async (id) => live(id)?.value,
    async take(id) {
      const e = live(id);
      entries.delete(id);
      return e?.value;
    },
  };
}
