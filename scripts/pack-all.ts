/**
 * `pnpm pack:all [--out DIR] [--no-build]`: builds every package (`pnpm build`) and writes each
 * package's tarball (`pnpm pack`, which rewrites `workspace:` and `catalog:` ranges) into one folder,
 * `packs/` by default — what `comfy-ts init --packages DIR` installs from until the packages are on a
 * registry. Prints the folder and the command that starts a project from it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

export const repoRoot = resolve(import.meta.dirname, "..");

/** Dependency order: each package only depends on packages before it. */
export const PACKAGE_DIRS = [
  "core",
  "media",
  "codegen",
  "local-server",
  "testing",
  "cli",
  "create-comfy-ts",
] as const;

/** Runs a command that must succeed; throws with its output otherwise. */
export function must(command: string, args: readonly string[], cwd: string, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${cwd}) exited ${result.status}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}

/**
 * Packs every package into `dest` (emptied of old tarballs first); resolves to each package folder
 * and its tarball's path. `build: false` packs the `dist/` already there.
 */
export function packAll(dest: string, options: { build: boolean }): { dir: string; tarball: string }[] {
  if (options.build) must("pnpm", ["build"], repoRoot);
  mkdirSync(dest, { recursive: true });
  for (const name of readdirSync(dest)) if (name.endsWith(".tgz")) rmSync(join(dest, name));
  return PACKAGE_DIRS.map((dir) => {
    const result = must(
      "pnpm",
      ["pack", "--json", "--pack-destination", dest],
      join(repoRoot, "packages", dir),
    );
    return { dir, tarball: (JSON.parse(result.stdout) as { filename: string }).filename };
  });
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: { out: { type: "string" }, "no-build": { type: "boolean" } },
    strict: true,
  });
  const dest = resolve(process.cwd(), values.out ?? join(repoRoot, "packs"));
  const packed = packAll(dest, { build: !values["no-build"] });
  const shown = relative(process.cwd(), dest) || ".";
  process.stdout.write(
    `${packed.map((p) => `  ${relative(dest, p.tarball)}`).join("\n")}\n` +
      `${packed.length} package tarballs in ${shown}/. Start a project from them with:\n` +
      `  pnpm comfy-ts init ../my-project --packages ${shown}\n`,
  );
}
