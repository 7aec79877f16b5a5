import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";

describe("configuration", () => {
  it("has working defaults for a fresh machine", () => {
    expect(loadConfig({})).toMatchObject({
      corpusDir: "corpus",
      indexDir: "data/index",
      embeddingModel: "Xenova/bge-small-zh-v1.5",
      modelsDir: undefined,
      retrieval: undefined,
      botToken: undefined,
      botApiRoot: "https://api.telegram.org",
      adminIds: [],
      topK: 5,
    });
  });

  it("treats empty values from .env as unset and parses lists", () => {
    const c = loadConfig({ MODELS_DIR: "", RETRIEVAL: "", BOT_TOKEN: " ", ADMIN_IDS: "12, 34,", BOT_API_ROOT: "http://127.0.0.1:8081/" });
    expect(c).toMatchObject({ modelsDir: undefined, retrieval: undefined, botToken: undefined, adminIds: [12, 34], botApiRoot: "http://127.0.0.1:8081" });
  });

  it("names each bad variable", () => {
    const error = (() => {
      try {
        loadConfig({ RETRIEVAL: "semantic", ADMIN_IDS: "12,abc", TOP_K: "0", BOT_API_ROOT: "not a url" });
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ["RETRIEVAL", "ADMIN_IDS", "TOP_K", "BOT_API_ROOT"]) expect(error.message).toContain(name);
    expect(error.message).toContain('"abc" is not a numeric Telegram user id');
  });

  it("refuses a webhook without a bot", () => {
    expect(() => loadConfig({ WEBHOOK_URL: "https://example.org/hook" })).toThrow(/WEBHOOK_URL is set but BOT_TOKEN is not/);
  });

  it("members' state: defaults, and a secret too short to be one refused by name", () => {
    expect(loadConfig({})).toMatchObject({ stateDir: "data/state", stateSecret: undefined, stateRetentionDays: 30, followUpMinutes: 5 });
    expect(loadConfig({ STATE_SECRET: "", FOLLOWUP_MINUTES: "2" })).toMatchObject({ stateSecret: undefined, followUpMinutes: 2 });
    expect(() => loadConfig({ STATE_SECRET: "short" })).toThrow(/STATE_SECRET: must be at least 16 characters/);
    expect(() => loadConfig({ STATE_RETENTION_DAYS: "0" })).toThrow(/STATE_RETENTION_DAYS/);
  });
});
