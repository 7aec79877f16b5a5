import { createServer } from "node:net";
import type { Transformer } from "grammy";
import TelegramServerModule from "telegram-test-api";

/**
 * A typed facade over `telegram-test-api`, an emulated Bot API server on
 * loopback. The package's own typings lean on a library that is not
 * installed, so only what these tests use is declared here.
 */
interface EmulatorServer {
  readonly config: { readonly apiURL: string };
  start(): Promise<void>;
  stop(): Promise<boolean>;
  getClient(token: string, options: Partial<ClientOptions>): EmulatorClient;
}

interface ClientOptions {
  userId: number;
  chatId: number;
  type: "private" | "group" | "supergroup";
  firstName: string;
  userName: string;
  chatTitle: string;
  timeout: number;
}

type Json = Record<string, unknown>;

interface EmulatorClient {
  makeMessage(text: string, options?: Json): Json;
  makeCommand(text: string, options?: Json): Json;
  makeCallbackQuery(data: string, options?: Json): Json;
  sendMessage(message: Json): Promise<unknown>;
  sendCommand(message: Json): Promise<unknown>;
  sendCallback(query: Json): Promise<unknown>;
}

/** What the bot sent, as the emulator stored it. */
export interface BotMessage {
  /** The id the emulator gave the message (kept beside it in its store), for replying to it. */
  readonly message_id?: number;
  readonly chat_id: number | string;
  readonly text: string;
  readonly parse_mode?: string;
  readonly reply_markup?: { readonly inline_keyboard?: { text: string; callback_data: string }[][] };
  readonly reply_parameters?: { readonly message_id: number };
}

const TelegramServer = TelegramServerModule as unknown as new (config: { port: number; host: string; storeTimeout: number }) => EmulatorServer;

/** The emulator's fixed identity from getMe. */
export const EMULATED_BOT = { id: 666, username: "TestNameBot" } as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export { freePort };

/** Starts the emulator on a free loopback port (or the one given). */
export async function startEmulator(port?: number): Promise<{ server: EmulatorServer; apiRoot: string; stop: () => Promise<void> }> {
  const server = new TelegramServer({ port: port ?? (await freePort()), host: "127.0.0.1", storeTimeout: 60 });
  await server.start();
  return { server, apiRoot: server.config.apiURL, stop: async () => void (await server.stop()) };
}

export interface RecordedCall {
  readonly method: string;
  readonly payload: Json;
}

/**
 * Records every Bot API call and answers locally the methods the emulator
 * lacks. Because the emulator answers getUpdates at once (it ignores
 * `timeout`), an empty answer is delayed a little, as a real long poll
 * would be, so polling does not spin.
 */
export function emulatorTransformer(calls: RecordedCall[], opts: { tooManyRequestsOnce?: string } = {}): Transformer {
  let throttled = false;
  return async (prev, method, payload, signal) => {
    calls.push({ method, payload: payload as Json });
    if (method === opts.tooManyRequestsOnce && !throttled) {
      throttled = true;
      return { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } as never;
    }
    switch (method) {
      case "sendChatAction":
      case "setMyCommands":
        return { ok: true, result: true } as never;
      case "getFile": {
        const fileId = String((payload as Json)["file_id"]);
        return { ok: true, result: { file_id: fileId, file_unique_id: fileId, file_path: `documents/${fileId}` } } as never;
      }
      case "getUpdates": {
        const response = await prev(method, payload, signal);
        if (response.ok && Array.isArray(response.result) && response.result.length === 0) await new Promise((r) => setTimeout(r, 40));
        return response;
      }
      default:
        return prev(method, payload, signal);
    }
  };
}

/** A member talking to the bot through the emulator, in a private chat or a group. */
export function emulatedUser(server: EmulatorServer, token: string, opts: { userId: number; chatId?: number; group?: boolean }) {
  const client = server.getClient(token, {
    userId: opts.userId,
    chatId: opts.chatId ?? opts.userId,
    type: opts.group ? "group" : "private",
    firstName: `user${opts.userId}`,
    userName: `user${opts.userId}`,
    chatTitle: "工会群",
  });
  const received: BotMessage[] = [];
  const chatId = opts.chatId ?? opts.userId;
  // One request per call: the client's own getUpdates keeps polling in the
  // background after its timeout and would swallow later replies.
  const fetchReplies = async (): Promise<BotMessage[]> => {
    const response = await fetch(`${server.config.apiURL}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, chatId }),
    });
    const body = (await response.json()) as { result?: { message: BotMessage; messageId?: number }[] };
    return (body.result ?? []).map((u) => ({ ...u.message, ...(u.messageId === undefined ? {} : { message_id: u.messageId }) }));
  };
  return {
    say: (text: string, extra: Json = {}) => client.sendMessage(client.makeMessage(text, extra)),
    command: (text: string) => client.sendCommand(client.makeCommand(text)),
    press: (data: string) => client.sendCallback(client.makeCallbackQuery(data)),
    /** A message without text (sticker, document…), which the client class cannot make itself. */
    sendWithout: (fields: Json) => {
      const { text: _text, ...rest } = client.makeMessage("", fields);
      return client.sendMessage(rest);
    },
    /** Waits until the bot has sent `count` more messages to this chat (or the timeout passes), then a short quiet spell. */
    async replies(count = 1, timeoutMs = 8000): Promise<BotMessage[]> {
      const start = received.length;
      const deadline = Date.now() + timeoutMs;
      while (received.length - start < count && Date.now() < deadline) {
        received.push(...(await fetchReplies()));
        if (received.length - start < count) await new Promise((r) => setTimeout(r, 25));
      }
      await new Promise((r) => setTimeout(r, 150));
      received.push(...(await fetchReplies()));
      return received.slice(start);
    },
  };
}
