import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { ComparisonRecord } from "../report/comparison-record.js";
import { GOLDENS_DIR_NAME } from "./golden-paths.js";

const SKIP = new Set(["node_modules", ".git", "dist", "__results__"]);

/** Every golden under `root` (files in `__goldens__` folders but their `.json` sidecars), relative to `root`, `/`-separated, sorted. */
export async function listGoldens(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, inGoldens: boolean): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) await walk(path, inGoldens || entry.name === GOLDENS_DIR_NAME);
      } else if (inGoldens && !entry.name.endsWith(".json")) {
        found.push(relative(root, path).split(sep).join("/"));
      }
    }
  };
  await walk(root, false);
  return found.sort();
}

/**
 * Goldens under `root` that no comparison of the run used. Meaningful after a full run: goldens of
 * tests that were filtered out or sharded away are listed too.
 */
export async function listUnusedGoldens(
  root: string,
  records: readonly ComparisonRecord[],
): Promise<string[]> {
  const used = new Set(records.map((r) => r.golden));
  return (await listGoldens(root)).filter((golden) => !used.has(golden));
}
