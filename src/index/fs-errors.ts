/**
 * Names a file-system failure by its cause, so an admin reading "the disk is
 * full" knows what to do; the raw errno stays in the message for searching.
 */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is exhausted",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EIO: "an input/output error (failing disk?)",
  ENOENT: "no such file or folder",
  EMFILE: "too many open files",
};

export function fsCause(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const code = e?.code;
  if (code !== undefined && CAUSES[code] !== undefined) return `${CAUSES[code]} (${code})`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** True for errno failures of the machine around the index rather than of our data. */
export function isFsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}
