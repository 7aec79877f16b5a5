import { createRequire } from "node:module";
import { crc32 as zlibCrc32 } from "node:zlib";

/** CRC-32 of `bytes`, continuing from `value` (the CRC of the bytes before them). */
export type Crc32 = (bytes: Uint8Array, value?: number) => number;

/**
 * The CRC-32 that build files are recorded with (see `integrity.ts`): zlib's
 * polynomial, so the values are `zlib.crc32`'s and builds recorded with
 * either agree. @node-rs/crc32 (SIMD) took 52 ms for 220 MB here against
 * zlib's 103 ms, and adding a story at 100k passages checksums some 650 MB
 * (the served build's files as they are reused, the new graph as written).
 * Node's zlib stands in where the native package is not installed.
 */
export const crc32: Crc32 = loadNative() ?? ((bytes, value = 0) => zlibCrc32(bytes, value));

function loadNative(): Crc32 | undefined {
  try {
    const native = createRequire(import.meta.url)("@node-rs/crc32") as { crc32(input: Uint8Array, initialState?: number): number };
    return (bytes, value = 0) => native.crc32(bytes, value);
  } catch {
    return undefined;
  }
}
