import { z } from "zod";

/**
 * Bumped whenever the files of a build change shape. An index of another
 * version is refused, never half-read (MiniSearch's `serializationVersion`
 * is the model; LangChain's silent `args.json` is what not to do).
 *
 * 2: stories and passages as JSON Lines. 3: each paragraph stored once, in
 * `texts.bin` (UTF-8), read on demand; `passages.bin` says where each
 * passage stands. 4: `texts.bin` in UTF-16LE. 5: no `vectors.f32`; the
 * vectors are kept in the HNSW graph alone (a rebuild reads the ones it
 * reuses from there), so adding a story no longer reads, checks and writes
 * a second 205 MB copy of them at 100k passages.
 */
export const INDEX_FORMAT_VERSION = 5;

const manifestSchema = z.object({
  formatVersion: z.number().int(),
  builtAt: z.string(),
  corpusFingerprint: z.string(),
  stories: z.number().int().nonnegative(),
  passages: z.number().int().nonnegative(),
  /** null: a lexical-only index, built where no model could be loaded. */
  embedding: z
    .object({ model: z.string(), dtype: z.string(), dimensions: z.number().int().positive() })
    .nullable(),
  /** `format`: the lexical file's format version; `nearDuplicates`: the near-duplicate table's (absent in older builds). */
  lexical: z.object({ segmenter: z.string(), format: z.number().int().optional(), nearDuplicates: z.number().int().optional() }),
  /**
   * Size and CRC-32 of every other file of the build, as written (see
   * integrity.ts); absent in builds made before it existed, which an
   * unchanged rebuild then reads in full instead of trusting.
   */
  files: z.record(z.string(), z.object({ bytes: z.number().int().nonnegative(), crc32: z.number().int().nonnegative() })).optional(),
  /** What the corpus parser warned about, so a rebuild that parses nothing can still say it. */
  corpusWarnings: z.array(z.string()).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** Parses a manifest, or says what is wrong with it; the caller names the folder. */
export function parseManifest(json: string): Manifest | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return "manifest.json is not valid JSON";
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== INDEX_FORMAT_VERSION) {
    return `it has format version ${String(version)}, this program reads version ${INDEX_FORMAT_VERSION}; rebuild it with npm run build-index`;
  }
  const parsed = manifestSchema.safeParse(value);
  return parsed.success ? parsed.data : `manifest.json is malformed (${parsed.error.issues[0]?.message ?? "?"})`;
}
