import { UnionNewsError } from "../errors.js";
import { scrubSecret } from "../log.js";

/**
 * Runs a command-line entry point: our own errors print as the one-line
 * message they were written to be, anything else with its stack; neither
 * ever shows the bot token.
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      const token = process.env["BOT_TOKEN"];
      const text = error instanceof UnionNewsError ? `error: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${scrubSecret(text, token)}\n`);
      process.exitCode = 1;
    },
  );
}
