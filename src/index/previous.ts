import path from "node:path";
import { crc32 } from "./crc32.js";
import { decodeNearDuplicates, type NearDuplicates } from "../search/near-duplicates.js";
import { LABELS_SUFFIX } from "./hnsw.js";
import { type Damage, digestFile } from "./integrity.js";
import { LEXICAL_FILE, readWhole } from "./lexical-file.js";
import type { Manifest } from "./manifest.js";
import { decodeSources, type PlacedSource, SOURCES_FILE } from "./sources.js";
import { decodePassageTable, type PassageTable } from "./passage-format.js";
import { buildDir, currentBuildId, NEAR_DUPLICATES_FILE, PASSAGES_FILE, readManifest, STORIES_FILE, VECTOR_GRAPH_FILE } from "./store.js";
import { hexHash, type PreviousRecords, TEXT_ENCODING, TEXTS_FILE } from "./text-file.js";
import type { VectorIndex } from "./vector-index.js";

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
   * Its HNSW graph, loaded, when it was asked for, was made with the same
   * embedding, is intact (`vectors.hnsw` and its label table; or the build
   * recorded no checksums) and holds one vector per passage: the only copy
   * of the build's vectors.
   */
  readonly graph?: VectorIndex;
  readonly damage: readonly Damage[];
}

export interface OldPassage {
  readonly key: string;
  /** sha256 of the embedded text, hex. */
  readonly hash: string;
  readonly text: string;
}

/** How a dense rebuild loads the served graph: only a graph made with `embedding` is of use to it. */
export interface GraphLoader {
  readonly embedding: NonNullable<Manifest["embedding"]>;
  load(file: string, dimensions: number): Promise<VectorIndex>;
}

/**
 * Reads the served build for a rebuild; undefined when there is none or
 * its stories and passages cannot be trusted (the rebuild then starts
 * afresh), with the reason added to `warnings`. Every file is read at once:
 * the graph (220 MB at 100k passages, read by hnswlib on libuv's threads)
 * loads while this thread checks the other files, and it is checked
 * itself as it loads; a graph whose check fails is dropped unused.
 */
export async function openPrevious(indexDir: string, warnings: string[], graphLoader?: GraphLoader): Promise<PreviousBuild | undefined> {
  const buildId = await currentBuildId(indexDir).catch(() => undefined);
  if (buildId === undefined) return undefined;
  const manifest = await readManifest(indexDir).catch((error: unknown) => {
    warnings.push(`previous index ignored: ${(error as Error).message}`);
    return undefined;
  });
  if (manifest === undefined) return undefined;
  const dir = buildDir(indexDir, buildId);
  const damage: Damage[] = [];
  const recorded = (name: string, got: { bytes: number; crc32: () => number } | undefined): boolean => {
    const want = manifest.files?.[name];
    if (got === undefined) {
      if (want !== undefined) damage.push({ file: name, problem: "missing" });
      return false;
    }
    if (want === undefined) return manifest.files === undefined;
    if (got.bytes !== want.bytes) damage.push({ file: name, problem: `${got.bytes} bytes, ${want.bytes} recorded` });
    else if (got.crc32() !== want.crc32) damage.push({ file: name, problem: "contents differ from what the build wrote (checksum)" });
    else return true;
    return false;
  };
  /** Reads a file in one request (started now, checked when awaited): its bytes if they are as the build recorded them (any bytes, for a build that recorded nothing). */
  const intact = (name: string): (() => Promise<Buffer | undefined>) => {
    const reading = readWhole(path.join(dir, name)).catch(() => undefined);
    return async () => {
      const bytes = await reading;
      return recorded(name, bytes && { bytes: bytes.length, crc32: () => crc32(bytes) }) ? bytes : undefined;
    };
  };
  /** Whether the file is as the build recorded it, read in chunks and not kept. */
  const checked = async (name: string): Promise<boolean> => {
    const got = await digestFile(path.join(dir, name)).catch(() => undefined);
    return recorded(name, got && { bytes: got.bytes, crc32: () => got.crc32 });
  };

  const embedding = manifest.embedding;
  const graphFile = path.join(dir, VECTOR_GRAPH_FILE);
  const loading = graphLoader && embedding && JSON.stringify(embedding) === JSON.stringify(graphLoader.embedding)
    ? graphLoader.load(graphFile, embedding.dimensions).then(
        (graph) => ({ graph }),
        (error: unknown) => ({ error: error as Error }),
      )
    : undefined;
  const labelsName = `${VECTOR_GRAPH_FILE}${LABELS_SUFFIX}`;
  // Checked even when it is not to be loaded (a rebuild without the model): a damaged graph must not pass for an intact build.
  const graphChecks = embedding === null ? undefined : [checked(VECTOR_GRAPH_FILE), manifest.files?.[labelsName] === undefined ? Promise.resolve(true) : intact(labelsName)().then((b) => b !== undefined)];
  const [readStories, readTable, readTexts] = [intact(STORIES_FILE), intact(PASSAGES_FILE), intact(TEXTS_FILE)];
  const [readSources, readLexical, readNearDuplicates] = [intact(SOURCES_FILE), intact(LEXICAL_FILE), intact(NEAR_DUPLICATES_FILE)];
  // Waited for on every path out, so no read outlives this call (and a loaded graph is let go of at once when unused).
  const graphResult = async (count: number | undefined): Promise<VectorIndex | undefined> => {
    const ok = graphChecks !== undefined && (await Promise.all(graphChecks)).every(Boolean);
    const loaded = await loading;
    if (!ok || loaded === undefined || count === undefined) return undefined;
    if ("error" in loaded) {
      warnings.push(`the served HNSW graph could not be read (${loaded.error.message}): every passage is embedded again`);
      return undefined;
    }
    if (loaded.graph.size !== count) {
      warnings.push(`the served HNSW graph holds ${loaded.graph.size} vectors for ${count} passages: every passage is embedded again`);
      return undefined;
    }
    return loaded.graph;
  };

  const storyLines = await readStories();
  const tableBytes = await readTable();
  const texts = await readTexts();
  const say = async (why: string) => {
    await Promise.all([readSources(), readLexical(), readNearDuplicates(), graphResult(undefined)]);
    warnings.push(`previous index ignored: build ${buildId} ${why}; everything is rebuilt from the corpus`);
    return undefined;
  };
  if (storyLines === undefined || tableBytes === undefined || texts === undefined) {
    return say(damage.length > 0 ? `is damaged (${damage.map((d) => `${d.file} ${d.problem}`).join("; ")})` : "has no stories, passages or texts");
  }
  let table: PassageTable;
  try {
    table = decodePassageTable(tableBytes);
  } catch (error) {
    return say(`cannot be read (${(error as Error).message})`);
  }
  const storyLineStarts = lineOffsets(storyLines);
  const count = table.passages;
  if (storyLineStarts === undefined || storyLineStarts.length - 1 !== table.stories || count !== manifest.passages || table.stories !== manifest.stories || table.textStarts[table.textStarts.length - 1] !== texts.length) {
    return say(`does not agree with itself (${count} passages and ${table.stories} stories in ${PASSAGES_FILE}, manifest ${manifest.passages} and ${manifest.stories})`);
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

  const sourceBytes = await readSources();
  const sources = sourceBytes && decodeSources(sourceBytes);
  const consistent = sources !== undefined && sum(sources, (s) => s.passages) === count && sum(sources, (s) => s.ids.length) === table.stories;

  const lexicalBytes = await readLexical();
  const ndBytes = await readNearDuplicates();
  let nearDuplicates: NearDuplicates | undefined;
  try {
    nearDuplicates = ndBytes && decodeNearDuplicates(ndBytes, count);
  } catch {
    nearDuplicates = undefined;
  }
  // hnswlib reads the graph itself: the check reads it again in chunks, from the page cache (no buffer of 220 MB at 100k passages).
  const graph = await graphResult(count);
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
    ...(graph ? { graph } : {}),
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
