import { describe, expect, it } from "vitest";
import { createLogger, scrubSecret } from "../src/log.js";

const TOKEN = "123456:AAH-secret-token";

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (s: string) => void lines.push(s) } };
}

describe("logs never hold the bot token", () => {
  it("redacts token fields and scrubs it from messages and errors", () => {
    const { lines, stream } = capture();
    const log = createLogger("info", TOKEN, stream);
    log.info({ token: TOKEN, config: { botToken: TOKEN } }, "starting");
    log.error({ err: new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`) }, `url bot${TOKEN}/x`);
    const all = lines.join("\n");
    expect(all).not.toContain(TOKEN);
    expect(all).toContain("[redacted]");
    expect(all).toContain("getMe failed");
  });

  it("keeps question text out of info-level lines", () => {
    const { lines, stream } = capture();
    const log = createLogger("info", undefined, stream);
    log.debug({ question: "杨华清是谁？" }, "question text");
    expect(lines).toEqual([]);
  });

  it("scrubs free text", () => {
    expect(scrubSecret(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe("a [redacted] b [redacted]");
    expect(scrubSecret("nothing", undefined)).toBe("nothing");
  });
});
