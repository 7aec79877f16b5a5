import { createReadStream, createWriteStream } from "node:fs";
import { open, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { once } from "node:events";

/** Writes a file and fsyncs it, so a published build never points at data still in the page cache. */
export async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  await writeFile(file, data);
  await syncFile(file);
}

export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes one JSON value per line, record by record with backpressure, then
 * fsyncs. A corpus of any size is written without building one giant string
 * (a 200 MB page once made `JSON.stringify` of the whole build exhaust V8's heap).
 */
export async function writeJsonLines(file: string, records: Iterable<unknown>): Promise<void> {
  const out = createWriteStream(file);
  try {
    // `once` rejects when the stream emits "error" (ENOSPC, EROFS…) meanwhile.
    for (const record of records) {
      if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } finally {
    out.destroy();
  }
  await syncFile(file);
}

/** Reads what `writeJsonLines` wrote, line by line; a bad line is named by its number. */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  const records: T[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let no = 0;
  for await (const line of lines) {
    no++;
    if (line === "") continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch (error) {
      throw new Error(`${file}:${no}: ${(error as Error).message}`, { cause: error });
    }
  }
  return records;
}
