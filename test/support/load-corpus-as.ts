/**
 * Prints what `loadCorpus(argv[2])` found, as JSON. Run as another user by
 * tests that need a file or folder the reader may not open: root reads
 * through any chmod, so "unreadable" is only honest for an unprivileged reader.
 */
import { loadCorpus } from "../../src/corpus/load.js";

const corpus = await loadCorpus(process.argv[2]!);
process.stdout.write(JSON.stringify({ files: corpus.files.map((f) => f.file), errors: corpus.errors.map((e) => e.message), warnings: corpus.warnings }));
