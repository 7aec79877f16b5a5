/** A download stopped because it grew past the limit, whatever the upload declared. */
export class TooLargeError extends Error {
  constructor(public readonly limit: number) {
    super(`the file is over ${limit} bytes`);
    this.name = "TooLargeError";
  }
}

/**
 * Downloads a file Telegram stored for the bot, reading at most `maxBytes`:
 * the declared `file_size` is the sender's word, so the bytes are counted
 * as they arrive and the transfer is aborted past the limit. Errors name the
 * HTTP status, never the URL (it holds the token).
 */
export async function downloadTelegramFile(apiRoot: string, token: string, filePath: string, maxBytes: number): Promise<Uint8Array> {
  const abort = new AbortController();
  let response: Response;
  try {
    response = await fetch(`${apiRoot}/file/bot${token}/${filePath}`, { signal: abort.signal });
  } catch (error) {
    throw new Error(`downloading an uploaded file failed: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) throw new Error(`downloading an uploaded file failed: HTTP ${response.status}`);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort.abort();
    throw new TooLargeError(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      abort.abort();
      await reader.cancel().catch(() => {});
      throw new TooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
