import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { UsageError } from "../../usage-error.js";

/** A package tarball (`pnpm pack:all`, `npm pack`) and the manifest inside it. */
export interface PackageTarball {
  readonly file: string;
  readonly name: string;
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

/**
 * The comfy-ts package tarballs in `dir`, by package name — read from the `package/package.json`
 * inside each `.tgz`, so any file name works. Throws `UsageError` when the folder cannot be read or
 * lacks a package `needed` (or one they depend on).
 */
export async function readPackageTarballs(
  dir: string,
  needed: readonly string[],
): Promise<Map<string, PackageTarball>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".tgz")).sort();
  } catch (error) {
    throw new UsageError(
      `--packages ${dir}: cannot read the folder (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  const found = new Map<string, PackageTarball>();
  for (const name of names) {
    const file = join(dir, name);
    const manifest = manifestOf(await readFile(file), file);
    if (manifest.name !== "comfy-ts" && !manifest.name.startsWith("@comfy-ts/")) continue;
    const other = found.get(manifest.name);
    if (other)
      throw new UsageError(
        `--packages ${dir}: two tarballs of ${manifest.name} (${other.version} in ${other.file}, ${manifest.version} in ${file}); keep one`,
      );
    found.set(manifest.name, { file, ...manifest });
  }
  // Every comfy-ts package the wanted ones depend on must come from the folder too: none is on a registry.
  const missing = new Set<string>();
  const visit = (name: string, from: string | undefined) => {
    const tarball = found.get(name);
    if (!tarball) {
      missing.add(from ? `${name} (a dependency of ${from})` : name);
      return;
    }
    for (const dep of Object.keys(tarball.dependencies))
      if (dep === "comfy-ts" || dep.startsWith("@comfy-ts/")) visit(dep, name);
  };
  for (const name of needed) visit(name, undefined);
  if (missing.size > 0) {
    throw new UsageError(
      `--packages ${dir} lacks ${[...missing].join(", ")}: make every tarball with \`pnpm pack:all\` in a comfy-ts checkout`,
    );
  }
  return found;
}

/** `name`, `version` and `dependencies` of the `package/package.json` in a gzipped tar. */
function manifestOf(
  bytes: Uint8Array,
  file: string,
): { name: string; version: string; dependencies: Record<string, string> } {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch (error) {
    throw new UsageError(`${file} is not a gzipped package tarball (${(error as Error).message})`);
  }
  // A tar is 512-byte headers (name at 0, octal size at 124) each followed by the file's blocks.
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = tar.toString("latin1", offset, offset + 100).replace(/\0.*$/s, "");
    if (name === "") break;
    const size = Number.parseInt(
      tar
        .toString("latin1", offset + 124, offset + 136)
        .replace(/\0.*$/s, "")
        .trim() || "0",
      8,
    );
    if (name === "package/package.json") {
      const manifest = JSON.parse(tar.toString("utf8", offset + 512, offset + 512 + size)) as {
        name?: unknown;
        version?: unknown;
        dependencies?: Record<string, string>;
      };
      if (typeof manifest.name !== "string" || typeof manifest.version !== "string")
        throw new UsageError(`${file}: its package.json has no name or version`);
      return { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies ?? {} };
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new UsageError(`${file} holds no package/package.json: not an npm package tarball`);
}
