import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigError } from "./errors.js";

/** The glossary shipped with the project, found from this file so any working directory works. */
export const DEFAULT_GLOSSARY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "glossary", "labour-zh.txt");

/** How passages are found: by meaning, by words, or both fused. */
export type RetrievalMode = "hybrid" | "dense" | "lexical";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const schema = z.object({
  CORPUS_DIR: z.string().trim().min(1).default("corpus"),
  INDEX_DIR: z.string().trim().min(1).default("data/index"),
  CORPUS_MAX_FILE_MB: z.coerce.number().positive().max(4096).default(50),
  BUILD_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  EMBEDDING_MODEL: z.string().trim().min(1).default("Xenova/bge-small-zh-v1.5"),
  EMBEDDING_DTYPE: z.enum(["fp32", "fp16", "q8", "int8", "uint8", "q4", "bnb4", "q4f16"]).default("fp32"),
  MODELS_DIR: optionalText,
  RETRIEVAL: optionalText.pipe(z.enum(["hybrid", "dense", "lexical"]).optional()),
  TOP_K: z.coerce.number().int().min(1).max(50).default(5),
  // A passage must hold more than this share: 1 would let none pass.
  ABSTAIN_MIN_COVERAGE: z.coerce.number().min(0).lt(1).default(0.5),
  ABSTAIN_MIN_SIMILARITY: z.coerce.number().min(-1).max(1.01).default(0.6),
  GLOSSARY_FILE: z.string().trim().optional(),
  SAME_TOPIC_MARGIN: z.coerce.number().min(0).max(1).default(0.15),
  LATEST_MARGIN: z.coerce.number().min(0).max(1).default(0.3),
  ASKED_BONUS: z.coerce.number().min(0).max(2).default(0.3),
  BOT_TOKEN: optionalText,
  BOT_API_ROOT: z.url().default("https://api.telegram.org"),
  ADMIN_IDS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const ids = v.split(",").map((s) => s.trim()).filter((s) => s !== "");
      for (const id of ids) {
        if (!/^\d+$/.test(id)) {
          ctx.addIssue({ code: "custom", message: `"${id}" is not a numeric Telegram user id` });
          return z.NEVER;
        }
      }
      return ids.map(Number);
    }),
  WEBHOOK_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  WEBHOOK_SECRET: optionalText,
  WEBHOOK_INSECURE: optionalText.pipe(z.enum(["0", "1"]).optional()),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  STATE_DIR: z.string().trim().min(1).default("data/state"),
  STATE_SECRET: optionalText.pipe(z.string().min(16, { message: "must be at least 16 characters (a random string: openssl rand -hex 32)" }).optional()),
  STATE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  FOLLOWUP_MINUTES: z.coerce.number().min(0).max(1440).default(5),
  NOW: optionalText.pipe(z.iso.date({ message: "must be a date such as 2026-09-01" }).optional()),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, { message: "must start with postgres:// or postgresql://" }).optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30000),
  BUILD_CHECK_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
});

/** Everything the process may be told by its environment, validated once. */
export interface Config {
  readonly corpusDir: string;
  readonly indexDir: string;
  /** A corpus file larger than this many megabytes (MiB) is refused by name. */
  readonly corpusMaxFileMb: number;
  /** Threads that segment passages in a large build (BUILD_THREADS; 0: on the build's own thread). */
  readonly buildThreads: number;
  readonly embeddingModel: string;
  readonly embeddingDtype: z.infer<typeof schema>["EMBEDDING_DTYPE"];
  readonly modelsDir: string | undefined;
  /** Unset means "hybrid, falling back to lexical with a warning when no model loads". */
  readonly retrieval: RetrievalMode | undefined;
  readonly topK: number;
  /** A passage is evidence when it holds this share of the question's idf weight… */
  readonly minCoverage: number;
  /** …or when the model's cosine similarity reaches this. */
  readonly minSimilarity: number;
  /** Synonyms and abbreviations for questions (`全总` → `全国总工会`); undefined turns the glossary off. */
  readonly glossaryFile: string | undefined;
  /** Evidence within this coverage of the best is the same topic, among which the newest report answers. */
  readonly sameTopicMargin: number;
  /** The same for questions asking for the latest (最近/最新). */
  readonly latestMargin: number;
  /** Score added to a sentence holding the kind of phrase asked for (a number for 多少…). */
  readonly askedBonus: number;
  readonly botToken: string | undefined;
  readonly botApiRoot: string;
  readonly adminIds: readonly number[];
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
  /**
   * WEBHOOK_INSECURE=1: serve a webhook without a secret (anyone who can reach
   * the port can forge updates). Only for a trusted network; warned at start.
   */
  readonly webhookInsecure: boolean;
  /** Address the webhook server binds; loopback by default, behind a reverse proxy. */
  readonly host: string;
  readonly port: number;
  readonly rateLimitPerMinute: number;
  /** Where members' state (conversation context, feedback, subscriptions) is kept, file-backed. */
  readonly stateDir: string;
  /**
   * Key for the keyed hash (HMAC) that stands for a Telegram user id in
   * stored state, and for sealing the chat ids alerts are sent to. Unset:
   * members' state lives in memory only (nothing is written), with a warning.
   */
  readonly stateSecret: string | undefined;
  /** Days feedback, refused questions and conversation context are kept. */
  readonly stateRetentionDays: number;
  /** How long after an answer a short message in a private chat may be a follow-up to it. */
  readonly followUpMinutes: number;
  readonly logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  /**
   * The day "this year", "last month" and "the latest" are read against:
   * unset means the real clock; set (`NOW=2026-09-01`) to evaluate an archive.
   */
  readonly now: string | undefined;
  /**
   * Set: the index (and the bot's shared state) lives in this PostgreSQL
   * database; unset: the folder under INDEX_DIR. Never logged (it may hold a password).
   */
  readonly databaseUrl: string | undefined;
  readonly databasePoolMax: number;
  readonly databaseConnectTimeoutMs: number;
  /** 0: no limit. */
  readonly databaseStatementTimeoutMs: number;
  /** How often an instance sharing a database checks for a build another one published. */
  readonly buildCheckMs: number;
}

/**
 * Validates the environment once at start-up so a typo fails loudly with the
 * variable's name instead of surfacing later as a strange runtime error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`,
    );
    throw new ConfigError(
      `invalid configuration (see .env.example):\n${lines.join("\n")}`,
    );
  }
  const e = parsed.data;
  if (e.WEBHOOK_URL !== undefined && e.BOT_TOKEN === undefined) {
    throw new ConfigError("WEBHOOK_URL is set but BOT_TOKEN is not: a webhook needs a bot");
  }
  if (e.WEBHOOK_URL !== undefined && e.WEBHOOK_SECRET === undefined && e.WEBHOOK_INSECURE !== "1") {
    throw new ConfigError(
      "WEBHOOK_URL is set but WEBHOOK_SECRET is not: anyone who can reach the port could forge updates (an admin's /reindex, say). " +
        "Set WEBHOOK_SECRET (1-256 characters A-Z, a-z, 0-9, _ and -), or WEBHOOK_INSECURE=1 to accept unsigned updates on a trusted network",
    );
  }
  if (e.WEBHOOK_SECRET !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(e.WEBHOOK_SECRET)) {
    throw new ConfigError("WEBHOOK_SECRET may hold only 1-256 characters A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)");
  }
  return {
    corpusDir: e.CORPUS_DIR,
    indexDir: e.INDEX_DIR,
    corpusMaxFileMb: e.CORPUS_MAX_FILE_MB,
    buildThreads: e.BUILD_THREADS ?? os.availableParallelism(),
    embeddingModel: e.EMBEDDING_MODEL,
    embeddingDtype: e.EMBEDDING_DTYPE,
    modelsDir: e.MODELS_DIR,
    retrieval: e.RETRIEVAL,
    topK: e.TOP_K,
    minCoverage: e.ABSTAIN_MIN_COVERAGE,
    minSimilarity: e.ABSTAIN_MIN_SIMILARITY,
    glossaryFile: e.GLOSSARY_FILE === undefined ? DEFAULT_GLOSSARY : ["", "none", "off"].includes(e.GLOSSARY_FILE) ? undefined : e.GLOSSARY_FILE,
    sameTopicMargin: e.SAME_TOPIC_MARGIN,
    latestMargin: e.LATEST_MARGIN,
    askedBonus: e.ASKED_BONUS,
    botToken: e.BOT_TOKEN,
    botApiRoot: e.BOT_API_ROOT.replace(/\/+$/, ""),
    adminIds: e.ADMIN_IDS,
    webhookUrl: e.WEBHOOK_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookInsecure: e.WEBHOOK_INSECURE === "1",
    host: e.HOST,
    port: e.PORT,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    stateDir: e.STATE_DIR,
    stateSecret: e.STATE_SECRET,
    stateRetentionDays: e.STATE_RETENTION_DAYS,
    followUpMinutes: e.FOLLOWUP_MINUTES,
    logLevel: e.LOG_LEVEL,
    now: e.NOW,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    buildCheckMs: e.BUILD_CHECK_SECONDS * 1000,
  };
}
