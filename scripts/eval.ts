/**
 * `npm run eval -- --questions FILE [--k 10] [--mode hybrid|dense|lexical|all] [--json] [--out DIR]
 *   [--by KEY] [--now YYYY-MM-DD] [--fold dev|test] [--variant courtesy|traditional]
 *   [--sweep-coverage LIST] [--sweep-similarity LIST] [--targets KEY=VALUE,…]`
 *
 * Runs a question set through the same engine the bot uses, on the corpus and
 * index of CORPUS_DIR/INDEX_DIR, and prints retrieval and answer metrics; with
 * --mode all, one table comparing the modes. Writes a Markdown report with a
 * hit@k chart to --out; without --out only the project's own set
 * (eval/questions.jsonl) writes one, to eval/report, so measuring another set
 * never overwrites the committed report. --by breaks every metric down by a
 * question key (`type`); --now sets the clock relative dates are read against
 * (an archive's "this year"); --fold keeps one half of the questions (by a
 * hash of the id), to fit on one half and report on the other; --variant
 * rewords every question as members send them (wrapped in courtesy, or typed
 * in traditional characters) with the same gold answers.
 *
 * `--sweep-coverage 0.3,0.4,0.5` and/or `--sweep-similarity 0.5,0.6,0.7`
 * instead rerun the first mode at every pair of ABSTAIN_MIN_COVERAGE and
 * ABSTAIN_MIN_SIMILARITY (a list left out keeps the configured value), print
 * how answers and abstention trade off, and choose a pair by the rule in
 * `src/eval/sweep.ts` (`--targets answerHit=0.8,falseAbstentions=0.05,
 * abstentionRecall=0.85`, the defaults). With `--fold dev` the chosen pair is
 * then run on the test fold: fitted on one half, reported on the other.
 */
import "dotenv/config";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/run.js";
import { loadConfig, type RetrievalMode } from "../src/config.js";
import { ModelError, UsageError } from "../src/errors.js";
import { hitAtKChartSvg } from "../src/eval/chart.js";
import { type EvalQuestion, foldOf, readQuestionFile } from "../src/eval/questions.js";
import { formatMarkdownReport, formatReportTable } from "../src/eval/report.js";
import { breakdown, type EvalReport, runEval } from "../src/eval/run.js";
import { calibrate, formatCalibration, parseTargets, parseThresholds, serviceOpener, thresholdGrid } from "../src/eval/sweep.js";
import { rewordQuestions, VARIANTS } from "../src/eval/variants.js";
import { isRelevant } from "../src/eval/metrics.js";
import { openNewsService } from "../src/service.js";
import { defaultDeps } from "../src/wiring.js";

const MODES: readonly RetrievalMode[] = ["hybrid", "dense", "lexical"];
const OWN_QUESTIONS = "eval/questions.jsonl";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      questions: { type: "string", default: OWN_QUESTIONS },
      k: { type: "string", default: "10" },
      mode: { type: "string", default: "all" },
      json: { type: "boolean", default: false },
      out: { type: "string" },
      by: { type: "string" },
      now: { type: "string" },
      fold: { type: "string" },
      variant: { type: "string" },
      "sweep-coverage": { type: "string" },
      "sweep-similarity": { type: "string" },
      targets: { type: "string" },
    },
  });
  if (values.fold !== undefined && values.fold !== "dev" && values.fold !== "test") throw new UsageError("--fold is dev or test");
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UsageError("--k takes a whole number from 1 to 50");
  const modes = values.mode === "all" ? MODES : MODES.filter((m) => m === values.mode);
  if (modes.length === 0) throw new UsageError("--mode is hybrid, dense, lexical or all");
  const notes: string[] = [];
  const all = await readQuestionFile(values.questions, (s) => notes.push(`${values.questions}:${s.line}: skipped (${s.reason})`));
  const folded = values.fold === undefined ? all : all.filter((q) => foldOf(q.id) === values.fold);
  if (values.fold !== undefined) notes.push(`fold ${values.fold}: ${folded.length} of ${all.length} questions`);
  const variant = VARIANTS.find((v) => v === values.variant);
  if (values.variant !== undefined && variant === undefined) throw new UsageError(`--variant is ${VARIANTS.join(" or ")}`);
  const reword = async (qs: readonly EvalQuestion[]) => (variant === undefined ? qs : rewordQuestions(qs, variant));
  const questions = await reword(folded);
  if (variant !== undefined) notes.push(`every question reworded: ${variant}`);
  const base = loadConfig(values.now === undefined ? process.env : { ...process.env, NOW: values.now });
  const deps = defaultDeps();
  if (base.modelsDir && existsSync(path.join(base.modelsDir, base.embeddingModel, "fixture.json"))) {
    notes.push(`The model in MODELS_DIR is a random-weight fixture (${base.embeddingModel}): dense and hybrid figures measure the code path, not retrieval quality.`);
  }

  const sweep = values["sweep-coverage"] !== undefined || values["sweep-similarity"] !== undefined;
  if (values.targets !== undefined && !sweep) throw new UsageError("--targets applies to a sweep: add --sweep-coverage or --sweep-similarity");
  if (sweep) {
    if (values.out !== undefined || values.by !== undefined) throw new UsageError("--out and --by do not apply to a sweep, which prints its rows");
    const mode = modes[0]!;
    const otherFold = values.fold === "dev" ? "test" : values.fold === "test" ? "dev" : undefined;
    const calibration = await calibrate({
      points: thresholdGrid(
        values["sweep-coverage"] === undefined ? [base.minCoverage] : parseThresholds("--sweep-coverage", values["sweep-coverage"], 0, 1),
        values["sweep-similarity"] === undefined ? [base.minSimilarity] : parseThresholds("--sweep-similarity", values["sweep-similarity"], -1, 1.01),
      ),
      open: serviceOpener({ ...base, retrieval: mode }, deps),
      questions,
      heldOut: otherFold === undefined ? undefined : { fold: otherFold, questions: await reword(all.filter((q) => foldOf(q.id) === otherFold)) },
      mode,
      k,
      targets: values.targets === undefined ? undefined : parseTargets(values.targets),
    });
    for (const n of values.json ? [] : notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(values.json ? `${JSON.stringify({ questionsFile: values.questions, notes, ...calibration }, null, 2)}\n` : `${formatCalibration(calibration, values.fold === undefined ? "these questions" : `fold ${values.fold}`)}\n`);
    return 0;
  }

  const reports: EvalReport[] = [];
  for (const mode of modes) {
    let service;
    try {
      service = await openNewsService({ ...base, retrieval: mode }, deps, { build: "always" });
    } catch (error) {
      if (!(error instanceof ModelError) || values.mode !== "all") throw error;
      notes.push(`${mode} skipped: ${error.message}`);
      continue;
    }
    const engine = service.engine();
    const relevantCount = (q: EvalQuestion) =>
      engine.stories.reduce((n, s) => n + s.paragraphs.filter((text) => isRelevant({ title: s.title, text }, q)).length, 0);
    reports.push(await runEval(questions, (q, kk) => engine.ask(q, { k: kk }), { mode, k, relevantCount }));
    await service.close();
  }

  const out = values.out ?? (path.resolve(values.questions) === path.resolve(OWN_QUESTIONS) && variant === undefined ? "eval/report" : undefined);
  if (out !== undefined) {
    await mkdir(out, { recursive: true });
    const chartFile = "hit-at-k.svg";
    await writeFile(path.join(out, chartFile), await hitAtKChartSvg(Object.fromEntries(reports.map((r) => [r.mode, r.retrieval.hitCurve]))));
    await writeFile(path.join(out, "README.md"), formatMarkdownReport(reports, { questionsFile: values.questions, chartFile, notes }));
  }
  const groups = values.by === undefined ? [] : reports.map((r) => ({ mode: r.mode, groups: breakdown(r, questions, values.by!) }));

  if (values.json) {
    const slim = ({ results: _results, failures: _failures, ...r }: EvalReport) => r;
    const full = reports.map(({ results: _results, ...r }) => r);
    const by = groups.map((g) => ({ mode: g.mode, key: values.by, groups: g.groups.map((x) => ({ group: x.group, ...slim(x.report) })) }));
    process.stdout.write(`${JSON.stringify({ questionsFile: values.questions, notes, reports: full, ...(values.by === undefined ? {} : { breakdown: by }) }, null, 2)}\n`);
  } else {
    for (const n of notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(`${formatReportTable(reports)}\n`);
    for (const g of groups) {
      for (const x of g.groups) process.stdout.write(`\n${g.mode}, ${values.by} = ${x.group}:\n${formatReportTable([x.report])}\n`);
    }
    for (const r of reports) {
      if (r.failures.length === 0) continue;
      process.stdout.write(`\n${r.mode}: ${r.failures.length} failed\n`);
      for (const f of r.failures) {
        process.stdout.write(`  ${f.id} ${f.question}\n    expected: ${f.expected}\n    problem:  ${f.problem}\n    got:      ${f.got.replace(/\n/g, " ").slice(0, 120)}\n`);
        for (const t of f.top) process.stdout.write(`      ${t}\n`);
      }
    }
    process.stdout.write(out === undefined ? "\nno report written (not the project's own set; pass --out DIR to write one)\n" : `\nreport: ${path.join(out, "README.md")}\n`);
  }
  return 0;
});
