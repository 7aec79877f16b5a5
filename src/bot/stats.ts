import type { StatsSnapshot } from "../state/stats.js";
import { escapeHtml } from "./html.js";

/** `3天4小时5分` style uptime, for /stats. */
export function formatUptime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d > 0 ? `${d}天` : ""}${d > 0 || h > 0 ? `${h}小时` : ""}${m}分`;
}

/** The answer counters: this instance's since it started, or every instance's since a date. */
export function formatCounts(c: StatsSnapshot): string {
  const counts = `已回答：${c.answered}，未找到答案：${c.abstained}`;
  if (!c.shared) return counts;
  const since = new Date(c.since).toISOString().slice(0, 10);
  return escapeHtml(`${counts}（所有实例合计，自 ${since} 起）`);
}
