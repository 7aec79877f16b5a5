/** Small text predicates shared by the parsers and the answer extractor. */

/**
 * True when a line ends a sentence: final punctuation, optionally followed by
 * closing quotes or brackets. A layout break leaves a line without it, which
 * is how a broken paragraph is recognised.
 */
export function endsSentence(line: string): boolean {
  return /[。！？!?…；;][”’"'」』）)】》]*$/.test(line.trim());
}

/** True when the line holds whitespace between two non-space runs (page banners do). */
export function hasInnerSpace(line: string): boolean {
  return /\S[ \t\u3000]+\S/.test(line.trim());
}
