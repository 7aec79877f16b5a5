import { readFile } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";
import { decodeNearDuplicates, type NearDuplicates } from "../search/near-duplicates.js";
import { LABELS_SUFFIX } from "./hnsw.js";
import { type Damage, digestFile } from "./integrity.js";
import { LEXICAL_FILE } from "./lexical-file.js";
import type { Manifest } from "./manifest.js";
import { decodeSources, type PlacedSource, SOURCES_FILE } from "./sources.js";
import { decodePassageTable, type PassageTable } from "./passage-format.js";
import { buildDir, currentBuildId, NEAR_DUPLICATES_FILE, PASSAGES_FILE, readManifest, STORIES_FILE, VECTOR_GRAPH_FILE } from "./store.js";
import { hexHash, type PreviousRecords, TEXT_ENCODING, TEXTS_FILE } from "./text-file.js";

/**
 * The served build as a rebuild sees it: raw bytes rather than objects
 * (its stories, passages and texts are copied by the run, and only the
 * passages of changed files are read), each file checked against the size and
 * CRC-32 the build recorded as it is read, so nothing damaged is carried
 * into the next build.
 */
export interface PreviousBuild {
  readonly buildId: string;
  readonly dir: string;
  readonly manifest: Manifest;
  /** Passages it holds. */
  readonly count: number;
  /** Its stories, passages and texts as bytes, for runs to be copied. */
  readonly records: PreviousRecords;
  /** What a rebuild compares of passage i (its text decoded when read). */
  passage(i: number): OldPassage;
  /** Which corpus file owns which run of records; absent in builds made before it was recorded. */
  readonly sources?: readonly PlacedSource[];
  /** `lexical.bin`, intact. */
  readonly lexicalBytes?: Uint8Array;
  readonly nearDuplicates?: NearDuplicates;
  /**
   * `vectors.hnsw` (and its label table), when intact (or when the build
   * recorded no checksums): the graph, and the only copy of the build's vectors.
   */
  readonly graphFile?: string;
  readonly damage: readonly Damage[];
}

export interface OldPassage {
  readonly key: string;
  /** sha256 of the embedded text, hex. */
  readonly hash: string;
  readonly text: string;
}

/**
 * Reads the served build for a rebuild; undefined when there is none or
 * its stories and passages cannot be trusted (the rebuild then starts
 * afresh), with the reason added to `warnings`.
 */
export async function openPrevious(indexDir: string, warnings: string[]): Promise<PreviousBuild | undefined> {
  const buildId = await currentBuildId(indexDir).catch(() => undefined);
  if (buildId === undefined) return undefined;
  const manifest = await readManifest(indexDir).catch((error: unknown) => {
    warnings.push(`previous index ignored: ${(error as Error).message}`);
    return undefined;
  });
  if (manifest === undefined) return undefined;
  const dir = buildDir(indexDir, buildId);
  const damage: Damage[] = [];
  /** The file's bytes if they are as the build recorded them (any bytes, for a build that recorded nothing). */
  const intact = async (name: string): Promise<Buffer | undefined> => {
    const bytes = await readFile(path.join(dir, name)).catch(() => undefined);
    const want = manifest.files?.[name];
    if (bytes === undefined) {
      if (want !== undefined) damage.push({ file: name, problem: "missing" });
      return undefined;
    }
    if (want === undefined) return manifest.files === undefined ? bytes : undefined;
    if (bytes.length !== want.bytes) damage.push({ file: name, problem: `${bytes.length} bytes, ${want.bytes} recorded` });
    else if (crc32(bytes) !== want.crc32) damage.push({ file: name, problem: "contents differ from what the build wrote (checksum)" });
    else return bytes;
    return undefined;
  };

  /** Whether the file is as the build recorded it, read in chunks and not kept (a build that recorded nothing: whether it exists). */
  const checked = async (name: string): Promise<boolean> => {
    const want = manifest.files?.[name];
    const got = await digestFile(path.join(dir, name)).catch(() => undefined);
    if (got === undefined) {
      if (want !== undefined) damage.push({ file: name, problem: "missing" });
      return false;
    }
    if (want === undefined) return manifest.files === undefined;
    if (got.bytes !== want.bytes) damage.push({ file: name, problem: `${got.bytes} bytes, ${want.bytes} recorded` });
    else if (got.crc32 !== want.crc32) damage.push({ file: name, problem: "contents differ from what the build wrote (checksum)" });
    else return true;
    return false;
  };

  const storyLines = await intact(STORIES_FILE);
  const tableBytes = await intact(PASSAGES_FILE);
  const texts = await intact(TEXTS_FILE);
  const say = (why: string) => warnings.push(`previous index ignored: build ${buildId} ${why}; everything is rebuilt from the corpus`);
  if (storyLines === undefined || tableBytes === undefined || texts === undefined) {
    say(damage.length > 0 ? `is damaged (${damage.map((d) => `${d.file} ${d.problem}`).join("; ")})` : "has no stories, passages or texts");
    return undefined;
  }
  let table: PassageTable;
  try {
    table = decodePassageTable(tableBytes);
  } catch (error) {
    say(`cannot be read (${(error as Error).message})`);
    return undefined;
  }
  const storyLineStarts = lineOffsets(storyLines);
  const count = table.passages;
  if (storyLineStarts === undefined || storyLineStarts.length - 1 !== table.stories || count !== manifest.passages || table.stories !== manifest.stories || table.textStarts[table.textStarts.length - 1] !== texts.length) {
    say(`does not agree with itself (${count} passages and ${table.stories} stories in ${PASSAGES_FILE}, manifest ${manifest.passages} and ${manifest.stories})`);
    return undefined;
  }
  const passage = (i: number): OldPassage => {
    const t = table.text[i]!;
    return {
      key: table.keys.get(i),
      hash: hexHash(table.hashes, i),
      get text() {
        return texts.toString(TEXT_ENCODING, table.textStarts[t]!, table.textStarts[t + 1]!);
      },
    };
  };

  const sourceBytes = await intact(SOURCES_FILE);
  const sources = sourceBytes && decodeSources(sourceBytes);
  const consistent = sources !== undefined && sum(sources, (s) => s.passages) === count && sum(sources, (s) => s.ids.length) === table.stories;

  const lexicalBytes = await intact(LEXICAL_FILE);
  const ndBytes = await intact(NEAR_DUPLICATES_FILE);
  let nearDuplicates: NearDuplicates | undefined;
  try {
    nearDuplicates = ndBytes && decodeNearDuplicates(ndBytes, count);
  } catch {
    nearDuplicates = undefined;
  }
  // hnswlib reads the graph itself: this read only checks it, streamed (no buffer of 220 MB at 100k passages).
  const labelsName = `${VECTOR_GRAPH_FILE}${LABELS_SUFFIX}`;
  const graphIntact = manifest.embedding !== null && (await checked(VECTOR_GRAPH_FILE)) && (manifest.files?.[labelsName] === undefined || (await intact(labelsName)) !== undefined);
  const graphFile = graphIntact ? path.join(dir, VECTOR_GRAPH_FILE) : undefined;
  return {
    buildId,
    dir,
    manifest,
    count,
    records: { table, texts, storyLines, storyLineStarts },
    passage,
    ...(consistent ? { sources } : {}),
    ...(lexicalBytes ? { lexicalBytes } : {}),
    ...(nearDuplicates ? { nearDuplicates } : {}),
    ...(graphFile ? { graphFile } : {}),
    damage,
  };
}

/** Start of each line, plus the end: n + 1 offsets for n newline-terminated lines; undefined when the last line is cut short. */
function lineOffsets(bytes: Buffer): Uint32Array | undefined {
  const starts: number[] = [0];
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) starts.push(at + 1);
  if (starts[starts.length - 1] !== bytes.length) return undefined;
  return Uint32Array.from(starts);
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
