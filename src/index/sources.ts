import { z } from "zod";

/**
 * Which corpus file each run of a build's records came from (`sources.json`
 * in the build folder). Stories are stored in corpus-file order and passages
 * in story order, so each file owns one contiguous run of lines in
 * `stories.jsonl` and one in `passages.jsonl` (and of rows in the vectors
 * and near-duplicate tables). A rebuild copies the runs of files whose bytes
 * did not change instead of parsing the file and re-serializing its
 * stories: adding one story to 100k passages then costs what the one story
 * costs, plus copying bytes.
 */
export const SOURCES_FILE = "sources.json";
export const SOURCES_FORMAT_VERSION = 1;

const sourceSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  /** Its stories' ids, so a new file reusing one is refused without parsing this one. */
  ids: z.array(z.string()),
  passages: z.number().int().nonnegative(),
  /** Bytes of its lines in stories.jsonl and passages.jsonl. */
  storyBytes: z.number().int().nonnegative(),
  passageBytes: z.number().int().nonnegative(),
  /** What the parser said of it (an encoding guess, a skipped line), repeated when it is reused. */
  warnings: z.array(z.string()),
  /** The file's size and modification time when it was read: see `fingerprint.ts` for when they stand in for its hash. */
  bytes: z.number().int().nonnegative().optional(),
  mtimeMs: z.number().optional(),
});

const sourcesSchema = z.object({ version: z.literal(SOURCES_FORMAT_VERSION), files: z.array(sourceSchema) });

export type SourceRecord = z.infer<typeof sourceSchema>;

/** A source with where its runs start, in lines (passages) and bytes. */
export interface PlacedSource extends SourceRecord {
  readonly firstPassage: number;
  readonly storyStart: number;
  readonly passageStart: number;
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
  let firstPassage = 0;
  let storyStart = 0;
  let passageStart = 0;
  return parsed.data.files.map((f) => {
    const placed = { ...f, firstPassage, storyStart, passageStart };
    firstPassage += f.passages;
    storyStart += f.storyBytes;
    passageStart += f.passageBytes;
    return placed;
  });
}
