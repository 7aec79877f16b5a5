/**
 * Errors typed by who failed, in the spirit of grammY's `core/error.ts`:
 * each names the party at fault (a corpus file, the model, the index, the
 * configuration, a question) and carries a message a user can act on.
 * Nothing here ever includes the bot token.
 */

import type { Courtesy } from "./answer/courtesy.js";
import type { Period } from "./dates.js";

/** Base class so callers can tell our failures from programming errors. */
export class UnionNewsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A corpus file could not be read or parsed. Names the file and, when known, the line. */
export class CorpusError extends UnionNewsError {
  constructor(
    public readonly file: string,
    public readonly reason: string,
    public readonly line?: number,
    options?: ErrorOptions,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${reason}`, options);
  }
}

/** The embedding model could not be loaded or run. */
export class ModelError extends UnionNewsError {
  constructor(
    public readonly model: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`embedding model ${model}: ${reason}`, options);
  }
}

/** The index on disk is missing, corrupt, or was built for another model or format. */
export class IndexError extends UnionNewsError {
  constructor(
    public readonly dir: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`index ${dir}: ${reason}`, options);
  }
}

/** Another instance holds the rebuild lock (an index fault like any other: the served index stays). */
export class RebuildBusyError extends IndexError {
  constructor(where: string) {
    super(where, "another instance is rebuilding the index; wait for it to finish");
  }
}

/** The environment holds an invalid setting. */
export class ConfigError extends UnionNewsError {}

/** A command was given a flag it cannot take (`--fold xyz`): the message says what it takes. */
export class UsageError extends UnionNewsError {}

/**
 * A member's message cannot be answered as asked (empty, too long, no words, nothing named to look
 * for), or is no question (a greeting, thanks).
 */
export class QuestionError extends UnionNewsError {
  constructor(
    public readonly kind: "empty" | "too-long" | "no-words" | "no-topic" | Courtesy,
    message: string,
    /** For `no-topic`: the period the message named (`上个月有什么新闻`), and its words, so a presenter can list that period's stories. */
    public readonly period?: { readonly period: Period; readonly label: string },
  ) {
    super(message);
  }
}

/** The corpus holds bad files, so a build was refused and the served index left as it was. */
export class CorpusRejectedError extends UnionNewsError {
  constructor(public readonly errors: readonly CorpusError[]) {
    super(
      `the corpus has ${errors.length} bad file${errors.length === 1 ? "" : "s"}; the index was not changed:\n` +
        errors.map((e) => `  ${e.message}`).join("\n"),
    );
  }
}

/** Members' stored state (context, feedback, subscriptions) is unreadable or of another format version. */
export class StateError extends UnionNewsError {
  constructor(
    public readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`state ${file}: ${reason}`, options);
  }
}

/** The database (DATABASE_URL) could not be reached or refused a statement. `server` is `host:port/db`, never with credentials. */
export class DatabaseError extends UnionNewsError {
  constructor(
    public readonly server: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`database ${server}: ${reason}`, options);
  }
}
