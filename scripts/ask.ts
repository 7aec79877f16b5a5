/** `npm run ask -- [--json] [--k N] "问题"`: one question through the same engine the bot uses. */
import "dotenv/config";
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/run.js";
import { renderAnswer } from "../src/cli/render.js";
import { loadConfig } from "../src/config.js";
import { QuestionError } from "../src/errors.js";
import { corpusChangedSinceBuild } from "../src/index/fingerprint.js";
import { openNewsService } from "../src/service.js";
import { defaultDeps } from "../src/wiring.js";

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, k: { type: "string" } },
  });
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 50)) {
    process.stderr.write("error: --k takes a whole number from 1 to 50\n");
    return 2;
  }
  const question = positionals.join(" ");
  const config = loadConfig();
  // The corpus is hashed on other threads while the index loads on this one.
  const checking = corpusChangedSinceBuild(config.corpusDir, config.indexDir).catch(() => undefined);
  const service = await openNewsService(config, defaultDeps(), { build: "if-missing" });
  for (const n of service.notices) process.stderr.write(`${n}\n`);
  const freshness = await checking;
  if (freshness?.changed) {
    process.stderr.write(`warning: the corpus in ${config.corpusDir} differs from the index (built ${freshness.builtAt}); this answer may be out of date. Run npm run build-index.\n`);
  }
  try {
    const answer = await service.engine().ask(question, k === undefined ? {} : { k });
    if (values.json) {
      const { closestTitles: _titles, latencyMs: _ms, ...shape } = answer;
      process.stdout.write(`${JSON.stringify(shape, null, 2)}\n`);
    } else {
      process.stdout.write(`${renderAnswer(answer)}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof QuestionError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  } finally {
    await service.close();
  }
});
