/** `npm run build-index`: brings the index up to date with the corpus, embedding only what changed. */
import "dotenv/config";
import { createProgress } from "../src/cli/progress.js";
import { runCli } from "../src/cli/run.js";
import { loadConfig } from "../src/config.js";
import type { BuildReport } from "../src/index/build.js";
import { describeBuild } from "../src/cli/build-summary.js";
import { indexLocation } from "../src/build-runner.js";
import { openNewsService } from "../src/service.js";
import { defaultDeps } from "../src/wiring.js";

runCli(async () => {
  const config = loadConfig();
  const progress = createProgress("embedding");
  let report: BuildReport | undefined;
  const service = await openNewsService(config, defaultDeps(), {
    build: "always",
    onProgress: progress.update,
    onBuild: (r) => {
      report = r;
    },
  });
  progress.stop();
  for (const n of service.notices) process.stderr.write(`${n}\n`);
  await service.close();
  if (!report) return 1;
  for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`${describeBuild(report, indexLocation(config))}\n`);
  return 0;
});
