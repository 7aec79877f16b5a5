import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { splitQuestions } from "../conversation/split.js";
import { QuestionError } from "../errors.js";
import type { NewsService } from "../service.js";
import { renderAnswer } from "./render.js";

/**
 * The terminal chat `npm start` opens when no bot token is set: the same
 * engine and answers as the bot, so an admin can try questions before
 * deploying. Ends on `exit`, `quit` or end of input.
 */
export async function runChat(service: NewsService, input: Readable, output: Writable): Promise<void> {
  const rl = createInterface({ input, output, terminal: (output as { isTTY?: boolean }).isTTY === true });
  const say = (text: string) => output.write(`${text}\n`);
  const stories = service.engine().stories.length;
  say(`工会新闻问答（终端模式，${service.mode} 检索，已收录 ${stories} 篇报道）。输入问题后回车；输入 exit 退出。`);
  say("To run the Telegram bot instead, set BOT_TOKEN in .env (see .env.example) and run npm start again.");
  const prompt = () => output.write("问> ");
  try {
    prompt();
    // Iterating the lines (rather than rl.question) keeps lines that arrive
    // while an answer is being computed, as when questions are piped in.
    for await (const line of rl) {
      if (/^(exit|quit|退出)$/i.test(line.trim())) break;
      for (const question of splitQuestions(service.segmenter, line)) {
        try {
          say(renderAnswer(await service.engine().ask(question)));
        } catch (error) {
          if (!(error instanceof QuestionError)) throw error;
          say(error.message);
        }
      }
      say("");
      prompt();
    }
  } finally {
    rl.close();
  }
}
