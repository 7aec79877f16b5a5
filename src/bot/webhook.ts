import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../log.js";

/** Telegram's updates are a few kilobytes; anything far bigger is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookServerOptions {
  /** The path of WEBHOOK_URL: the only one that takes updates. */
  readonly path: string;
  readonly secret: string | undefined;
  readonly log: Logger;
  /**
   * How long Telegram's request is held open while the update is handled.
   * Past it the request is answered 200 and the handler carries on (grammY's
   * `onTimeout: "return"`): an answer that arrives late still arrives, and
   * nothing rejects. Telegram itself gives up after about a minute.
   */
  readonly timeoutMs?: number;
}

/** A request body that is not a Telegram update: answered 400, never thrown further. */
class BadUpdateError extends Error {}

/**
 * grammY's `http` adapter, but reading at most MAX_BODY_BYTES and refusing a
 * body that is not one JSON update with a BadUpdateError, so the caller can
 * answer 400 instead of the rejection escaping (which kills Node).
 */
function cappedHttpAdapter(req: IncomingMessage, res: ServerResponse) {
  const header = req.headers["x-telegram-bot-api-secret-token"];
  return {
    get update(): Promise<Update> {
      return readBody(req).then((raw) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          throw new BadUpdateError("the body is not valid JSON");
        }
        if (typeof parsed !== "object" || parsed === null || !Number.isSafeInteger((parsed as { update_id?: unknown }).update_id)) {
          throw new BadUpdateError("the body is not a Telegram update (no numeric update_id)");
        }
        return parsed as Update;
      });
    },
    ...(typeof header === "string" ? { header } : {}),
    end: () => void res.end(),
    respond: (json: string) => void res.writeHead(200, { "Content-Type": "application/json" }).end(json),
    unauthorized: () => void res.writeHead(401).end("secret token is wrong"),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new BadUpdateError(`the body is over ${MAX_BODY_BYTES} bytes`));
      } else {
        chunks.push(chunk);
      }
    });
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf-8")));
    req.once("error", reject);
  });
}

/**
 * The webhook's HTTP server: POST on the webhook path takes updates, checked
 * against the secret in constant time by grammY; `/healthz` answers 200 for
 * load balancers; everything else 404. A malformed body gets 400 and a slow
 * handler a 200 at the timeout: whatever a caller sends, the server keeps
 * serving.
 */
export function createWebhookServer(bot: Bot, opts: WebhookServerOptions): Server {
  const handle = webhookCallback(bot, cappedHttpAdapter, {
    onTimeout: "return",
    timeoutMilliseconds: opts.timeoutMs ?? 10_000,
    ...(opts.secret ? { secretToken: opts.secret } : {}),
  });
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST" && url.pathname === opts.path) {
      Promise.resolve(handle(req, res) as unknown).catch((error: unknown) => {
        const bad = error instanceof BadUpdateError;
        if (bad) opts.log.warn({ reason: error.message, remote: req.socket.remoteAddress }, "webhook request refused (400)");
        else opts.log.error({ err: error }, "webhook request failed (500)");
        if (!res.headersSent) res.writeHead(bad ? 400 : 500);
        res.end();
      });
      return;
    }
    res.writeHead(req.method === "GET" && url.pathname === "/healthz" ? 200 : 404).end();
  });
}
