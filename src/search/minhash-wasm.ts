/**
 * The inner loop of MinHash (`near-duplicates.ts`) in WebAssembly with
 * 128-bit SIMD: four hash functions per instruction, sixteen per pass over a
 * text's bigrams, two passes for 32. In plain JavaScript the same loop was a
 * quarter of a full 100k build's own thread (2.9 s of 11.5 s, profiled): a
 * multiply, an XOR and a signed minimum per hash function per bigram, which
 * is exactly what `i32x4.mul`, `v128.xor` and `i32x4.min_s` do four lanes
 * at a time. Same 32-bit arithmetic (wrapping multiply, signed order, start
 * at 0x7fffffff), so the signatures are the same bits (tested against the
 * JavaScript loop, which stays as the fallback where SIMD is missing).
 *
 * The module is a few hundred bytes assembled below rather than a file
 * built by a toolchain the project does not otherwise need.
 *
 * Memory: hash multipliers at 0 (32 × i32), offsets at 128, the signature
 * written at 256, the mixed bigrams from 384 on.
 */

export const MULTIPLIERS_AT = 0;
export const OFFSETS_AT = 128;
export const SIGNATURE_AT = 256;
export const BIGRAMS_AT = 384;
const PAGE = 65_536;

export interface WasmMinhash {
  /** Mixed bigram values to hash go here (at most `capacity()` of them; grow first). */
  bigrams(): Int32Array;
  capacity(): number;
  grow(values: number): void;
  /** Runs the 32 hash functions over the first `n` bigrams; the signature is then in `signature()`. */
  run(n: number): void;
  signature(): Uint32Array;
}

// Opcodes used (WebAssembly core and SIMD proposal, finished in 2021).
const I32 = 0x7f;
const V128 = 0x7b;
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_LOAD = 0x28;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_LT_U = 0x49;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const V128_STORE = [SIMD, 0x0b];
const V128_CONST = [SIMD, 0x0c];
const I32X4_SPLAT = [SIMD, 0x11];
const V128_XOR = [SIMD, 0x51];
const I32X4_MUL = [SIMD, 0xb5, 0x01];
const I32X4_MIN_S = [SIMD, 0xb6, 0x01];

/** Unsigned LEB128, as the format writes sizes, indices and offsets. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, for `i32.const`. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/** `minhash(xs, n, out)`: parameters 0–2; locals 3 g, 4 i, 5 end, 6–9 minima, 10–13 multipliers, 14–17 offsets, 18 the bigram in every lane. */
function body(): number[] {
  const [XS, N, OUT, G, I, END_AT] = [0, 1, 2, 3, 4, 5];
  const MIN = [6, 7, 8, 9];
  const MUL = [10, 11, 12, 13];
  const OFF = [14, 15, 16, 17];
  const X = 18;
  const get = (l: number) => [LOCAL_GET, l];
  const set = (l: number) => [LOCAL_SET, l];
  const code: number[] = [
    // end = xs + 4n; g = 0 (a byte offset: 0, then 64 for hash functions 16–31)
    ...get(XS), ...get(N), I32_CONST, ...sleb(2), I32_SHL, I32_ADD, ...set(END_AT),
    I32_CONST, ...sleb(0), ...set(G),
    LOOP, VOID,
  ];
  for (let v = 0; v < 4; v++) {
    code.push(...get(G), ...V128_LOAD, 4, ...uleb(MULTIPLIERS_AT + 16 * v), ...set(MUL[v]!));
    code.push(...get(G), ...V128_LOAD, 4, ...uleb(OFFSETS_AT + 16 * v), ...set(OFF[v]!));
  }
  code.push(...V128_CONST, ...Array.from({ length: 4 }, () => [0xff, 0xff, 0xff, 0x7f]).flat());
  code.push(LOCAL_TEE, MIN[0]!, LOCAL_TEE, MIN[1]!, LOCAL_TEE, MIN[2]!, ...set(MIN[3]!));
  code.push(...get(XS), ...set(I));
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(...get(I), ...get(END_AT), I32_GE_U, BR_IF, 1);
  code.push(...get(I), I32_LOAD, 2, 0, ...I32X4_SPLAT, ...set(X));
  for (let v = 0; v < 4; v++) {
    // min[v] = min_s(min[v], (mul[v] · x) XOR off[v])
    code.push(...get(MIN[v]!), ...get(MUL[v]!), ...get(X), ...I32X4_MUL, ...get(OFF[v]!), ...V128_XOR, ...I32X4_MIN_S, ...set(MIN[v]!));
  }
  code.push(...get(I), I32_CONST, ...sleb(4), I32_ADD, ...set(I), BR, 0, END, END);
  for (let v = 0; v < 4; v++) code.push(...get(OUT), ...get(G), I32_ADD, ...get(MIN[v]!), ...V128_STORE, 4, ...uleb(16 * v));
  code.push(...get(G), I32_CONST, ...sleb(64), I32_ADD, LOCAL_TEE, G, I32_CONST, ...sleb(128), I32_LT_U, BR_IF, 0, END, END);
  const locals = [2, 3, I32, 13, V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** The module's bytes: one function `minhash` and its memory, both exported. */
export function minhashModuleBytes(): Uint8Array {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, I32, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name("minhash"), 0x00, 0, ...name("memory"), 0x02, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

let instance: WasmMinhash | null | undefined;

/** The little of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
}
interface MinhashExports {
  minhash(xs: number, n: number, out: number): void;
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

/**
 * The SIMD loop, with the hash functions' multipliers and offsets loaded;
 * undefined where WebAssembly SIMD is not available (the caller hashes in
 * JavaScript). One per thread: the first call's hash functions are kept
 * (there is one set, `near-duplicates.ts`'s).
 */
export function wasmMinhash(multipliers: Int32Array, offsets: Int32Array): WasmMinhash | undefined {
  if (instance !== undefined) return instance ?? undefined;
  const bytes = minhashModuleBytes();
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined || !wasm.validate(bytes)) {
    instance = null;
    return undefined;
  }
  const exports = new wasm.Instance(new wasm.Module(bytes)).exports as MinhashExports;
  const memory = exports.memory;
  let bigrams = new Int32Array(memory.buffer, BIGRAMS_AT);
  let signature = new Uint32Array(memory.buffer, SIGNATURE_AT, 32);
  const load = () => {
    new Int32Array(memory.buffer, MULTIPLIERS_AT, 32).set(multipliers);
    new Int32Array(memory.buffer, OFFSETS_AT, 32).set(offsets);
  };
  load();
  instance = {
    bigrams: () => bigrams,
    capacity: () => bigrams.length,
    grow(values) {
      const needed = BIGRAMS_AT + 4 * values;
      if (needed <= memory.buffer.byteLength) return;
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
      bigrams = new Int32Array(memory.buffer, BIGRAMS_AT);
      signature = new Uint32Array(memory.buffer, SIGNATURE_AT, 32);
    },
    run(n) {
      exports.minhash(BIGRAMS_AT, n, SIGNATURE_AT);
    },
    signature: () => signature,
  };
  return instance;
}
