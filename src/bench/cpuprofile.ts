/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) a summary needs. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Frame {
  readonly frame: string;
  readonly selfMs: number;
  readonly share: number;
}

/**
 * Self time per function, largest first: the text form of a flame graph's
 * widest leaves, short enough to paste into a README. Frames are named
 * `function file:line` with the file's last two path segments.
 */
export function topFrames(profile: CpuProfile, count: number, skipIdle = true): { totalMs: number; frames: Frame[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const cf = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (cf === undefined) return;
    const name = `${cf.functionName || "(anonymous)"} ${cf.url.split("/").slice(-2).join("/")}${cf.url ? `:${cf.lineNumber + 1}` : ""}`.trim();
    if (skipIdle && name === "(idle)") return;
    total += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  const frames = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, us]) => ({ frame, selfMs: Math.round(us / 1000), share: Math.round((1000 * us) / total) / 10 }));
  return { totalMs: Math.round(total / 1000), frames };
}
