/** `npm run stories [-- --json]`: shows what the parser makes of the corpus, before any index is built. */
import "dotenv/config";
import { parseArgs } from "node:util";
import { bylineText } from "../src/answer/source-line.js";
import { runCli } from "../src/cli/run.js";
import { loadConfig } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";

runCli(async () => {
  const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });
  const config = loadConfig();
  const corpus = await loadCorpus(config.corpusDir, { maxFileBytes: config.corpusMaxFileMb * 2 ** 20 });
  for (const w of corpus.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const e of corpus.errors) process.stderr.write(`error: ${e.message}\n`);
  if (values.json) {
    const out = corpus.stories.map((s) => ({
      id: s.id,
      file: s.file,
      title: s.title,
      subtitle: s.subtitle ?? null,
      rubric: s.rubric ?? null,
      byline: s.byline ?? null,
      ...(s.date ? { date: s.date } : {}),
      ...(s.url ? { url: s.url } : {}),
      ...(s.source ? { source: s.source } : {}),
      paragraphs: s.paragraphs,
    }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    for (const s of corpus.stories) {
      const heads = [s.rubric && `[${s.rubric}]`, `《${s.title}》`, s.subtitle && `—— ${s.subtitle}`].filter(Boolean).join(" ");
      process.stdout.write(`${s.id}  ${heads}\n    ${bylineText(s.byline) || "(no byline)"} · ${s.date ?? s.file} · ${s.paragraphs.length} paragraphs\n`);
      s.paragraphs.forEach((p, i) => process.stdout.write(`    ${i + 1}. ${p.length > 60 ? `${p.slice(0, 60)}…` : p}\n`));
    }
    process.stdout.write(`${corpus.stories.length} stories in ${corpus.files.length} files\n`);
  }
  return corpus.errors.length > 0 ? 1 : 0;
});
