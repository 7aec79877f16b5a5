import { type Corpus, loadCorpus, type LoadOptions } from "../corpus/load.js";
import { CorpusRejectedError } from "../errors.js";
import { vouches } from "./fingerprint.js";

/** What a build recorded of a corpus file, enough to carry it over without parsing it (both stores record this). */
export interface CarriedFile {
  readonly sha256: string;
  /** Its stories' ids, so a new file reusing one is refused without parsing this one. */
  readonly ids: readonly string[];
  /** What the parser said of it, repeated when it is carried. */
  readonly warnings: readonly string[];
  readonly bytes?: number | undefined;
  readonly mtimeMs?: number | undefined;
}

/**
 * Reads the corpus, parsing only files the served build does not hold
 * under the same name and hash (a file whose size and modification time
 * vouch for its recorded hash, see `fingerprint.ts`, is not even read). A
 * story id of a new file that a carried file also uses is a duplicate the
 * parser would refuse: the corpus is then read in full, so the refusal
 * names both places as it always has. Carried files come back with
 * `reused` set and no stories; their recorded warnings are added.
 */
export async function scanCorpus(
  opts: { readonly corpusDir: string; readonly maxFileBytes?: number | undefined },
  carried: ReadonlyMap<string, CarriedFile> | undefined,
  builtAt: string | undefined,
): Promise<Corpus> {
  const load = (known?: LoadOptions["known"], hashBySize?: LoadOptions["hashBySize"]) =>
    loadCorpus(opts.corpusDir, { ...(opts.maxFileBytes === undefined ? {} : { maxFileBytes: opts.maxFileBytes }), ...(known ? { known } : {}), ...(hashBySize ? { hashBySize } : {}) });
  let corpus = await load(
    carried && ((file, sha256) => carried.get(file)?.sha256 === sha256),
    carried &&
      ((file, now) => {
        const known = carried.get(file);
        return known && builtAt !== undefined && vouches(known, now, Date.parse(builtAt)) ? known.sha256 : undefined;
      }),
  );
  if (corpus.errors.length === 0 && carried) {
    const ids = new Set(corpus.stories.map((s) => s.id));
    const clash = corpus.files.some((f) => f.reused && carried.get(f.file)!.ids.some((id) => ids.has(id)));
    if (clash) corpus = await load();
  }
  if (corpus.errors.length > 0) throw new CorpusRejectedError(corpus.errors);
  const reusedWarnings = corpus.files.flatMap((f) => (f.reused ? carried!.get(f.file)!.warnings : []));
  return { ...corpus, warnings: [...corpus.warnings, ...reusedWarnings] };
}
