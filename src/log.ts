import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Structured logs on stderr (stdout belongs to the terminal chat and to
 * `--json` output). Token-bearing fields are redacted by path, and
 * `scrubSecret` is applied to any free text that might hold a URL with it.
 */
export function createLogger(level: string, secret?: string, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      redact: { paths: ["token", "botToken", "*.token", "*.botToken", "config.botToken"], censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          method.apply(this, (secret ? args.map((a) => scrubDeep(a, secret)) : args) as Parameters<typeof method>);
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** Replaces every occurrence of the secret (the bot token appears in Bot API URLs). */
export function scrubSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}

function scrubDeep(value: unknown, secret: string): unknown {
  if (typeof value === "string") return scrubSecret(value, secret);
  if (value instanceof Error) {
    const copy = new Error(scrubSecret(value.message, secret));
    copy.name = value.name;
    if (value.stack) copy.stack = scrubSecret(value.stack, secret);
    return copy;
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secret)]));
  }
  return value;
}
