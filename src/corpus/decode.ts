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
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    throw new CorpusError(file, "this looks like a binary file (it contains NUL bytes), not a text page");
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

/** Share of non-space characters that are CJK ideographs or CJK punctuation. */
function cjkShare(text: string): number {
  const visible = text.replace(/\s/g, "");
  if (visible.length === 0) return 0;
  const cjk = visible.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g)?.length ?? 0;
  return cjk / visible.length;
}
