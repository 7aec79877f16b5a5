import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBot, startBot } from "../src/bot/run.js";
import { createLogger } from "../src/log.js";
import { openNewsService } from "../src/service.js";
import { STATE_FILE } from "../src/state/json-store.js";
import { tempDir } from "./support/paths.js";
import { lexicalDeps, testConfig } from "./support/service.js";
import { type BotMessage, emulatedUser, emulatorTransformer, EMULATED_BOT, type RecordedCall, startEmulator } from "./support/telegram-emulator.js";

/**
 * A conversation end to end: `startBot` as `npm start` runs it (members'
 * state chosen from STATE_DIR and STATE_SECRET), long polling against the
 * emulated Bot API on loopback.
 */
const log = createLogger("silent");
const MEMBER = 8834017265;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let stateDir: string;
const running: RunningBot[] = [];

async function launch(token: string): Promise<RunningBot> {
  const env = { RETRIEVAL: "lexical", BOT_TOKEN: token, BOT_API_ROOT: emulator.apiRoot, STATE_DIR: stateDir, STATE_SECRET: "e2e-secret-0123456789abcdef" };
  const service = await openNewsService(await testConfig(env), lexicalDeps(), { build: "always" });
  const calls: RecordedCall[] = [];
  const bot = await startBot(service, log, { retry: { firstDelayMs: 50 }, transformers: [emulatorTransformer(calls)] });
  if (!bot) throw new Error("the bot did not start");
  running.push(bot);
  return bot;
}

const buttons = (m: BotMessage | undefined) => m?.reply_markup?.inline_keyboard?.flat() ?? [];
const messageId = (m: BotMessage | undefined) => m?.message_id;

beforeAll(async () => {
  emulator = await startEmulator();
  stateDir = await tempDir("unb-e2e-state-");
});

afterAll(async () => {
  for (const r of running) await r.stop().catch(() => {});
  await emulator.stop();
});

describe("a conversation through the emulated Bot API", () => {
  const token = "2002:conversation-token";

  it("a follow-up, a reply to an earlier answer, a 👎 with its reason, and state kept across a restart", async () => {
    const first = await launch(token);
    const user = emulatedUser(emulator.server, token, { userId: MEMBER });
    await user.say("杨华清是谁？");
    const [person] = await user.replies();
    expect(person!.text).toContain("北京市工人北戴河疗养院打造劳模工匠事迹展示阵地");

    await user.say("通州区中式烹调师竞赛评出了几名一等奖？");
    const [contest] = await user.replies();
    await user.say("那二等奖呢？");
    const [prize] = await user.replies();
    expect(prize!.text).toContain("理解为：通州区中式烹调师竞赛评出了几名二等奖？");
    expect(prize!.text.replace(/<\/?b>/g, "")).toContain("二等奖3名");

    // A reply to the first answer goes back to that topic, whatever came since.
    const personId = messageId(person);
    expect(personId).toEqual(expect.any(Number));
    await user.say("他是哪个单位的？", { reply_to_message: { message_id: personId, date: 0, chat: { id: MEMBER, type: "private" }, from: { id: EMULATED_BOT.id, is_bot: true, first_name: "bot" }, text: "…" } });
    const [unit] = await user.replies();
    expect(unit!.text).toContain("理解为：杨华清是哪个单位的？");
    expect(unit!.text).toContain("首都医科大学附属北京康复医院");

    await user.press(buttons(contest).find((b) => b.text === "👎")!.callback_data);
    const [why] = await user.replies();
    expect(why!.text).toContain("哪里不对？");
    await user.press(buttons(why).find((b) => b.text === "信息过时")!.callback_data);
    await user.command("/follow 送清凉");
    expect((await user.replies())[0]!.text).toContain("已关注“送清凉”");

    const onDisk = await readFile(path.join(stateDir, STATE_FILE), "utf8");
    expect(onDisk).toContain("outdated");
    expect(onDisk).not.toContain(String(MEMBER));

    await first.stop();
    await launch(token);
    await user.command("/following");
    expect((await user.replies())[0]!.text).toContain("• 送清凉");
    await user.command("/forget");
    expect((await user.replies())[0]!.text).toContain("关注的话题 1 个");
    const afterForget = JSON.parse(await readFile(path.join(stateDir, STATE_FILE), "utf8")) as { turns: unknown[]; records: unknown[]; subscriptions: unknown[] };
    expect(afterForget).toMatchObject({ turns: [], records: [], subscriptions: [] });
  });
});
