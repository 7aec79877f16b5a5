import { type Bot, GrammyError, type Transformer } from "grammy";
import type { Logger } from "../log.js";

export interface RetryOptions {
  /** First wait after a failure; doubled each time up to `maxDelayMs`. */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  /** One getMe may hang on a black-holed address; it is abandoned after this. */
  readonly attemptTimeoutMs?: number;
}

/** Where the Bot API is, for log lines: the host only, never a URL that could carry the token. */
function apiHost(apiRoot: string): string {
  try {
    return new URL(apiRoot).host;
  } catch {
    return "(invalid BOT_API_ROOT)";
  }
}

function reasonOf(error: unknown): string {
  const e = error as { message?: unknown; error?: { message?: unknown; cause?: { code?: unknown } } };
  const cause = e.error?.cause?.code ?? e.error?.message;
  return [typeof e.message === "string" ? e.message : String(error), typeof cause === "string" ? cause : undefined].filter(Boolean).join(": ");
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Fetches the bot's identity (getMe) until the Bot API answers. grammY's own
 * `bot.init()` and auto-retry both retry a network failure silently (debug
 * output only) with waits growing to 20 minutes or an hour, so an
 * unreachable API looked like a hung process. Here retries back off to at
 * most `maxDelayMs` and `watchApi` (beneath) says what happens; a refusal
 * that retrying cannot fix (a wrong token: 401) is thrown. Returns false
 * when stopped by `signal` first.
 */
export async function initWithRetry(bot: Bot, opts: RetryOptions & { signal?: AbortSignal } = {}): Promise<boolean> {
  const { firstDelayMs = 1000, maxDelayMs = 60_000, attemptTimeoutMs = 30_000 } = opts;
  let delay = firstDelayMs;
  for (;;) {
    if (opts.signal?.aborted) return false;
    try {
      const timeout = AbortSignal.timeout(attemptTimeoutMs);
      // grammY types its signal with the abort-controller shim; Node's own AbortSignal is what it receives at run time.
      const signal = (opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout) as Parameters<Bot["api"]["getMe"]>[0];
      bot.botInfo = await bot.api.getMe(signal);
      return true;
    } catch (error) {
      if (opts.signal?.aborted) return false;
      if (error instanceof GrammyError && error.error_code !== 429 && error.error_code < 500) throw error;
      await sleep(delay, opts.signal);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/**
 * An API transformer, installed beneath the retrying ones so it sees every
 * attempt: the first failure to reach the Bot API (getMe at start,
 * getUpdates while polling, any send) is a warning at once, naming the host
 * and the method, never the token; recovery is logged too. Only the change
 * is logged, so an outage is one line, not one per retry.
 */
export function watchApi(apiRoot: string, log: Logger): Transformer {
  let failing = false;
  const host = apiHost(apiRoot);
  return async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      const down = !response.ok && (response.error_code >= 500 || response.error_code === 429);
      if (!down && failing) {
        failing = false;
        log.info({ api: host, method }, "Bot API reachable again");
      } else if (down && !failing) {
        failing = true;
        log.warn({ api: host, method, code: response.error_code, reason: response.description }, `the Bot API at ${host} refuses ${method} (${response.error_code}); retrying with back-off`);
      }
      return response;
    } catch (error) {
      if (!failing && !signal?.aborted) {
        failing = true;
        log.warn({ api: host, method, reason: reasonOf(error) }, `cannot reach the Bot API at ${host} (${method} failed); retrying with back-off. Check the network and BOT_API_ROOT`);
      }
      throw error;
    }
  };
}
