import type { Bot, Transformer } from "grammy";
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
 * `bot.init()` (getMe) until it succeeds: an unreachable Bot API is said
 * plainly at the first failure (with the host, never the token) and retried
 * with a doubling back-off, instead of the process waiting in silence or
 * dying. Returns false when stopped by `signal` first.
 */
export async function initWithRetry(bot: Bot, apiRoot: string, log: Logger, opts: RetryOptions & { signal?: AbortSignal } = {}): Promise<boolean> {
  const { firstDelayMs = 1000, maxDelayMs = 60_000, attemptTimeoutMs = 15_000 } = opts;
  let delay = firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) return false;
    try {
      const timeout = AbortSignal.timeout(attemptTimeoutMs);
      // grammY types its signal with the abort-controller shim; Node's own AbortSignal is what it receives at run time.
      await bot.init((opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout) as Parameters<Bot["init"]>[0]);
      if (attempt > 1) log.info({ api: apiHost(apiRoot), attempts: attempt }, "Bot API reachable again");
      return true;
    } catch (error) {
      if (opts.signal?.aborted) return false;
      log.warn(
        { api: apiHost(apiRoot), method: "getMe", attempt, retryInMs: delay, reason: reasonOf(error) },
        attempt === 1
          ? `cannot reach the Bot API at ${apiHost(apiRoot)} (getMe failed); retrying with back-off. Check the network and BOT_API_ROOT`
          : `Bot API at ${apiHost(apiRoot)} still unreachable (getMe)`,
      );
      await sleep(delay, opts.signal);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/**
 * An API transformer that watches getUpdates (the runner retries it by
 * itself): the first failure after a success is logged as a warning, and so
 * is recovery, so an outage shows in the logs at once and only once.
 */
export function watchPolling(apiRoot: string, log: Logger): Transformer {
  let failing = false;
  return async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    try {
      const response = await prev(method, payload, signal);
      if (response.ok && failing) {
        failing = false;
        log.info({ api: apiHost(apiRoot) }, "Bot API reachable again (getUpdates)");
      } else if (!response.ok && !failing) {
        failing = true;
        log.warn({ api: apiHost(apiRoot), method, code: response.error_code, reason: response.description }, "getUpdates refused by the Bot API; the runner retries");
      }
      return response;
    } catch (error) {
      if (!failing && !signal?.aborted) {
        failing = true;
        log.warn({ api: apiHost(apiRoot), method, reason: reasonOf(error) }, `cannot reach the Bot API at ${apiHost(apiRoot)} (getUpdates failed); the runner retries with back-off`);
      }
      throw error;
    }
  };
}
