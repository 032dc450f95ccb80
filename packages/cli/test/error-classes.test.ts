// Every error class of every package is a ComfyError (one root, a stable `code`), so a program can
// branch on `code` whatever command or library function failed: the classes each package exports
// (every `exports` entry of its package.json) and those its modules keep to themselves.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ComfyError } from "@comfy-ts/core";
import { repoRoot } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";

/** The packages written in TypeScript (create-comfy-ts is a plain bin that runs the CLI). */
const PACKAGES = readdirSync(join(repoRoot, "packages"), { withFileTypes: true })
  .map((entry) => join(repoRoot, "packages", entry.name))
  .filter((dir) => existsSync(join(dir, "src")));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

const classes = PACKAGES.flatMap((dir) =>
  sources(join(dir, "src")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/^(export )?(?:abstract )?class (\w+) extends (\w+)/gm)].map(
      (m) => ({ file, exported: m[1] !== undefined, name: m[2]!, base: m[3]! }),
    ),
  ),
);

/** The module each `exports` entry of a package resolves to in this workspace (`@comfy-ts/source`). */
const entries = PACKAGES.flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    name: string;
    exports?: Record<string, string | Record<string, string>>;
  };
  return Object.entries(manifest.exports ?? {}).flatMap(([key, target]) => {
    const source = typeof target === "string" ? target : target["@comfy-ts/source"];
    return source === undefined
      ? []
      : [{ specifier: `${manifest.name}${key.slice(1)}`, file: join(dir, source) }];
  });
});

function extendsComfyError(value: { prototype: object }): boolean {
  // (`instanceof ComfyError` checks an instance's brand; a prototype has none: walk the chain.)
  return value === ComfyError || Object.prototype.isPrototypeOf.call(ComfyError.prototype, value.prototype);
}

/** True when `base` is ComfyError, or a class of the scan whose own base leads there. */
function leadsToComfyError(base: string, seen = new Set<string>()): boolean {
  if (base === "ComfyError") return true;
  if (seen.has(base)) return false;
  seen.add(base);
  const declared = classes.find((c) => c.name === base);
  return declared !== undefined && leadsToComfyError(declared.base, seen);
}

test("the scans find the error classes and entry points of every package", () => {
  expect(classes.map((c) => c.name)).toEqual(
    expect.arrayContaining([
      "CodegenError",
      "UsageError",
      "ComfyClientError",
      "MediaError",
      "NodeExecutionError",
      "ComfyTestingError",
    ]),
  );
  expect(entries.map((e) => e.specifier)).toEqual(
    expect.arrayContaining(["@comfy-ts/core/python", "@comfy-ts/local-server", "@comfy-ts/media/sniff"]),
  );
});

describe("every class declared in a package's sources extends ComfyError", () => {
  test.each(classes.map((c) => [`${c.name} (${relative(repoRoot, c.file)})`, c] as const))(
    "%s",
    async (_, c) => {
      if (!c.exported) {
        // A class used only inside its module: its declaration must name ComfyError (or such a class).
        expect(leadsToComfyError(c.base), `${c.name} extends ${c.base}`).toBe(true);
        return;
      }
      const module = (await import(pathToFileURL(c.file).href)) as Record<string, unknown>;
      expect(extendsComfyError(module[c.name] as { prototype: object })).toBe(true);
    },
  );
});

describe("every error class a public entry point exports extends ComfyError", () => {
  test.each(entries.map((e) => [e.specifier, e] as const))("%s", async (_, entry) => {
    const module = (await import(pathToFileURL(entry.file).href)) as Record<string, unknown>;
    const errors = Object.entries(module).filter(
      (pair): pair is [string, { prototype: object }] =>
        typeof pair[1] === "function" && pair[1].prototype instanceof Error,
    );
    const strays = errors.filter(([, value]) => !extendsComfyError(value)).map(([name]) => name);
    expect(strays).toEqual([]);
  });
});
