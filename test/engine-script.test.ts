import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../src/answer/engine.js";
import { inSimplified } from "../src/answer/script.js";
import { lexicalServiceOver } from "./support/service.js";

/**
 * A member may type traditional characters; the news prints simplified ones,
 * except where a corpus keeps a traditional word of its own.
 */
const STORIES = [
  { id: "craftsmen", title: "2026年大国工匠人才推选工作启动", date: "2026-06-30", text: "近日，全国总工会印发通知，启动2026年大国工匠人才推选，全国计划推选420人。" },
  { id: "teashop", title: "老街凉茶舖", date: "2026-05-01", text: "老街的凉茶舖又名凉茶店，每天清晨六点开门。" },
  // A story printed in traditional characters, as some exports are.
  { id: "hongkong", title: "香港工聯會慶祝成立", date: "2026-04-20", text: "香港工聯會現有屬會及贈會二百五十多間，會員逾四十二萬人。" },
  { id: "summer", title: "工会送清凉活动启动", date: "2026-06-29", text: "全国总工会部署开展工会送清凉活动，加强高温劳动保护。" },
  { id: "medals", title: "全国五一劳动奖章表彰大会召开", date: "2026-04-28", text: "今年，1035人获得全国五一劳动奖章，产业工人占比超四成。" },
];

let engine: Engine;
beforeAll(async () => {
  engine = (await lexicalServiceOver(STORIES, { NOW: "2026-09-01" })).engine();
});

const cited = async (q: string) => {
  const a = await engine.ask(q);
  return a.abstained ? "(refused)" : a.citations.map((c) => c.storyId).join(",");
};

describe("questions in traditional characters", () => {
  it("are read in simplified characters, as the news is printed", async () => {
    expect(await cited("大国工匠今年推选多少人？")).toBe("craftsmen");
    expect(await cited("大國工匠今年推選多少人？")).toBe("craftsmen");
    expect((await engine.ask("大國工匠今年推選多少人？")).answer).toContain("420人");
    // The simplified reading holds one long term (全国五一劳动奖章) where the traditional one holds a
    // known 五一 beside unknown words: counted by known words they tied, and the member's was asked.
    expect((await engine.ask("全國五一勞動獎章評了多少人？")).answer).toContain("1035人");
  });

  it("read 著 as the particle 着 where Taiwan's usage has it, and keep it in 著名", () => {
    expect(inSimplified("老闆拖著不給工錢，工會幫著要回來")).toBe("老板拖着不给工钱，工会帮着要回来");
    expect(inSimplified("顯著的成績，著名的工匠")).toBe("显著的成绩，著名的工匠");
  });

  it("keep the member's spelling where the corpus itself has it", async () => {
    expect(await cited("凉茶舖几点开门？")).toBe("teashop");
    expect(await cited("香港工聯會有多少會員？")).toBe("hongkong");
  });
});
