import { createHash } from "node:crypto";

/**
 * A story id that survives rebuilds and edits to the body: it depends only on
 * the file and the headline, so a citation or a `/story` link stays valid
 * while a typo in a paragraph is fixed. Short enough for Telegram's 64-byte
 * callback data.
 */
export function storyId(file: string, title: string, occurrence = 1): string {
  const base = createHash("sha256").update(`${file}\n${title}`).digest("hex").slice(0, 12);
  return occurrence === 1 ? base : `${base}-${occurrence}`;
}
