import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "./crc32.js";

/**
 * What a build recorded about each of its files (`manifest.json` aside):
 * size and CRC-32 of the bytes, read back from disk after they were synced.
 * An unchanged rebuild checks them instead of parsing the build, so a served
 * build that lost a file, was cut short or had bytes overwritten is noticed
 * (and rebuilt) at a fraction of the cost of reading it as data. CRC-32
 * rather than a cryptographic hash: this guards against accidents, not an
 * adversary, and it runs several times faster than sha256 here (see
 * `crc32.ts` for which implementation). A build's own files are digested as
 * they are written (`digest-write.ts`); only what another library writes
 * is read back for it.
 */
export interface FileDigest {
  readonly bytes: number;
  readonly crc32: number;
}

export type FileDigests = Readonly<Record<string, FileDigest>>;

/** The file every build holds that cannot describe itself. */
const MANIFEST = "manifest.json";

/** Size and CRC-32 of every regular file directly in `dir` except the manifest. */
export async function digestFiles(dir: string): Promise<Record<string, FileDigest>> {
  const out: Record<string, FileDigest> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === MANIFEST) continue;
    out[entry.name] = await digestFile(path.join(dir, entry.name));
  }
  return out;
}

/** Bytes read per request when digesting: few system calls, and small enough to stay in the CPU's cache for the CRC. */
const DIGEST_CHUNK = 4 << 20;

/**
 * Size and CRC-32 of a file, read into one reused buffer: a stream would
 * allocate a fresh buffer per chunk, and at 100k passages a rebuild digests
 * two HNSW graphs of 220 MB each, whose fresh pages (faulted in by the
 * kernel) and garbage cost about as much again as the reading.
 */
export async function digestFile(file: string): Promise<FileDigest> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(DIGEST_CHUNK);
    let value = 0;
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, DIGEST_CHUNK, null);
      if (bytesRead === 0) return { bytes, crc32: value };
      value = crc32(buffer.subarray(0, bytesRead), value);
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** One recorded file that is not as the build left it. */
export interface Damage {
  readonly file: string;
  readonly problem: string;
}

/**
 * Compares a build folder with its recorded digests: missing files, other
 * sizes (a stat each, checked for all files first, so the common damage costs
 * no reading), then contents. Files the record does not name are ignored
 * (a reader's leftovers are not damage).
 */
export async function verifyFiles(dir: string, recorded: FileDigests): Promise<Damage[]> {
  const damage: Damage[] = [];
  const sized: string[] = [];
  for (const [name, want] of Object.entries(recorded)) {
    const size = await stat(path.join(dir, name)).then(
      (s) => (s.isFile() ? s.size : -1),
      () => undefined,
    );
    if (size === undefined) damage.push({ file: name, problem: "missing" });
    else if (size !== want.bytes) damage.push({ file: name, problem: `${size} bytes, ${want.bytes} recorded` });
    else sized.push(name);
  }
  for (const name of sized) {
    const got = await digestFile(path.join(dir, name)).catch(() => undefined);
    if (got === undefined) damage.push({ file: name, problem: "unreadable" });
    else if (got.crc32 !== recorded[name]!.crc32) damage.push({ file: name, problem: "contents differ from what the build wrote (checksum)" });
  }
  return damage;
}

export function describeDamage(damage: readonly Damage[]): string {
  return damage.map((d) => `${d.file} ${d.problem}`).join("; ");
}
