/**
 * One rebuild at a time across every instance serving one index. The
 * folder index has its own lease file (`index/lock.ts`) taken inside the
 * build; an index in a database needs a lock all instances see
 * (`state/pg/build-lock.ts`), taken around the whole rebuild.
 */
export interface BuildLock {
  /** Runs `work` holding the lock; throws (an `IndexError`) at once when another holds it. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** For one process: `NewsService` already refuses a second rebuild of its own. */
export const NO_BUILD_LOCK: BuildLock = { run: (work) => work() };
