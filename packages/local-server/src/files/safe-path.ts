import { basename, isAbsolute, join, resolve, sep } from "node:path";
import { NodeExecutionError } from "../execution/node-impl.js";
import { folderByType, type ServerDirs } from "./folders.js";

/** `name [output]` / `[input]` / `[temp]` annotations (ComfyUI's `annotated_filepath`). */
export function annotatedFilepath(name: string, dirs: ServerDirs): { name: string; dir: string | undefined } {
  for (const type of ["output", "input", "temp"] as const) {
    const suffix = `[${type}]`;
    if (name.endsWith(suffix)) return { name: name.slice(0, -(suffix.length + 1)), dir: dirs[type] };
  }
  return { name, dir: undefined };
}

/**
 * `folder_paths.get_annotated_filepath`: a file name of a node input (`name`, `name [output]`, …) as a
 * path in its folder (the input folder unless annotated).
 *
 * @throws {NodeExecutionError} `ValueError` when the name leads outside that folder.
 */
export function annotatedInputPath(name: string, ctx: { readonly dirs: ServerDirs }): string {
  const annotated = annotatedFilepath(name, ctx.dirs);
  const base = annotated.dir ?? ctx.dirs.input;
  const path = resolve(base, annotated.name);
  if (path === resolve(base) || !isInside(base, path))
    throw new NodeExecutionError("ValueError", `Invalid image path: ${name}`);
  return path;
}

/** Python's `os.path.join(a, b)`: an absolute `b` replaces `a`. */
export function pyJoin(a: string, b: string): string {
  return isAbsolute(b) ? b : join(a, b);
}

/** Whether `child` (absolute) is `parent` or inside it (Python's `commonpath((child, parent)) == parent`). */
export function isInside(parent: string, child: string): boolean {
  const p = resolve(parent);
  const c = resolve(child);
  return c === p || c.startsWith(p.endsWith(sep) ? p : p + sep);
}

/** Why a `/view`-style file reference was refused, as the HTTP status ComfyUI answers with. */
export type FileRefResult = { ok: true; path: string; filename: string } | { ok: false; status: 400 | 403 };

/**
 * Resolves `filename` (+ `type`, `subfolder`) the way ComfyUI's `/view` does: an empty name, a
 * leading `/` or any `..` → 400; an unknown type → 400; a subfolder outside the folder → 403; only
 * the basename of the filename is used.
 */
export function resolveFileRef(
  dirs: ServerDirs,
  rawFilename: string,
  type: string,
  subfolder: string | undefined,
): FileRefResult {
  const annotated = annotatedFilepath(rawFilename, dirs);
  const name = annotated.name;
  if (name === "") return { ok: false, status: 400 };
  if (name.startsWith("/") || name.includes("..")) return { ok: false, status: 400 };
  let dir = annotated.dir ?? folderByType(dirs, type);
  if (dir === undefined) return { ok: false, status: 400 };
  if (subfolder !== undefined) {
    const full = resolve(pyJoin(dir, subfolder));
    if (!isInside(dir, full)) return { ok: false, status: 403 };
    dir = full;
  }
  const filename = basename(name);
  return { ok: true, path: join(dir, filename), filename };
}
