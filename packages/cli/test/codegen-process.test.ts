// `comfy-ts codegen` as a process: the bin routes it past the other commands (it runs on every catalog
// change and in CI), so it must load only the catalog parser and the generator, and the V8 flag the bin
// sets for it must leave the output exactly what the generator gives in process.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generate } from "@comfy-ts/codegen";
import { parseCatalogText } from "@comfy-ts/core";
import { describeWithFixture, modulesLoadedBy, tsNodeArgs } from "@comfy-ts/test-support";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

it("the codegen command loads at most 50 modules: no client, zod, workflow, server or codec", async () => {
  const entry = new URL("../src/codegen-main.ts", import.meta.url).href;
  const modules = await modulesLoadedBy(entry, packageDir);
  const heavy = modules.filter((url) =>
    /local-server|\/zod\/|\/client\/|\/workflow\/|\/png\/|\/testing\/|\/media\/|node-av|sharp/.test(url),
  );
  expect(heavy).toEqual([]);
  expect(modules.length).toBeLessThanOrEqual(50);
}, 60_000);

describeWithFixture("the bin's codegen run", ["object-info", "comfyui-0.3.65-cpu.json"], (catalogPath) => {
  it("writes what generate() gives, and nothing but its own lines on stderr", async () => {
    const out = await mkdtemp(join(tmpdir(), "comfy-codegen-bin-"));
    try {
      const { stderr } = await promisify(execFile)(
        process.execPath,
        [
          ...tsNodeArgs(),
          resolve(packageDir, "src/bin.ts"),
          "codegen",
          "--input",
          catalogPath,
          "--out",
          out,
          "--regenerate-command",
          "comfy-ts codegen",
        ],
        { cwd: packageDir, timeout: 60_000 },
      );
      expect(stderr.split("\n").filter((line) => line !== "" && !line.startsWith("codegen: "))).toEqual([]);
      const text = await readFile(catalogPath, "utf8");
      const { files } = generate(parseCatalogText(text), {
        catalogText: text,
        regenerateCommand: "comfy-ts codegen",
      });
      for (const [name, content] of files) expect(await readFile(join(out, name), "utf8")).toBe(content);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
