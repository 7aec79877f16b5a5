import type { EvalQuestion } from "./questions.js";
import { type Ask, runEval } from "./run.js";
import type { EvalReport } from "./types.js";
import type { Config, RetrievalMode } from "../config.js";
import { UsageError } from "../errors.js";
import { openNewsService, type ServiceDeps } from "../service.js";

/** The two bars of the answer-or-abstain decision (`ABSTAIN_MIN_COVERAGE`, `ABSTAIN_MIN_SIMILARITY`). */
export interface ThresholdPoint {
  readonly minCoverage: number;
  readonly minSimilarity: number;
}

/** What one pair of thresholds does to a question set. */
export interface SweepRow extends ThresholdPoint {
  readonly questions: number;
  readonly answerHit: number | null;
  readonly citationPrecision: number | null;
  readonly falseAbstentions: number | null;
  readonly abstentionPrecision: number | null;
  readonly abstentionRecall: number | null;
  /** Share of all questions handled right: answerable ones answered with a gold answer, unanswerable ones refused. */
  readonly handledRight: number;
}

/**
 * What a threshold must reach to be chosen. The defaults are the issue's
 * targets for the CMRC split, the one set with honest negatives of its
 * questions' own style.
 */
export interface Targets {
  readonly answerHit: number;
  readonly falseAbstentions: number;
  readonly abstentionRecall: number;
}

export const DEFAULT_TARGETS: Targets = { answerHit: 0.8, falseAbstentions: 0.05, abstentionRecall: 0.85 };

/** One engine per pair of thresholds, over the same index; closed after its run. */
export type OpenAt = (point: ThresholdPoint) => Promise<{ readonly ask: Ask; close(): Promise<void> }>;

/** Every pair of the two lists, coverage varying slowest. */
export function thresholdGrid(coverages: readonly number[], similarities: readonly number[]): ThresholdPoint[] {
  return coverages.flatMap((minCoverage) => similarities.map((minSimilarity) => ({ minCoverage, minSimilarity })));
}

/** `0.3,0.4,0.5` as numbers within [min, max], or a message naming the flag. */
export function parseThresholds(flag: string, text: string, min: number, max: number): number[] {
  const values = text.split(",").map((s) => (s.trim() === "" ? Number.NaN : Number(s)));
  if (values.some((v) => !Number.isFinite(v) || v < min || v > max)) {
    throw new UsageError(`${flag} takes numbers from ${min} to ${max}, comma-separated (got "${text}")`);
  }
  return values;
}

const TARGET_KEYS = ["answerHit", "falseAbstentions", "abstentionRecall"] as const;

/** `answerHit=0.75,falseAbstentions=0.1`: the targets named, the others kept. */
export function parseTargets(text: string, base: Targets = DEFAULT_TARGETS): Targets {
  let targets = base;
  for (const part of text.split(",")) {
    const [key, value, ...rest] = part.split("=").map((s) => s.trim());
    const name = TARGET_KEYS.find((k) => k === key);
    const n = Number(value);
    if (name === undefined || value === undefined || value === "" || rest.length > 0 || !(n >= 0 && n <= 1)) {
      throw new UsageError(`--targets takes ${TARGET_KEYS.join(", ")} as key=value from 0 to 1, comma-separated (got "${part}")`);
    }
    targets = { ...targets, [name]: n };
  }
  return targets;
}

/** A report's answer figures as one sweep row; the share handled right counted from its questions, not from rounded rates. */
function rowOf(point: ThresholdPoint, r: EvalReport): SweepRow {
  const a = r.answers;
  const right = r.results.filter((q) => (q.unanswerable ? q.abstained : q.answerHit)).length;
  return {
    ...point,
    questions: r.questions,
    answerHit: a.answerHit,
    citationPrecision: a.citationPrecision,
    falseAbstentions: a.falseAbstentionRate,
    abstentionPrecision: a.abstentionPrecision,
    abstentionRecall: a.abstentionRecall,
    handledRight: r.questions === 0 ? 0 : Math.round((right / r.questions) * 1000) / 1000,
  };
}

/** Opens the service at each pair of thresholds over the corpus and index `config` names (brought up to date first). */
export function serviceOpener(config: Config, deps: ServiceDeps): OpenAt {
  return async (point) => {
    const service = await openNewsService({ ...config, ...point }, deps, { build: "always" });
    return { ask: (q, k) => service.engine().ask(q, { k }), close: () => service.close() };
  };
}

/**
 * Runs the questions at each pair of thresholds. Each pair gets its own
 * engine (opened, run, closed in turn), so no setting leaks into the next.
 */
export async function sweepThresholds(points: readonly ThresholdPoint[], open: OpenAt, questions: readonly EvalQuestion[], opts: { mode: RetrievalMode; k: number }): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const point of points) {
    const engine = await open(point);
    try {
      rows.push(rowOf(point, await runEval(questions, engine.ask, opts)));
    } finally {
      await engine.close();
    }
  }
  return rows;
}

/** Whether a row reaches every target; a figure the set cannot measure (no unanswerable questions) does not count against it. */
function meetsTargets(row: SweepRow, targets: Targets): boolean {
  return (row.answerHit ?? 1) >= targets.answerHit && (row.falseAbstentions ?? 0) <= targets.falseAbstentions && (row.abstentionRecall ?? 1) >= targets.abstentionRecall;
}

/**
 * The rule fixed before any sweep: among the pairs meeting the targets, the
 * one handling the most questions right (the first listed on a tie); when
 * none meets them, the one handling the most right, and it says so. Fitted on
 * one set or fold, it is reported on another, never on the one it was fitted to.
 */
export function chooseThresholds(rows: readonly SweepRow[], targets: Targets = DEFAULT_TARGETS): { readonly row: SweepRow; readonly meetsTargets: boolean } {
  if (rows.length === 0) throw new RangeError("no thresholds were swept");
  const meeting = rows.filter((r) => meetsTargets(r, targets));
  const pool = meeting.length > 0 ? meeting : rows;
  const row = pool.reduce((best, r) => (r.handledRight > best.handledRight ? r : best));
  return { row, meetsTargets: meeting.length > 0 };
}

/** A calibration: every row, the pair chosen, and the chosen pair on questions it was not fitted to. */
export interface Calibration {
  readonly mode: RetrievalMode;
  readonly targets: Targets;
  readonly rows: readonly SweepRow[];
  readonly chosen: SweepRow;
  readonly meetsTargets: boolean;
  /** The chosen pair on the other fold; absent when the sweep ran on a whole set. */
  readonly heldOut?: SweepRow & { readonly fold: string };
}

/**
 * Sweeps the pairs on the fitting questions, chooses one by the rule, and
 * runs the chosen pair on the held-out questions when there are some.
 */
export async function calibrate(opts: {
  readonly points: readonly ThresholdPoint[];
  readonly open: OpenAt;
  readonly questions: readonly EvalQuestion[];
  readonly heldOut?: { readonly fold: string; readonly questions: readonly EvalQuestion[] } | undefined;
  readonly mode: RetrievalMode;
  readonly k: number;
  readonly targets?: Targets | undefined;
}): Promise<Calibration> {
  if (opts.questions.length === 0) throw new UsageError("no questions to fit the thresholds on (is the fold empty?)");
  if (opts.heldOut !== undefined && opts.heldOut.questions.length === 0) throw new UsageError(`no questions in the ${opts.heldOut.fold} fold to report the chosen thresholds on`);
  const targets = opts.targets ?? DEFAULT_TARGETS;
  const run = { mode: opts.mode, k: opts.k };
  const rows = await sweepThresholds(opts.points, opts.open, opts.questions, run);
  const { row, meetsTargets } = chooseThresholds(rows, targets);
  const calibration: Calibration = { mode: opts.mode, targets, rows, chosen: row, meetsTargets };
  if (opts.heldOut === undefined) return calibration;
  const [held] = await sweepThresholds([row], opts.open, opts.heldOut.questions, run);
  return { ...calibration, heldOut: { ...held!, fold: opts.heldOut.fold } };
}

const figures = (r: SweepRow) =>
  `answerHit=${r.answerHit}  falseAbstentions=${r.falseAbstentions}  abstentionRecall=${r.abstentionRecall}  handledRight=${r.handledRight}  citationPrecision=${r.citationPrecision}  abstentionPrecision=${r.abstentionPrecision}`;

/** The sweep as lines for a terminal. */
export function formatCalibration(c: Calibration, fittedOn: string): string {
  const lines = c.rows.map((r) => `minCoverage=${r.minCoverage}  minSimilarity=${r.minSimilarity}  ${figures(r)}`);
  const t = c.targets;
  lines.push(
    "",
    `chosen on ${fittedOn} (${c.mode}): ABSTAIN_MIN_COVERAGE=${c.chosen.minCoverage} ABSTAIN_MIN_SIMILARITY=${c.chosen.minSimilarity}`,
    c.meetsTargets
      ? `  the pair handling the most questions right among those meeting answerHit >= ${t.answerHit}, falseAbstentions <= ${t.falseAbstentions}, abstentionRecall >= ${t.abstentionRecall}`
      : `  no pair meets answerHit >= ${t.answerHit}, falseAbstentions <= ${t.falseAbstentions}, abstentionRecall >= ${t.abstentionRecall}: the pair handling the most questions right`,
  );
  if (c.heldOut === undefined) lines.push("  figures fitted on these questions: report the chosen pair on another set (or sweep with --fold dev)");
  else lines.push(`held out (fold ${c.heldOut.fold}, ${c.heldOut.questions} questions): ${figures(c.heldOut)}`);
  return lines.join("\n");
}
