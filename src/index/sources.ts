import { z } from "zod";

/**
 * Which corpus file each run of a build's records came from (`sources.json`
 * in the build folder). Stories are stored in corpus-file order and passages
 * in story order, so each file owns one contiguous run of stories and one
 * of passages (lines of `stories.jsonl`, paragraphs of `texts.bin`, rows of
 * `passages.bin`, the vectors and the near-duplicate table). A rebuild
 * copies the runs of files whose bytes did not change instead of parsing
 * the file and encoding its stories again: adding one story to 100k
 * passages then costs what the one story costs, plus copying bytes.
 */
export const SOURCES_FILE = "sources.json";
export const SOURCES_FORMAT_VERSION = 2;

const sourceSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  /** Its stories' ids, so a new file reusing one is refused without parsing this one. */
  ids: z.array(z.string()),
  passages: z.number().int().nonnegative(),
  /** What the parser said of it (an encoding guess, a skipped line), repeated when it is reused. */
  warnings: z.array(z.string()),
  /** The file's size and modification time when it was read: see `fingerprint.ts` for when they stand in for its hash. */
  bytes: z.number().int().nonnegative().optional(),
  mtimeMs: z.number().optional(),
});

const sourcesSchema = z.object({ version: z.literal(SOURCES_FORMAT_VERSION), files: z.array(sourceSchema) });

export type SourceRecord = z.infer<typeof sourceSchema>;

/** A source with where its runs start: its first story and first passage in the build. */
export interface PlacedSource extends SourceRecord {
  readonly firstStory: number;
  readonly firstPassage: number;
}

export function encodeSources(files: readonly SourceRecord[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: SOURCES_FORMAT_VERSION, files }));
}

/** The records with their offsets; undefined when the file is of another version or malformed (the rebuild then parses everything). */
export function decodeSources(bytes: Uint8Array): PlacedSource[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const parsed = sourcesSchema.safeParse(value);
  if (!parsed.success) return undefined;
  let firstStory = 0;
  let firstPassage = 0;
  return parsed.data.files.map((f) => {
    const placed = { ...f, firstStory, firstPassage };
    firstStory += f.ids.length;
    firstPassage += f.passages;
    return placed;
  });
}
