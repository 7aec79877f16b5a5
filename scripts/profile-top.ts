/**
 * `npm run profile:top -- FILE.cpuprofile [--top 15]`: the functions with the most
 * self time in a profile written by `node --cpu-prof`, as text (idle time left out).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { topFrames } from "../src/bench/cpuprofile.js";
import { runCli } from "../src/cli/run.js";
import { UsageError } from "../src/errors.js";

runCli(async () => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "15" } } });
  const file = positionals[0];
  if (file === undefined) throw new UsageError("usage: npm run profile:top -- FILE.cpuprofile [--top 15]");
  const { totalMs, frames } = topFrames(JSON.parse(await readFile(file, "utf8")), Number(values.top));
  process.stdout.write(`busy ${totalMs} ms\n${frames.map((f) => `${f.share.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.frame}`).join("\n")}\n`);
  return 0;
});
