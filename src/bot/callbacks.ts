import type { Answer } from "../answer/answer.js";

/**
 * Callback data for inline buttons. Telegram allows 64 bytes, so buttons
 * carry ids, never text: `story:<storyId>:<paragraph>` is stateless (it
 * stays valid until the story leaves the corpus), `more:<answerId>:<offset>`
 * points into a bounded cache of recent answers.
 */
export type ButtonAction =
  | { readonly kind: "story"; readonly storyId: string; readonly paragraph: number }
  | { readonly kind: "more"; readonly answerId: string; readonly offset: number };

export const CALLBACK_DATA_LIMIT = 64;

export function encodeAction(a: ButtonAction): string {
  const data = a.kind === "story" ? `story:${a.storyId}:${a.paragraph}` : `more:${a.answerId}:${a.offset}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  return data;
}

export function decodeAction(data: string): ButtonAction | undefined {
  const m = /^(story|more):([\w.-]{1,48}):(\d{1,4})$/.exec(data);
  if (!m) return undefined;
  return m[1] === "story"
    ? { kind: "story", storyId: m[2]!, paragraph: Number(m[3]) }
    : { kind: "more", answerId: m[2]!, offset: Number(m[3]) };
}

/** Recent answers, so `更多` can page through their ranked passages; the oldest are forgotten first. */
export interface AnswerCache {
  put(answer: Answer): string;
  get(id: string): Answer | undefined;
}

export function createAnswerCache(capacity = 2000): AnswerCache {
  const entries = new Map<string, Answer>();
  let counter = 0;
  const prefix = Date.now().toString(36);
  return {
    put(answer) {
      const id = `${prefix}${(counter++).toString(36)}`;
      entries.set(id, answer);
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return id;
    },
    get: (id) => entries.get(id),
  };
}
