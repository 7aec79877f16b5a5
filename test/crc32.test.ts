import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32 } from "../src/index/crc32.js";

describe("the CRC-32 build files are recorded with", () => {
  it("gives zlib's values, whole and continued chunk by chunk, so digests recorded by either agree", () => {
    let seed = 12345;
    const bytes = Buffer.alloc(3_000_017);
    for (let i = 0; i < bytes.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(new Uint8Array(0))).toBe(0);
    let value = 0;
    for (let at = 0; at < bytes.length; at += 65_537) value = crc32(bytes.subarray(at, at + 65_537), value);
    expect(value).toBe(zlibCrc32(bytes));
    bytes[1_500_000]! ^= 1;
    expect(crc32(bytes)).not.toBe(value);
  });
});
