import { UnionNewsError } from "../errors.js";
import { scrubSecret } from "../log.js";

/** An unknown or malformed flag, as `node:util` parseArgs reports it: the user's mistake, not a bug. */
function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
}

/**
 * Runs a command-line entry point: our own errors and flags parseArgs
 * refuses print as the one-line message they were written to be, anything
 * else with its stack; neither ever shows the bot token.
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      const token = process.env["BOT_TOKEN"];
      const text = error instanceof UnionNewsError || isArgumentError(error) ? `error: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${scrubSecret(text, token)}\n`);
      process.exitCode = 1;
    },
  );
}
