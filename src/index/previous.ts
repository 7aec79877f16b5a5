import { readFile } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";
import { decodeNearDuplicates, type NearDuplicates } from "../search/near-duplicates.js";
import { LABELS_SUFFIX } from "./hnsw.js";
import type { Damage } from "./integrity.js";
import { LEXICAL_FILE } from "./lexical-file.js";
import type { Manifest } from "./manifest.js";
import { decodeSources, type PlacedSource, SOURCES_FILE } from "./sources.js";
import { buildDir, currentBuildId, NEAR_DUPLICATES_FILE, PASSAGES_FILE, readManifest, STORIES_FILE, type StoredPassage, VECTOR_GRAPH_FILE, VECTORS_FILE } from "./store.js";

/**
 * The served build as a rebuild sees it: raw bytes rather than objects
 * (its stories and passages are copied by the run, and only the passages
 * of changed files are parsed), each file checked against the size and
 * CRC-32 the build recorded as it is read, so nothing damaged is carried
 * into the next build.
 */
export interface PreviousBuild {
  readonly buildId: string;
  readonly dir: string;
  readonly manifest: Manifest;
  /** Passages it holds. */
  readonly count: number;
  readonly storyBytes: Buffer;
  readonly passageBytes: Buffer;
  /** Passage i as stored (parsed on first use). */
  passage(i: number): StoredPassage;
  /** Which corpus file owns which run of records; absent in builds made before it was recorded. */
  readonly sources?: readonly PlacedSource[];
  /** `lexical.bin`, intact. */
  readonly lexicalBytes?: Uint8Array;
  readonly nearDuplicates?: NearDuplicates;
  /** One row per passage, intact. */
  readonly vectors?: Float32Array;
  /** `vectors.hnsw`, when intact (or when the build recorded no checksums). */
  readonly graphFile?: string;
  readonly damage: readonly Damage[];
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

  const storyBytes = await intact(STORIES_FILE);
  const passageBytes = await intact(PASSAGES_FILE);
  const lineStarts = passageBytes && lineOffsets(passageBytes);
  const say = (why: string) => warnings.push(`previous index ignored: build ${buildId} ${why}; everything is rebuilt from the corpus`);
  if (storyBytes === undefined || passageBytes === undefined || lineStarts === undefined) {
    say(damage.length > 0 ? `is damaged (${damage.map((d) => `${d.file} ${d.problem}`).join("; ")})` : "has no stories or passages");
    return undefined;
  }
  const count = lineStarts.length - 1;
  if (count !== manifest.passages) {
    say(`holds ${count} passages, its manifest says ${manifest.passages}`);
    return undefined;
  }
  const parsed = new Map<number, StoredPassage>();
  const passage = (i: number): StoredPassage => {
    let p = parsed.get(i);
    if (p === undefined) {
      const line = passageBytes.toString("utf8", lineStarts[i]!, lineStarts[i + 1]!);
      try {
        p = JSON.parse(line) as StoredPassage;
      } catch (error) {
        throw new Error(`${path.join(dir, PASSAGES_FILE)}:${i + 1}: ${(error as Error).message}`, { cause: error });
      }
      parsed.set(i, p);
    }
    return p;
  };

  const sourceBytes = await intact(SOURCES_FILE);
  const sources = sourceBytes && decodeSources(sourceBytes);
  const consistent = sources !== undefined && sum(sources, (s) => s.passages) === count && sum(sources, (s) => s.storyBytes) === storyBytes.length && sum(sources, (s) => s.passageBytes) === passageBytes.length;

  const lexicalBytes = await intact(LEXICAL_FILE);
  const ndBytes = await intact(NEAR_DUPLICATES_FILE);
  let nearDuplicates: NearDuplicates | undefined;
  try {
    nearDuplicates = ndBytes && decodeNearDuplicates(ndBytes, count);
  } catch {
    nearDuplicates = undefined;
  }
  let vectors: Float32Array | undefined;
  if (manifest.embedding !== null) {
    const bytes = await intact(VECTORS_FILE);
    if (bytes !== undefined && bytes.length === count * manifest.embedding.dimensions * 4) {
      vectors = new Float32Array(count * manifest.embedding.dimensions);
      new Uint8Array(vectors.buffer).set(bytes);
    }
  }
  // hnswlib reads the graph itself: this read only checks it (from the page cache, the second read is cheap).
  const labelsName = `${VECTOR_GRAPH_FILE}${LABELS_SUFFIX}`;
  const graphIntact = manifest.embedding !== null && (await intact(VECTOR_GRAPH_FILE)) !== undefined && (manifest.files?.[labelsName] === undefined || (await intact(labelsName)) !== undefined);
  const graphFile = graphIntact ? path.join(dir, VECTOR_GRAPH_FILE) : undefined;
  return {
    buildId,
    dir,
    manifest,
    count,
    storyBytes,
    passageBytes,
    passage,
    ...(consistent ? { sources } : {}),
    ...(lexicalBytes ? { lexicalBytes } : {}),
    ...(nearDuplicates ? { nearDuplicates } : {}),
    ...(vectors ? { vectors } : {}),
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
