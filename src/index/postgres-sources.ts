import type { ParsedFile } from "../corpus/load.js";
import type { Story } from "../corpus/story.js";
import { type Pool, type PoolClient, query } from "../db/postgres.js";
import { type Passage, toPassages } from "../passages.js";
import type { CarriedFile } from "./scan.js";

/**
 * The published build's corpus files in the database (`index_sources`, see
 * `postgres-schema.ts`): what lets a Postgres rebuild parse only new and
 * changed files, as `sources.ts` does for the folder store. Stories are
 * ordered by corpus file, so each file owns one run of story positions
 * starting at `firstStory`.
 */
export interface StoredSource extends CarriedFile {
  readonly file: string;
  readonly ids: readonly string[];
  readonly warnings: readonly string[];
  /** Passages its stories gave. */
  readonly passages: number;
  /** Position (in corpus order) of its first story. */
  readonly firstStory: number;
}

/** The recorded files by name (read in the same snapshot as the published build id). */
export async function readSources(db: Pool | PoolClient): Promise<Map<string, StoredSource>> {
  const { rows } = await query<{ file: string; sha256: string; bytes: string | null; mtime_ms: number | null; story_ids: string[]; passages: number; warnings: string[]; first_story: number }>(
    db,
    "select file, sha256, bytes, mtime_ms, story_ids, passages, warnings, first_story from index_sources",
  );
  return new Map(
    rows.map((r) => [
      r.file,
      {
        file: r.file,
        sha256: r.sha256,
        ...(r.bytes === null ? {} : { bytes: Number(r.bytes) }),
        ...(r.mtime_ms === null ? {} : { mtimeMs: r.mtime_ms }),
        ids: r.story_ids,
        passages: r.passages,
        warnings: r.warnings,
        firstStory: r.first_story,
      },
    ]),
  );
}

/**
 * Writes the new build's records, inside its transaction: all of them when
 * nothing was carried (`replaceAll`), else only those of files parsed, moved
 * or touched (`write`) and the removal of files gone.
 */
export async function writeSources(client: PoolClient, change: { readonly replaceAll: boolean; readonly write: readonly StoredSource[]; readonly removed: readonly string[] }): Promise<void> {
  if (change.replaceAll) await query(client, "delete from index_sources");
  else if (change.removed.length > 0) await query(client, "delete from index_sources where file = any($1::text[])", [change.removed]);
  if (change.write.length === 0) return;
  // Story ids travel as one JSON array per file: a text[][] parameter would need rows of equal length.
  await query(
    client,
    `insert into index_sources (file, sha256, bytes, mtime_ms, story_ids, passages, warnings, first_story)
     select f, h, b, m, array(select jsonb_array_elements_text(i::jsonb)), p, array(select jsonb_array_elements_text(w::jsonb)), s
     from unnest($1::text[], $2::text[], $3::bigint[], $4::float8[], $5::text[], $6::int[], $7::text[], $8::int[]) as u(f, h, b, m, i, p, w, s)
     on conflict (file) do update set sha256 = excluded.sha256, bytes = excluded.bytes, mtime_ms = excluded.mtime_ms, story_ids = excluded.story_ids,
       passages = excluded.passages, warnings = excluded.warnings, first_story = excluded.first_story`,
    [
      change.write.map((s) => s.file),
      change.write.map((s) => s.sha256),
      change.write.map((s) => s.bytes ?? null),
      change.write.map((s) => s.mtimeMs ?? null),
      change.write.map((s) => JSON.stringify(s.ids)),
      change.write.map((s) => s.passages),
      change.write.map((s) => JSON.stringify(s.warnings)),
      change.write.map((s) => s.firstStory),
    ],
  );
}

/** The new build as the corpus scan left it: carried files by their records, parsed files by their stories. */
export interface PostgresLayout {
  readonly stories: number;
  readonly passages: number;
  readonly parsedFiles: number;
  /** Stories of parsed files with their positions in corpus order. */
  readonly parsedStories: readonly { readonly story: Story; readonly position: number }[];
  /** Their passages. */
  readonly parsedPassages: readonly Passage[];
  /** Every story id of the new build. */
  readonly ids: ReadonlySet<string>;
  /**
   * Story ids whose stored rows may change: those of files parsed now and
   * those the changed and removed files held before; undefined when nothing
   * was carried (every stored row is compared).
   */
  readonly affected: readonly string[] | undefined;
  /** Stories of carried files that moved (a file added or grown before them), with their new positions. */
  readonly carriedMoves: readonly { readonly id: string; readonly position: number }[];
  /** Records to write, and files gone (see `writeSources`). */
  readonly sources: { readonly replaceAll: boolean; readonly write: readonly StoredSource[]; readonly removed: readonly string[] };
}

/** Places each file's stories in corpus order, and works out which records and stored rows the build has to look at. */
export function layOutSources(files: readonly ParsedFile[], carried: ReadonlyMap<string, StoredSource> | undefined): PostgresLayout {
  const parsedStories: { story: Story; position: number }[] = [];
  const parsedPassages: Passage[] = [];
  const ids = new Set<string>();
  const affected = new Set<string>();
  const carriedMoves: { id: string; position: number }[] = [];
  const all: StoredSource[] = [];
  const write: StoredSource[] = [];
  let stories = 0;
  let passages = 0;
  let parsedFiles = 0;
  for (const f of files) {
    const old = carried?.get(f.file);
    if (f.reused) {
      // Carried: its stories and passages stay as stored; only their place may have moved.
      const kept = old!;
      const source: StoredSource = { ...kept, ...(f.stat ? { bytes: f.stat.bytes, mtimeMs: f.stat.mtimeMs } : {}), firstStory: stories };
      if (kept.firstStory !== stories) kept.ids.forEach((id, j) => carriedMoves.push({ id, position: stories + j }));
      if (kept.firstStory !== stories || kept.bytes !== source.bytes || kept.mtimeMs !== source.mtimeMs) write.push(source);
      all.push(source);
      for (const id of kept.ids) ids.add(id);
      stories += kept.ids.length;
      passages += kept.passages;
      continue;
    }
    parsedFiles++;
    const made = toPassages(f.stories);
    f.stories.forEach((story, j) => {
      parsedStories.push({ story, position: stories + j });
      ids.add(story.id);
      affected.add(story.id);
    });
    parsedPassages.push(...made);
    const source: StoredSource = { file: f.file, sha256: f.sha256, ids: f.stories.map((s) => s.id), passages: made.length, warnings: f.warnings, firstStory: stories, ...(f.stat ? { bytes: f.stat.bytes, mtimeMs: f.stat.mtimeMs } : {}) };
    write.push(source);
    all.push(source);
    stories += f.stories.length;
    passages += made.length;
  }
  const present = new Set(files.map((f) => f.file));
  const reused = new Set(files.filter((f) => f.reused).map((f) => f.file));
  const removed: string[] = [];
  if (carried) {
    for (const [file, old] of carried) {
      if (reused.has(file)) continue;
      // Changed or removed: its old stories' rows are compared with what the corpus holds now.
      for (const id of old.ids) affected.add(id);
      if (!present.has(file)) removed.push(file);
    }
  }
  return {
    stories,
    passages,
    parsedFiles,
    parsedStories,
    parsedPassages,
    ids,
    affected: carried ? [...affected] : undefined,
    carriedMoves,
    sources: carried ? { replaceAll: false, write, removed } : { replaceAll: true, write: all, removed: [] },
  };
}
