/** Telegram HTML needs only these three escaped; everything from the corpus or a user goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Telegram's limit for one message's text, counted in UTF-16 code units after entities are parsed. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/**
 * Packs HTML blocks (each one balanced: no tag opens in one block and closes
 * in another) into messages within the limit. Blocks are joined with a
 * newline; a block too long on its own is plain escaped text and is cut at
 * a sentence or line end, never inside an entity such as `&amp;`.
 */
export function splitMessage(blocks: readonly string[], limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current = "";
  const push = () => {
    if (current.trim() !== "") messages.push(current.replace(/\n+$/, ""));
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

function cutBlock(block: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = block;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf("\n"), ...["。", "！", "？", "；", ". "].map((p) => window.lastIndexOf(p) + p.length - 1)) + 1;
    if (cut < limit / 2) cut = limit;
    const amp = window.lastIndexOf("&", cut - 1);
    if (amp !== -1 && !window.slice(amp, cut).includes(";")) cut = amp;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== "") pieces.push(rest);
  return pieces;
}
