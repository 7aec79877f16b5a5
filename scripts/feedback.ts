/** `npm run feedback -- --export FILE [--days N]`: refused questions and 👎 answers as evaluation questions to label. */
import "dotenv/config";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/run.js";
import { loadConfig } from "../src/config.js";
import { exportQuestions, toJsonLines } from "../src/feedback/export.js";
import { describeDatabase, poolFromConfig } from "../src/db/postgres.js";
import { openStoredState } from "../src/state/create.js";

runCli(async () => {
  const { values } = parseArgs({ options: { export: { type: "string" }, days: { type: "string" } } });
  const days = values.days === undefined ? undefined : Number(values.days);
  if (values.export === undefined || values.export === "" || (days !== undefined && !(Number.isInteger(days) && days > 0))) {
    process.stderr.write("usage: npm run feedback -- --export FILE [--days N]\n");
    return 2;
  }
  const config = loadConfig();
  const db = poolFromConfig(config, "union-news-bot feedback");
  const store = await openStoredState(config, db);
  const since = days === undefined ? 0 : Date.now() - days * 86_400_000;
  const questions = exportQuestions(await store.records(since).finally(() => db?.end()));
  await writeFile(values.export, toJsonLines(questions));
  const refused = questions.filter((q) => q.type === "refused").length;
  process.stderr.write(
    `${values.export}: ${questions.length} questions (${refused} refused, ${questions.length - refused} voted down) from ${config.databaseUrl === undefined ? config.stateDir : describeDatabase(config.databaseUrl)}; each is marked "needs_label": fix its label, then delete that key.\n`,
  );
  return 0;
});
