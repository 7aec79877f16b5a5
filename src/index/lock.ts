import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { IndexError } from "../errors.js";

/**
 * One build at a time per index folder: an admin's `/reindex` and a shell
 * `npm run build-index` must not prune each other's temporary builds. A lock
 * left by a crashed process (its pid is gone) is taken over.
 */
export async function withBuildLock<T>(indexDir: string, run: () => Promise<T>): Promise<T> {
  const file = path.join(indexDir, ".build.lock");
  await acquire(indexDir, file);
  try {
    return await run();
  } finally {
    await rm(file, { force: true });
  }
}

async function acquire(indexDir: string, file: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new IndexError(indexDir, `another build is running (process ${pid}); wait for it to finish`);
    }
    await rm(file, { force: true });
  }
  throw new IndexError(indexDir, "could not take the build lock");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
