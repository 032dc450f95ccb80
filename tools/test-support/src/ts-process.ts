import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const repoRoot = resolve(import.meta.dirname, "../../..");

/**
 * Node arguments that run a TypeScript file of this repository from any working directory: tsx's
 * loader by absolute URL, and the source condition so workspace packages resolve to `src/`.
 *
 * @example
 * spawn(process.execPath, [...tsNodeArgs(), "packages/cli/src/bin.ts", "serve"], { cwd: somewhereElse })
 */
export function tsNodeArgs(): string[] {
  const loader = createRequire(join(repoRoot, "package.json")).resolve("tsx");
  return ["--import", pathToFileURL(loader).href, "--conditions", "@comfy-ts/source"];
}
