/**
 * Polls the published build id and calls `onBuild` whenever it differs from
 * the last one seen (the first check included: a build published between
 * loading and the first check is not missed; the caller ignores the id it
 * serves): how an instance notices a build another process published. Polling, not LISTEN/NOTIFY or
 * fs.watch, so it works alike for a folder, a database and PGlite's socket
 * (whose connections share one session). A failed check is skipped.
 */
export function pollBuildId(read: () => Promise<string | undefined>, onBuild: (buildId: string) => void, everyMs: number): () => void {
  let last: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const id = await read();
      if (!stopped && id !== undefined && id !== last) onBuild(id);
      if (id !== undefined) last = id;
    } catch {
      // Unreachable for now: the next tick tries again.
    }
    if (!stopped) timer = setTimeout(() => void tick(), everyMs).unref();
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
