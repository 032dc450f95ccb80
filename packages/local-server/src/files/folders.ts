import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The server's three folders. */
export interface ServerDirs {
  readonly input: string;
  readonly output: string;
  readonly temp: string;
}

export type FolderType = "input" | "output" | "temp";

/** `input | output | temp` → folder; undefined for any other type name. */
export function folderByType(dirs: ServerDirs, type: string): string | undefined {
  if (type === "input" || type === "output" || type === "temp") return dirs[type];
  return undefined;
}

/**
 * Resolves the folders from options (creating them), or makes one fresh temporary base with
 * `input/`, `output/` and `temp/` inside. Returns the base to delete on close when it was made here.
 */
export async function resolveDirs(options: {
  inputDir?: string | undefined;
  outputDir?: string | undefined;
  tempDir?: string | undefined;
}): Promise<{ dirs: ServerDirs; ownedBase: string | undefined }> {
  let ownedBase: string | undefined;
  const base = async () => {
    ownedBase ??= await mkdtemp(join(tmpdir(), "comfy-ts-server-"));
    return ownedBase;
  };
  const input = options.inputDir ? resolve(options.inputDir) : join(await base(), "input");
  const output = options.outputDir ? resolve(options.outputDir) : join(await base(), "output");
  const temp = options.tempDir ? resolve(options.tempDir) : join(await base(), "temp");
  try {
    for (const dir of [input, output, temp]) mkdirSync(dir, { recursive: true });
  } catch (error) {
    // A given folder that cannot be made (a file is in the way): leave no temporary base behind.
    if (ownedBase) rmSync(ownedBase, { recursive: true, force: true });
    throw error;
  }
  return { dirs: { input, output, temp }, ownedBase };
}

/** Files under `root`, recursive, `/`-separated, sorted by code point like Python's `sorted`. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile()) out.push(`${prefix}${entry.name}`);
    }
  };
  walk(root, "");
  return out.sort(compareCodePoints);
}

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
