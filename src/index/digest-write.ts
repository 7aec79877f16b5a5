import { open } from "node:fs/promises";
import { crc32 } from "./crc32.js";
import type { FileDigest } from "./integrity.js";

/**
 * A build file written chunk by chunk that keeps its size and CRC-32 as the
 * chunks go out, then is synced: the build records what it wrote (see
 * `integrity.ts`) without reading it back, which at 100k passages was
 * ~200 MB read again and checksummed on every rebuild. The checksum is of
 * the bytes handed to the kernel, so later damage on disk is still noticed
 * by the next reader, as before.
 */
export interface DigestingFile {
  write(bytes: Uint8Array): Promise<void>;
  /** Syncs and closes the file; its size and CRC-32. */
  close(): Promise<FileDigest>;
}

export async function createDigestingFile(file: string): Promise<DigestingFile> {
  const handle = await open(file, "w");
  let value = 0;
  let size = 0;
  let closed = false;
  return {
    async write(bytes) {
      if (bytes.length === 0) return;
      value = crc32(bytes, value);
      size += bytes.length;
      // A regular file takes the whole buffer at once in practice; the loop is for when it does not.
      for (let done = 0; done < bytes.length; ) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
    },
    async close() {
      if (!closed) {
        closed = true;
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      return { bytes: size, crc32: value };
    },
  };
}

/**
 * Writes `chunks` in order to a new file, synced; its digest. On a failed
 * write the file is closed and the error passed on (the build's temporary
 * folder, file and all, is then removed by the caller).
 */
export async function writeDigested(file: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<FileDigest> {
  const out = await createDigestingFile(file);
  try {
    for await (const chunk of chunks) await out.write(chunk);
  } catch (error) {
    await out.close().catch(() => {});
    throw error;
  }
  return out.close();
}
