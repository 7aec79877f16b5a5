import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/**
 * How a Telegram id appears in stored state: never in the clear. `hash` is
 * a keyed hash (HMAC-SHA256 with STATE_SECRET), enough to group one
 * member's records and erase them; without the secret it cannot be turned
 * back into an id, nor recomputed from a guessed one. `seal` is for the one
 * id that must be recovered, the chat an alert is sent to (AES-256-GCM with a
 * key derived from the same secret).
 */
export interface Identity {
  /** Stands for a member (user id) in records. */
  user(id: number): string;
  /** Stands for a chat (private or group) in conversation context. */
  chat(id: number): string;
  seal(id: number): string;
  /** The id a `seal` holds, or undefined when it was sealed with another secret or damaged. */
  open(sealed: string): number | undefined;
}

export function createIdentity(secret: string): Identity {
  const mac = (label: string, id: number) => createHmac("sha256", secret).update(`${label}:${id}`).digest("base64url").slice(0, 22);
  const key = createHmac("sha256", secret).update("seal-key/1").digest();
  return {
    user: (id) => `u_${mac("user", id)}`,
    chat: (id) => `c_${mac("chat", id)}`,
    seal(id) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(String(id), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    open(sealed) {
      try {
        const raw = Buffer.from(sealed, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
        return /^-?\d+$/.test(text) ? Number(text) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
