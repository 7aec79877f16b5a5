import type { BuildReport } from "../index/build.js";

/** A build summary for the terminal (npm run build-index, npm start); the bot speaks Chinese (src/bot/build-report.ts). */
export function describeBuild(r: BuildReport, indexDir: string): string {
  if (r.unchanged) {
    return `index ${indexDir} is up to date: no corpus change, embedded nothing (${r.stories} stories, ${r.passages} passages, ${r.seconds}s)`;
  }
  return [
    `index ${indexDir} rebuilt as ${r.buildId} in ${r.seconds}s`,
    `  stories: ${r.stories}, passages: ${r.passages} (added ${r.added}, changed ${r.changed}, removed ${r.removed}); corpus files parsed: ${r.parsed} (an unchanged file is copied from the previous build)`,
    r.dense ? `  embeddings (${r.model}): embedded ${r.embedded}, reused ${r.reused}${r.resumed > 0 ? ` (${r.resumed} from an interrupted build's checkpoint)` : ""}` : "  lexical only: no embedding model loaded",
  ].join("\n");
}
