// Every error class the CLI and codegen define is a ComfyError (one root, a stable `code`), so a
// program can branch on `code` whatever command or library function failed.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ComfyError } from "@comfy-ts/core";
import { repoRoot } from "@comfy-ts/test-support";
import { expect, test } from "vitest";

const ROOTS = ["packages/cli/src", "packages/codegen/src"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

const classes = ROOTS.flatMap((root) =>
  sources(join(repoRoot, root)).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/^(export )?class (\w+) extends (\w+)/gm)].map((m) => ({
      file,
      exported: m[1] !== undefined,
      name: m[2]!,
      base: m[3]!,
    })),
  ),
);

test("the source scan finds the error classes", () => {
  expect(classes.map((c) => c.name)).toEqual(
    expect.arrayContaining(["CodegenError", "NoAnswerError", "UsageError", "RunInputError"]),
  );
});

/** True when `base` is ComfyError, or a class of the scan whose own base leads there. */
function leadsToComfyError(base: string, seen = new Set<string>()): boolean {
  if (base === "ComfyError") return true;
  if (seen.has(base)) return false;
  seen.add(base);
  const declared = classes.find((c) => c.name === base);
  return declared !== undefined && leadsToComfyError(declared.base, seen);
}

test.each(classes.map((c) => [`${c.name} (${relative(repoRoot, c.file)})`, c] as const))(
  "%s extends ComfyError",
  async (_, c) => {
    if (!c.exported) {
      // A class used only inside its module: its declaration must name ComfyError (or such a class).
      expect(leadsToComfyError(c.base), `${c.name} extends ${c.base}`).toBe(true);
      return;
    }
    const module = (await import(pathToFileURL(c.file).href)) as Record<string, unknown>;
    const value = module[c.name] as { prototype: object };
    // (`instanceof ComfyError` checks an instance's brand; a prototype has none: walk the chain.)
    expect(Object.prototype.isPrototypeOf.call(ComfyError.prototype, value.prototype)).toBe(true);
  },
);
