import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder: the shipped assets, the seed corpus and the benchmark cache live under it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
