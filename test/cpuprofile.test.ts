import { describe, expect, it } from "vitest";
import { topFrames } from "../src/bench/cpuprofile.js";

describe("CPU profile summary", () => {
  it("sums self time per function, largest first, leaving idle time out", () => {
    const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame("(idle)") },
        { id: 2, callFrame: frame("words", "file:///repo/src/search/segment.ts", 29) },
        { id: 3, callFrame: frame("", "file:///repo/src/index/store.ts", 9) },
        { id: 4, callFrame: frame("words", "file:///repo/src/search/segment.ts", 29) },
      ],
      samples: [1, 2, 3, 4, 2, 1],
      timeDeltas: [5000, 3000, 1000, 2000, 4000, 7000],
    };
    const { totalMs, frames } = topFrames(profile, 5);
    expect(totalMs).toBe(10);
    expect(frames).toEqual([
      { frame: "words search/segment.ts:30", selfMs: 9, share: 90 },
      { frame: "(anonymous) index/store.ts:10", selfMs: 1, share: 10 },
    ]);
  });
});
