import type { DownReason, Vote } from "../state/store.js";

/**
 * Callback data for inline buttons. Telegram allows 64 bytes, so buttons
 * carry ids, never text: `story:<storyId>:<paragraph>[:<page>]` is
 * stateless (it stays valid until the story leaves the corpus; without a
 * page it opens the page holding the paragraph), `more:<answerId>:<offset>`
 * points into the store of recent answers (`SharedState.answers`), `replace:<uploadId>` and
 * `keep:<uploadId>` into an admin's pending replacements; `fb:<turnId>:u|d`
 * is a 👍/👎 on a stored answer and `why:<turnId>:1|2|3` the reason for a 👎.
 */
export type ButtonAction =
  | { readonly kind: "story"; readonly storyId: string; readonly paragraph: number; readonly page?: number }
  | { readonly kind: "more"; readonly answerId: string; readonly offset: number }
  | { readonly kind: "replace" | "keep"; readonly uploadId: string }
  | { readonly kind: "vote"; readonly answerId: string; readonly vote: Vote }
  | { readonly kind: "why"; readonly answerId: string; readonly reason: DownReason };

/** The 👎 reasons in the order their buttons show, numbered from 1 in callback data. */
export const DOWN_REASONS: readonly DownReason[] = ["off-point", "wrong-source", "outdated"];

export const CALLBACK_DATA_LIMIT = 64;

export function encodeAction(a: ButtonAction): string {
  const data =
    a.kind === "story"
      ? `story:${a.storyId}:${a.paragraph}${a.page === undefined ? "" : `:${a.page}`}`
      : a.kind === "more"
        ? `more:${a.answerId}:${a.offset}`
        : a.kind === "vote"
          ? `fb:${a.answerId}:${a.vote === "up" ? "u" : "d"}`
          : a.kind === "why"
            ? `why:${a.answerId}:${DOWN_REASONS.indexOf(a.reason) + 1}`
            : `${a.kind}:${a.uploadId}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  return data;
}

export function decodeAction(data: string): ButtonAction | undefined {
  const vote = /^fb:([\w-]{1,40}):([ud])$/.exec(data);
  if (vote) return { kind: "vote", answerId: vote[1]!, vote: vote[2] === "u" ? "up" : "down" };
  const why = /^why:([\w-]{1,40}):([1-3])$/.exec(data);
  if (why) return { kind: "why", answerId: why[1]!, reason: DOWN_REASONS[Number(why[2]) - 1]! };
  const upload = /^(replace|keep):([\w-]{1,40})$/.exec(data);
  if (upload) return { kind: upload[1] as "replace" | "keep", uploadId: upload[2]! };
  const m = /^(story|more):([\w.-]{1,48}):(\d{1,4})(?::(\d{1,4}))?$/.exec(data);
  if (!m) return undefined;
  if (m[1] === "more") return m[4] === undefined ? { kind: "more", answerId: m[2]!, offset: Number(m[3]) } : undefined;
  return { kind: "story", storyId: m[2]!, paragraph: Number(m[3]), ...(m[4] === undefined ? {} : { page: Number(m[4]) }) };
}
