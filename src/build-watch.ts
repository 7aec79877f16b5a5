import type { Logger } from "./log.js";
import type { NewsService } from "./service.js";

export interface BuildWatch {
  /** Checks now (what the timer does): true when a newer build was swapped in. */
  check(): Promise<boolean>;
  stop(): void;
}

/**
 * Makes a rebuild by one instance seen by all: every `intervalMs` the store
 * is asked which build is published (one small read), and a newer one is
 * loaded. A build-id check rather than LISTEN/NOTIFY: it needs no extra
 * connection, misses nothing while the database is away, and works the same
 * for instances sharing a folder. A failed check is logged (once until it
 * works again) and the current build keeps serving.
 */
export function watchBuilds(service: Pick<NewsService, "refresh" | "buildId">, opts: { intervalMs: number; log: Logger }): BuildWatch {
  let failing = false;
  const check = async (): Promise<boolean> => {
    try {
      const swapped = await service.refresh();
      if (failing) opts.log.info("build check works again");
      failing = false;
      if (swapped) opts.log.info({ build: service.buildId() }, "serving a build published by another instance");
      return swapped;
    } catch (error) {
      if (!failing) opts.log.warn({ err: error }, "could not check for a newer build; serving the current one");
      failing = true;
      return false;
    }
  };
  let running: Promise<boolean> | undefined;
  const timer = setInterval(() => {
    running ??= check().finally(() => (running = undefined));
  }, opts.intervalMs);
  // Never what keeps a process alive.
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
