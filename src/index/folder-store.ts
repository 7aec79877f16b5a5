import { IndexError } from "../errors.js";
import { decodeNearDuplicates } from "../search/near-duplicates.js";
import { buildIndex } from "./build.js";
import type { IndexStore, ServedIndex } from "./index-store.js";
import { loadLexical } from "./lexical-file.js";
import { currentBuildId, readIndex, readManifest } from "./store.js";
import { pollBuildId } from "./watch.js";

/**
 * The embedded store: builds in folders under INDEX_DIR (`store.ts`), HNSW
 * and BM25 loaded into this process. The default, needing nothing installed.
 */
export function createFolderStore(indexDir: string): IndexStore {
  return {
    kind: "folder",
    where: indexDir,
    currentBuildId: () => currentBuildId(indexDir),
    readManifest: () => readManifest(indexDir),
    build: (opts) => buildIndex({ ...opts, indexDir }),
    watch: (onBuild, everyMs = 5_000) => pollBuildId(() => currentBuildId(indexDir), onBuild, everyMs),
    async close() {},
    async load(opts): Promise<ServedIndex | undefined> {
      // Vectors are searched through the HNSW graph: the raw vectors file is left unread.
      // Texts are served from memory once a background read of texts.bin is in.
      const index = await readIndex(indexDir, { ...(opts.embedder && opts.vectorFactory ? { vectorFactory: opts.vectorFactory } : {}), vectors: false, textsInMemory: true });
      if (index === undefined) return undefined;
      try {
        const lexical = await loadLexical(index.lexicalFile, opts.segmenter);
        const groups = index.nearDuplicateBytes ? decodeNearDuplicates(index.nearDuplicateBytes, index.passageList.length).groups : undefined;
        return {
          buildId: index.buildId,
          manifest: index.manifest,
          stories: index.stories,
          passages: index.passageList,
          lexical,
          lexicalSlots: {
            passage: (slot) => index.passageList.lexicalPassage(slot),
            slot: (i) => index.passageList.lexicalSlot(i),
            has: (slot, word) => lexical.has(slot, word),
            search: (query, k) => lexical.searchSlots(query, k),
          },
          idf: (word) => lexical.idf(word),
          vectors: index.vectorIndex,
          ...(groups ? { nearDuplicateGroup: (i: number) => groups[i]! } : {}),
        };
      } catch (error) {
        throw new IndexError(indexDir, (error as Error).message, { cause: error });
      }
    },
  };
}
