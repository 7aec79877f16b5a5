import type { Logger } from "../log.js";

/**
 * Work an update starts but must not wait for (an upload's rebuild, a
 * /reindex): the handler answers at once, so a webhook request never hangs
 * past Telegram's patience, and the job reports to the admin itself when it
 * ends. Failures are logged, never left as unhandled rejections; shutdown
 * and tests wait for `idle()`.
 */
export interface BackgroundJobs {
  run(label: string, job: () => Promise<void>): void;
  /** Resolves when no job is running (including jobs started meanwhile). */
  idle(): Promise<void>;
  readonly running: number;
}

export function createBackgroundJobs(log: Logger): BackgroundJobs {
  const jobs = new Set<Promise<void>>();
  return {
    run(label, job) {
      const p: Promise<void> = Promise.resolve()
        .then(job)
        .catch((error: unknown) => log.error({ err: error, job: label }, "background job failed"))
        .finally(() => jobs.delete(p));
      jobs.add(p);
    },
    async idle() {
      while (jobs.size > 0) await Promise.all([...jobs]);
    },
    get running() {
      return jobs.size;
    },
  };
}
