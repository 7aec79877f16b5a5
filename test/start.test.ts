import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, seedCorpusDir, tempDir } from "./support/paths.js";
import { emulatedUser, startEmulator } from "./support/telegram-emulator.js";

/**
 * `npm start` as a deployment runs it: a bot token and a Bot API root set,
 * the process started, a member's question answered through the emulated
 * Bot API, then SIGTERM. Nothing is faked inside the process.
 */
const TOKEN = "4242:very-secret-token-value";
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

describe("npm start with BOT_TOKEN", () => {
  it("runs the bot, answers, shuts down on SIGTERM, and never prints the token", async () => {
    const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "src", "main.ts")], {
      cwd: repoRoot,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        BOT_TOKEN: TOKEN,
        BOT_API_ROOT: emulator.apiRoot,
        CORPUS_DIR: seedCorpusDir,
        INDEX_DIR: await tempDir("unb-start-"),
        RETRIEVAL: "lexical",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    const deadline = Date.now() + 30_000;
    while (!output.includes("receiving updates by long polling") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain("@TestNameBot receiving updates by long polling");

    const user = emulatedUser(emulator.server, TOKEN, { userId: 9401 });
    await user.say("杨华清是谁？");
    const [reply] = await user.replies(1, 15_000);
    expect(reply!.text).toContain("杨华清");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    expect(output).toContain('"msg":"question answered"');
    expect(output).not.toContain("杨华清是谁");
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain("very-secret");
  });
});
