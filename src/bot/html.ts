/** Telegram HTML needs only these three escaped; everything from the corpus or a user goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Telegram's limit for one message's text, counted in UTF-16 code units after entities are parsed. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/**
 * Shortens plain text (before escaping) to `max` characters with an
 * ellipsis, counting code points so an emoji is never cut in half. A title
 * longer than a message would otherwise leave nothing room to show.
 */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/**
 * Packs HTML blocks into messages within the limit, joined with newlines. A
 * block too long on its own is cut at a line or sentence end where one is
 * near, never inside a tag, an entity such as `&amp;` or a surrogate pair;
 * tags open at a cut are closed before it and opened again after it, so
 * every message is valid HTML by itself.
 */
export function splitMessage(blocks: readonly string[], limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current = "";
  const push = () => {
    if (current.replace(/<[^>]*>/g, "").trim() !== "") messages.push(current.replace(/\n+$/, ""));
    current = "";
  };
  for (const block of blocks.flatMap((b) => (b.length > limit ? cutBlock(b, limit) : [b]))) {
    const next = current === "" ? block : `${current}\n${block}`;
    if (next.length > limit) {
      push();
      current = block;
    } else {
      current = next;
    }
  }
  push();
  return messages;
}

/** A tag, an entity, or one code point: the pieces a cut may fall between. */
const TOKEN = /<[^>]*>|&#?\w+;|[\s\S]/gu;
const SENTENCE_END = /^(\n|。|！|？|；|!|\?|;)$/;

interface OpenTag {
  readonly name: string;
  readonly tag: string;
}

function cutBlock(block: string, limit: number): string[] {
  const pieces: string[] = [];
  let open: OpenTag[] = [];
  let current = "";
  /** The last good place to cut in `current`, and which tags were open there. */
  let lastBreak: { at: number; open: OpenTag[] } | undefined;
  const closers = (tags: readonly OpenTag[]) => tags.map((t) => `</${t.name}>`).reverse().join("");
  const openers = (tags: readonly OpenTag[]) => tags.map((t) => t.tag).join("");

  for (const token of block.match(TOKEN) ?? []) {
    const close = /^<\/([a-z-]+)/i.exec(token);
    const opening = close ? undefined : /^<([a-z-]+)/i.exec(token);
    const after = close ? open.slice(0, -1) : opening ? [...open, { name: opening[1]!.toLowerCase(), tag: token }] : open;
    if (current.length + token.length + closers(after).length > limit) {
      const cut = lastBreak && lastBreak.at > limit / 2 ? lastBreak : { at: current.length, open };
      pieces.push(current.slice(0, cut.at) + closers(cut.open));
      current = openers(cut.open) + current.slice(cut.at);
      lastBreak = undefined;
    }
    current += token;
    open = after;
    if (SENTENCE_END.test(token)) lastBreak = { at: current.length, open };
  }
  if (current !== "") pieces.push(current + closers(open));
  return pieces;
}
