/** What /stats counts. */
export type Outcome = "answered" | "abstained";

export interface StatsSnapshot {
  readonly answered: number;
  readonly abstained: number;
  /** Since when (ms): this process's start, or when the shared counters began. */
  readonly since: number;
  /** True when the counts are every instance's together. */
  readonly shared: boolean;
}

/** Answer counters an admin reads with /stats. */
export interface StatsStore {
  /** When this process started: uptime stays per instance. */
  readonly startedAt: number;
  count(outcome: Outcome): Promise<void>;
  read(): Promise<StatsSnapshot>;
}

/** Counters that live as long as the process. */
export function memoryStats(now = Date.now()): StatsStore {
  const counts = { answered: 0, abstained: 0 };
  return {
    startedAt: now,
    async count(outcome) {
      counts[outcome]++;
    },
    read: async () => ({ ...counts, since: now, shared: false }),
  };
}
