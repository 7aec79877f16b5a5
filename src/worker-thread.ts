import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread on one of our modules. Under tsx (how this project
 * runs) the worker must register tsx's loader before importing TypeScript;
 * a compiled build imports the .js directly.
 */
export function startModuleWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, options);
  const bootstrap = `import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The sibling module `name` of `from` (an `import.meta.url`), with the caller's own extension (.ts under tsx, .js compiled). */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${path.extname(new URL(from).pathname)}`, from);
}

function tsxApi(): string {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve("tsx/package.json"));
  const exports = (require("tsx/package.json") as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(path.join(root, exports["./esm/api"]!.import.default)).href;
}
