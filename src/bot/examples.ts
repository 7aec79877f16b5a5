import type { Engine } from "../answer/engine.js";
import { latestStories } from "./stories.js";

/** Titles longer than this make clumsy example questions. */
const MAX_TITLE_CHARS = 30;
const CANDIDATES = 8;

const cache = new WeakMap<Engine, Promise<string[]>>();

/**
 * Example questions for /start, /help and advice, drawn from the index the
 * bot serves: the newest stories' titles asked about, kept only when the
 * engine really answers them. A hard-coded question about the seed page
 * would be a promise the bot cannot keep with any other corpus. Worked out
 * once per engine (a rebuild brings a new engine, so new examples).
 */
export function exampleQuestions(engine: Engine, count = 2): Promise<string[]> {
  let examples = cache.get(engine);
  if (!examples) {
    examples = findExamples(engine, count).catch(() => []);
    cache.set(engine, examples);
  }
  return examples;
}

async function findExamples(engine: Engine, count: number): Promise<string[]> {
  const found: string[] = [];
  for (const story of latestStories(engine.stories, CANDIDATES)) {
    const title = story.title.trim();
    if (title === "" || Array.from(title).length > MAX_TITLE_CHARS) continue;
    const question = `${title.replace(/[。！？!?.]+$/u, "")}是怎么回事？`;
    if (found.includes(question)) continue;
    const answer = await engine.ask(question);
    if (!answer.abstained) found.push(question);
    if (found.length === count) break;
  }
  return found;
}
