/** A byline such as `本报讯（记者 宗晓畅）`: who wrote the story and in what role. */
export interface Byline {
  /** `记者` (reporter), `通讯员` (correspondent), … as printed; empty when unknown. */
  readonly kind: string;
  readonly names: readonly string[];
}

/** One news story, the unit members ask about and the bot cites. */
export interface Story {
  /** Stable across rebuilds: derived from the source file's name and the title. */
  readonly id: string;
  /** Corpus-relative path of the file the story came from. */
  readonly file: string;
  readonly title: string;
  readonly subtitle?: string;
  /** Page banner or rubric printed above the title, e.g. `夏送清凉 工会行动`. */
  readonly rubric?: string;
  readonly byline?: Byline;
  readonly date?: string;
  readonly url?: string;
  readonly source?: string;
  /** Body paragraphs in order, with layout breaks rejoined and the byline lead kept. */
  readonly paragraphs: readonly string[];
}
