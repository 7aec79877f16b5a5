import { TELEGRAM_MESSAGE_LIMIT } from "../../src/bot/html.js";

/** Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style). */
const TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote"]);

/**
 * Everything that would make Telegram refuse a message sent with
 * parse_mode HTML: an unknown tag, a tag closed out of order or left open,
 * a bare `<`, `>` or `&`, an unknown entity, a lone surrogate, or more than
 * 4,096 characters. An empty list means the message is valid.
 */
export function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (html.length > TELEGRAM_MESSAGE_LIMIT) problems.push(`${html.length} characters, over ${TELEGRAM_MESSAGE_LIMIT}`);
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(html)) problems.push("a lone surrogate (a character cut in half)");
  const stack: string[] = [];
  for (const m of html.matchAll(/<[^<>]*>|&[^;\s<>&]*;?|[<>]/g)) {
    const token = m[0];
    if (token === "<" || token === ">") {
      problems.push(`bare "${token}" at ${m.index}`);
    } else if (token.startsWith("&")) {
      if (!/^&(amp|lt|gt|quot|#\d+|#x[\da-f]+);$/i.test(token)) problems.push(`bad entity "${token}" at ${m.index}`);
    } else {
      const tag = /^<(\/?)([a-z-]+)(\s[^>]*)?>$/i.exec(token);
      if (!tag || !TAGS.has(tag[2]!.toLowerCase())) {
        problems.push(`unknown tag ${token} at ${m.index}`);
      } else if (tag[1] === "") {
        stack.push(tag[2]!.toLowerCase());
      } else if (stack.pop() !== tag[2]!.toLowerCase()) {
        problems.push(`${token} closes out of order at ${m.index}`);
      }
    }
  }
  if (stack.length > 0) problems.push(`left open: ${stack.join(", ")}`);
  return problems;
}
