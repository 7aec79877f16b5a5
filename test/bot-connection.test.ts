import { describe, expect, it } from "vitest";
import { startBot } from "../src/bot/run.js";
import { createLogger } from "../src/log.js";
import { openNewsService } from "../src/service.js";
import { lexicalDeps, testConfig } from "./support/service.js";
import { emulatedUser, emulatorTransformer, freePort, type RecordedCall, startEmulator } from "./support/telegram-emulator.js";

/**
 * A Bot API that cannot be reached at start: nothing listens on its port
 * at first, then the emulator comes up on that very port. The bot must say
 * so at the first failure (never with the token), keep retrying, and serve
 * once the API answers.
 */
describe("an unreachable Bot API", () => {
  it("is warned about at the first failed getMe, retried with back-off, and served once it comes up", async () => {
    const port = await freePort();
    const token = "5151:unreachable-token-value";
    const lines: string[] = [];
    const log = createLogger("info", token, { write: (line: string) => void lines.push(line) });
    const service = await openNewsService(
      await testConfig({ RETRIEVAL: "lexical", BOT_TOKEN: token, BOT_API_ROOT: `http://127.0.0.1:${port}` }),
      lexicalDeps(),
      { build: "always" },
    );
    const calls: RecordedCall[] = [];
    const starting = startBot(service, log, { transformers: [emulatorTransformer(calls)], retry: { firstDelayMs: 100, maxDelayMs: 400 } });

    const deadline = Date.now() + 3000;
    while (!lines.some((l) => l.includes("cannot reach the Bot API")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const warning = lines.find((l) => l.includes("cannot reach the Bot API"));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, api: `127.0.0.1:${port}`, method: "getMe" });
    expect(warning).toContain("ECONNREFUSED");

    const emulator = await startEmulator(port);
    try {
      const bot = await starting;
      expect(bot?.mode).toBe("polling");
      expect(lines.some((l) => l.includes("Bot API reachable again"))).toBe(true);
      // One line for the outage however many retries it took, not one per retry.
      expect(lines.filter((l) => l.includes("cannot reach the Bot API"))).toHaveLength(1);
      const user = emulatedUser(emulator.server, token, { userId: 9501 });
      await user.say("杨华清是谁？");
      expect((await user.replies())[0]!.text).toContain("杨华清");
      await bot!.stop();
    } finally {
      await emulator.stop();
    }
    expect(lines.join("\n")).not.toContain("unreachable-token-value");
  });

  it("is warned about once when polling loses it (getUpdates), and polling resumes when it is back", async () => {
    let emulator = await startEmulator();
    const port = Number(new URL(emulator.apiRoot).port);
    const token = "5252:polling-outage-token";
    const lines: string[] = [];
    const log = createLogger("info", token, { write: (line: string) => void lines.push(line) });
    const service = await openNewsService(await testConfig({ RETRIEVAL: "lexical", BOT_TOKEN: token, BOT_API_ROOT: emulator.apiRoot }), lexicalDeps(), { build: "always" });
    const bot = (await startBot(service, log, { transformers: [emulatorTransformer([])] }))!;
    try {
      await emulator.stop();
      const deadline = Date.now() + 3000;
      while (!lines.some((l) => l.includes("(getUpdates failed)")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(lines.filter((l) => l.includes("cannot reach the Bot API"))).toEqual([expect.stringContaining("(getUpdates failed)")]);
      emulator = await startEmulator(port);
      const user = emulatedUser(emulator.server, token, { userId: 9502 });
      await user.say("杨华清是谁？");
      expect((await user.replies(1, 8000))[0]!.text).toContain("杨华清");
      expect(lines.some((l) => l.includes("Bot API reachable again") && l.includes("getUpdates"))).toBe(true);
      expect(lines.filter((l) => l.includes("cannot reach the Bot API"))).toHaveLength(1);
    } finally {
      await bot.stop();
      await emulator.stop();
    }
    expect(lines.join("\n")).not.toContain("polling-outage-token");
  });
});
