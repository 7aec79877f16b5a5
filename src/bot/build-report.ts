import { CorpusRejectedError, IndexError, RebuildBusyError } from "../errors.js";
import type { BuildReport } from "../index/build.js";
import { escapeHtml } from "./html.js";

/** Parser diagnostics shown to an admin at most; the rest are counted. */
const MAX_WARNINGS_SHOWN = 5;

/** What a rebuild did, for the admin who asked, in Chinese HTML. */
export function formatBuildReport(r: BuildReport): string {
  const lines = r.unchanged
    ? [`索引已是最新 ✅ 新闻库没有变化，没有重新计算向量。`, `报道 ${r.stories} 篇，段落 ${r.passages} 个，用时 ${r.seconds} 秒。`]
    : [
        "索引已更新 ✅",
        `报道 ${r.stories} 篇，段落 ${r.passages} 个（新增 ${r.added}，修改 ${r.changed}，删除 ${r.removed}），用时 ${r.seconds} 秒。`,
        r.dense && r.model
          ? `向量（${escapeHtml(r.model)}）：新计算 ${r.embedded} 个，沿用 ${r.reused} 个。`
          : "仅词法检索：没有加载向量模型。",
      ];
  if (r.warnings.length > 0) {
    const shown = r.warnings.slice(0, MAX_WARNINGS_SHOWN).map((w) => escapeHtml(w));
    const more = r.warnings.length - shown.length;
    lines.push("", `解析提示 ${r.warnings.length} 条（文件与行号，解析器原文）：`, `<pre>${shown.join("\n")}${more > 0 ? `\n…另有 ${more} 条` : ""}</pre>`);
  }
  return lines.join("\n");
}

/** Why a rebuild failed, in Chinese, with the details the admin needs to fix it. */
export function formatBuildFailure(error: Error): string {
  if (error instanceof CorpusRejectedError) {
    const files = error.errors.map((e) => `${e.line === undefined ? e.file : `${e.file} 第 ${e.line} 行`}：${e.reason}`);
    return [`新闻库里有 ${error.errors.length} 个文件有问题，索引没有改动，仍在使用原来的索引：`, `<pre>${escapeHtml(files.join("\n"))}</pre>`].join("\n");
  }
  if (error instanceof RebuildBusyError) return "另一个实例正在重建索引，这次没有重建，仍在使用原来的索引。请等它完成后再试。";
  const reason = error instanceof IndexError ? error.message.replace(`index ${error.dir}: `, "") : error.message;
  return [`重建失败，仍在使用原来的索引。原因（原文）：`, `<pre>${escapeHtml(reason)}</pre>`].join("\n");
}
