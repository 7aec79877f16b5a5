import { CorpusError } from "../errors.js";

/** Text of a corpus file and the encoding it was read in. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: "utf-8" | "utf-16le" | "utf-16be" | "gb18030";
}

/**
 * Turns a corpus file's bytes into text, or explains why it cannot. Pages
 * arrive from several systems: most are UTF-8, some older dumps are GBK
 * (read here as its superset GB18030, so nothing is lost), and a stray
 * image or archive must be refused by name rather than indexed as noise.
 */
export function decodeCorpusBytes(file: string, bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new CorpusError(file, "the file is empty");
  const decoded = decodeByBom(bytes) ?? decodeWithoutBom(file, bytes);
  if (decoded.text.trim() === "") throw new CorpusError(file, "the file holds only whitespace");
  return { ...decoded, text: decoded.text.replace(/\r\n?/g, "\n") };
}

function decodeByBom(bytes: Uint8Array): DecodedText | undefined {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8" };
  }
  if (a === 0xff && b === 0xfe) {
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  }
  if (a === 0xfe && b === 0xff) {
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  }
  return undefined;
}

function decodeWithoutBom(file: string, bytes: Uint8Array): DecodedText {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const utf16 = looksLikeUtf16(bytes);
    if (utf16 !== undefined) {
      throw new CorpusError(file, `this looks like ${utf16} text without a byte-order mark; save it as UTF-8 (or as ${utf16} with a BOM)`);
    }
    // The whole file is checked: a NUL far into a page would otherwise end up inside a story.
    const line = lineAt(bytes, nul);
    throw new CorpusError(
      file,
      nul < 8192 ? "this looks like a binary file (it contains NUL bytes), not a text page" : `a NUL byte at byte ${nul}: the file is damaged or not plain text`,
      nul < 8192 ? undefined : line,
    );
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not UTF-8: try the Chinese legacy encoding before giving up.
  }
  let text: string;
  try {
    text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(file, "the file is neither UTF-8 nor GBK/GB18030 text; save it as UTF-8");
  }
  if (cjkShare(text) < 0.3) {
    throw new CorpusError(
      file,
      "the file is not valid UTF-8 and does not read as Chinese GBK text either; save it as UTF-8",
    );
  }
  return { text, encoding: "gb18030" };
}

/**
 * Text in UTF-16 has a NUL in every other byte for ASCII and a high or low
 * byte pattern for CJK; decoding both ways and keeping the one that reads as
 * text (no NULs, few control characters, mostly CJK or printable) tells
 * UTF-16LE from UTF-16BE without a byte-order mark.
 */
function looksLikeUtf16(bytes: Uint8Array): "UTF-16LE" | "UTF-16BE" | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  const sample = bytes.subarray(0, Math.min(bytes.length, 65536) & ~1);
  for (const [label, encoding] of [["UTF-16LE", "utf-16le"], ["UTF-16BE", "utf-16be"]] as const) {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(sample);
    } catch {
      continue;
    }
    if (text.includes("\0")) continue;
    const controls = text.match(/[\u0001-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
    const readable = text.match(/[\u0020-\u007e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\s]/g)?.length ?? 0;
    if (controls === 0 && readable / text.length > 0.9) return label;
  }
  return undefined;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Share of non-space characters that are CJK ideographs or CJK punctuation. */
function cjkShare(text: string): number {
  const visible = text.replace(/\s/g, "");
  if (visible.length === 0) return 0;
  const cjk = visible.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g)?.length ?? 0;
  return cjk / visible.length;
}
