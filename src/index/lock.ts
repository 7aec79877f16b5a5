import { open, readFile, rm, stat, utimes } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { IndexError } from "../errors.js";
import { fsCause } from "./fs-errors.js";

/**
 * One build at a time per index folder: an admin's `/reindex` and a shell
 * `npm run build-index` must not prune each other's temporary builds.
 *
 * The lock file is a lease naming its holder by pid, the process's start
 * time and the host. A pid alone is not an identity: after a container
 * restart the new process often gets the very pid the dead one wrote (pid 1
 * in a container), and a live pid may belong to an unrelated process. So a
 * lease on this host is stale when its pid is gone or now belongs to a
 * process that started at another time (this process included); a lease
 * from another host (a shared INDEX_DIR) cannot be checked that way and is
 * stale once its holder has stopped renewing it for `LEASE_MS`.
 */
export const LOCK_FILE = ".build.lock";
/** Another host's lease is trusted this long after its last renewal. */
export const LEASE_MS = 10 * 60_000;
const RENEW_MS = 60_000;

export interface Lease {
  readonly pid: number;
  /** Process start time as the kernel reports it (`/proc/<pid>/stat`), or wall-clock where that is unavailable. */
  readonly started: string;
  readonly host: string;
  /** The worker thread inside the process (0: the main thread), so a runner can clear a lease its dead worker left. */
  readonly thread: number;
  readonly acquiredAt: string;
}

export async function withBuildLock<T>(indexDir: string, run: () => Promise<T>): Promise<T> {
  const file = path.join(indexDir, LOCK_FILE);
  await acquire(indexDir, file);
  // Renewing the lease tells other hosts the holder is alive; unref'd, so it never keeps a process up.
  const renew = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => {});
  }, RENEW_MS);
  renew.unref();
  try {
    return await run();
  } finally {
    clearInterval(renew);
    await rm(file, { force: true }).catch(() => {});
  }
}

/** This process's lease. */
export async function ownLease(): Promise<Lease> {
  return { pid: process.pid, started: await processStarted(process.pid) ?? fallbackStart(), host: os.hostname(), thread: threadId, acquiredAt: new Date().toISOString() };
}

async function acquire(indexDir: string, file: string): Promise<void> {
  const mine = await ownLease();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") {
        await rm(file, { force: true }).catch(() => {});
        throw new IndexError(indexDir, `cannot take the build lock ${LOCK_FILE}: ${fsCause(error)}`, { cause: error });
      }
    }
    const held = await readLease(file);
    const verdict = await judge(held, mine, file);
    if (verdict !== "stale") throw new IndexError(indexDir, verdict);
    await rm(file, { force: true });
  }
  throw new IndexError(indexDir, "could not take the build lock");
}

/** "stale", or why the lease still holds. */
async function judge(held: Lease | undefined, mine: Lease, file: string): Promise<string> {
  if (held === undefined) return "stale";
  if (held.host !== mine.host) {
    const age = Date.now() - (await stat(file).then((s) => s.mtimeMs, () => 0));
    if (age > LEASE_MS) return "stale";
    return `another build is running on host ${held.host} (process ${held.pid}, lease renewed ${Math.round(age / 1000)}s ago); wait for it, or remove ${LOCK_FILE} if that host is gone (the lease lapses after ${LEASE_MS / 60_000} minutes)`;
  }
  if (held.pid === mine.pid) {
    // Our own pid: either this very process holds it (another build in this
    // process or one of its worker threads), or a predecessor that had our pid did.
    return held.started === mine.started ? "another build is running in this process; wait for it to finish" : "stale";
  }
  if (!isAlive(held.pid) || (await isZombie(held.pid))) return "stale";
  const started = await processStarted(held.pid);
  if (started !== undefined && held.started !== "" && started !== held.started) return "stale";
  return `another build is running (process ${held.pid}); wait for it to finish`;
}

/** The lease in the file; a bare pid (the lock's first format) is read as a lease of unknown start. */
async function readLease(file: string): Promise<Lease | undefined> {
  const text = (await readFile(file, "utf8").catch(() => "")).trim();
  if (/^\d+$/.test(text)) return { pid: Number(text), started: "", host: os.hostname(), thread: 0, acquiredAt: "" };
  try {
    const value = JSON.parse(text) as Partial<Lease>;
    if (typeof value.pid !== "number" || typeof value.host !== "string") return undefined;
    return { pid: value.pid, started: String(value.started ?? ""), host: value.host, thread: Number(value.thread ?? 0), acquiredAt: String(value.acquiredAt ?? "") };
  } catch {
    return undefined;
  }
}

/**
 * A process's start time in clock ticks after boot (field 22 of
 * `/proc/<pid>/stat`, read after the last ")" since the command name may
 * hold spaces), prefixed by the boot id so it is unique across reboots.
 */
export async function processStarted(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = fields[19];
    const boot = (await readFile("/proc/sys/kernel/random/boot_id", "utf8").catch(() => "")).trim();
    return ticks === undefined ? undefined : `${boot}:${ticks}`;
  } catch {
    return undefined;
  }
}

/** Without /proc: this process's start to the second. */
function fallbackStart(): string {
  return new Date(Math.round((Date.now() - process.uptime() * 1000) / 1000) * 1000).toISOString();
}

/**
 * A killed build whose parent has not reaped it yet (a zombie, `Z` in `/proc/<pid>/stat`) still answers
 * `kill(pid, 0)`, and would hold the lease until reaped: under a container's first process that never reaps,
 * forever. It runs nothing: its lease is stale.
 */
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return /^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
