/**
 * NUL-separated strings (document keys) decoded one at a time from a file's
 * bytes: a loaded index names only its hits, so 100k keys need not become
 * 100k strings at start.
 */
export class KeyTable {
  private constructor(
    private readonly bytes: Uint8Array,
    /** Byte offset of each key, and one past the last key's end. */
    private readonly starts: Uint32Array,
  ) {}

  /** Splits NUL-separated keys; undefined when there are not `count` of them. */
  static of(bytes: Uint8Array, count: number): KeyTable | undefined {
    const starts = new Uint32Array(count + 1);
    if (count === 0) return bytes.length === 0 ? new KeyTable(bytes, starts) : undefined;
    let n = 1;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) continue;
      if (n === count) return undefined;
      starts[n++] = i + 1;
    }
    if (n !== count) return undefined;
    starts[count] = bytes.length + 1;
    return new KeyTable(bytes, starts);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  get(slot: number): string {
    return decoder.decode(this.bytes.subarray(this.starts[slot]!, this.starts[slot + 1]! - 1));
  }

  all(): string[] {
    return this.length === 0 ? [] : decoder.decode(this.bytes).split("\u0000");
  }
}

const decoder = new TextDecoder();
