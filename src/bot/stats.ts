/** Counters an admin reads with /stats; they live as long as the process. */
export interface BotStats {
  readonly startedAt: number;
  answered: number;
  abstained: number;
}

export function createStats(now = Date.now()): BotStats {
  return { startedAt: now, answered: 0, abstained: 0 };
}

/** `3天4小时5分` style uptime, for /stats. */
export function formatUptime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d > 0 ? `${d}天` : ""}${d > 0 || h > 0 ? `${h}小时` : ""}${m}分`;
}
