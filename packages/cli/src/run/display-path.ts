import { isAbsolute, relative, sep } from "node:path";

/**
 * A path as the CLI shows it to a person: relative to `cwd` when it lies inside it (`out/x.png`,
 * `src/poster.ts`), absolute otherwise (a `../../` chain is harder to read than the real place).
 */
export function displayPath(cwd: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * Rewrites absolute paths inside `cwd` found in a message (from a library, or a stack line) to
 * relative ones: `/home/me/proj/src/a.ts:3:7` → `src/a.ts:3:7`, `file:///home/me/proj/a.ts` → `a.ts`.
 * Only whole path starts are rewritten (after a space, quote, bracket or the start of a line).
 */
export function relativizeText(cwd: string, text: string): string {
  const root = cwd.endsWith(sep) ? cwd : cwd + sep;
  // At the file-system root every absolute path would be "inside": keep them as they are.
  if (root === sep || /^[A-Za-z]:\\$/.test(root)) return text;
  const escaped = escapeRegExp(root);
  const fileUrl = escapeRegExp(`file://${root.split(sep).join("/")}`);
  const pattern = new RegExp(`(^|[\\s"'(\\[=,])(?:${fileUrl}|${escaped})(?=[^\\s])`, "gm");
  return text.replace(pattern, "$1");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
