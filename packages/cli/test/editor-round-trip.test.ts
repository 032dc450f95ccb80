import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCatalogText, parseJsonLossless } from "@comfy-ts/core";
import { parseUiWorkflow, uiToApi } from "@comfy-ts/core/workflow";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

// Inside the package (under out/, which git ignores) so that imported modules resolve @comfy-ts/core.
const SCRATCH = resolve(import.meta.dirname, "out/editor-round-trip");

async function cli(cwd: string, ...args: string[]) {
  const c = captureIo(cwd);
  const code = await main(args, c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

interface Row {
  readonly label: string;
  readonly file: string;
  readonly catalog: string;
  readonly nodes: number;
  readonly notes: number;
  readonly primitives: number;
  readonly muted: number;
}

describeWithFixture(
  "UI → TS → UI keeps every node, widget value, control mode and position (comfy-ts import, then export --to ui)",
  ["workflows/ui"],
  (uiDir) => {
    const objectInfo = resolve(uiDir, "../../object-info");
    const catalogs = readdirSync(objectInfo)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((file) => ({ file, catalog: parseCatalogText(readFileSync(join(objectInfo, file), "utf8")) }));
    // Every UI workflow some catalog knows every node of (the first such catalog, by name).
    const cases: Row[] = [];
    for (const file of readdirSync(uiDir)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const text = readFileSync(join(uiDir, file), "utf8");
      const workflow = parseUiWorkflow(text);
      for (const { file: catalog, catalog: parsed } of catalogs) {
        try {
          uiToApi(workflow, parsed);
        } catch {
          continue;
        }
        const types = workflow.nodes.map((n) => n.type);
        const row = {
          file,
          catalog,
          nodes: workflow.nodes.length,
          notes: types.filter((t) => t === "Note" || t === "MarkdownNote").length,
          primitives: types.filter((t) => t === "PrimitiveNode").length,
          muted: workflow.nodes.filter((n) => n.mode === 2 || n.mode === 4).length,
        };
        const label = `${file} (${row.nodes} nodes: ${row.notes} notes, ${row.primitives} primitives, ${row.muted} muted/bypassed; ${catalog})`;
        cases.push({ label, ...row });
        break;
      }
    }

    beforeAll(async () => {
      rmSync(SCRATCH, { recursive: true, force: true });
      for (const catalog of new Set(cases.map((c) => c.catalog))) {
        const dir = join(SCRATCH, catalog.replace(/\.json$/, ""));
        mkdirSync(dir, { recursive: true });
        const generated = await cli(dir, "codegen", "--input", join(objectInfo, catalog), "--out", "comfy");
        expect(generated.code, generated.err).toBe(ExitCode.ok);
      }
    }, 120_000);
    afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

    it("covers the corpus's editor workflows that the catalogs know", () => {
      expect(cases.length).toBeGreaterThanOrEqual(20);
      expect(cases.reduce((n, c) => n + c.notes, 0)).toBeGreaterThan(0);
      expect(cases.reduce((n, c) => n + c.primitives, 0)).toBeGreaterThan(0);
    });

    it.each(cases)("$label", async (row) => {
      const dir = join(SCRATCH, row.catalog.replace(/\.json$/, ""));
      const name = row.file.replace(/\.json$/, "");
      const catalog = join(objectInfo, row.catalog);
      const imported = await cli(
        dir,
        "import",
        join(uiDir, row.file),
        "--object-info",
        catalog,
        "-o",
        `${name}.ts`,
      );
      expect(imported.code, imported.err).toBe(ExitCode.ok);
      expect(imported.err).toContain(`kept the editor layout in ${name}.editor.json`);
      const module = readFileSync(join(dir, `${name}.ts`), "utf8");
      expect(module).toMatch(/\nexport default \w+;\n$/);
      if (row.primitives > 0) expect(module).toMatch(/workflow\(\(\{ \w+ = /);

      const exported = await cli(
        dir,
        "export",
        `${name}.ts`,
        "--to",
        "ui",
        "--object-info",
        catalog,
        "-o",
        `${name}.back.json`,
      );
      expect(exported.code, exported.err).toBe(ExitCode.ok);
      const back = parseJsonLossless(readFileSync(join(dir, `${name}.back.json`), "utf8"));
      const original = parseJsonLossless(readFileSync(join(uiDir, row.file), "utf8"));
      expect(back).toEqual(original);
    });

    it("an edit in the module reaches the editor document: a parameter updates its PrimitiveNode", async () => {
      const row = cases.find((c) => c.file.startsWith("011-"));
      expect(row, "the SDXL refiner template is in the corpus").toBeDefined();
      const dir = join(SCRATCH, row!.catalog.replace(/\.json$/, ""));
      const name = row!.file.replace(/\.json$/, "");
      const catalog = join(objectInfo, row!.catalog);
      await cli(dir, "import", join(uiDir, row!.file), "--object-info", catalog, "-o", "edited.ts");
      const module = readFileSync(join(dir, "edited.ts"), "utf8");
      expect(module).toContain("steps = 25");
      writeFileSync(
        join(dir, "edited.ts"),
        module
          .replace("steps = 25", "steps = 30")
          .replace('sampler_name: "euler"', 'sampler_name: "dpmpp_2m"'),
      );
      const exported = await cli(dir, "export", "edited.ts", "--to", "ui", "--object-info", catalog);
      expect(exported.code, exported.err).toBe(ExitCode.ok);
      const doc = JSON.parse(exported.out) as {
        nodes: { id: number; type: string; widgets_values: unknown[] }[];
      };
      const original = JSON.parse(readFileSync(join(uiDir, row!.file), "utf8")) as typeof doc;
      const primitive = doc.nodes.find((n) => n.id === 45)!;
      expect(primitive.widgets_values).toEqual([30, "fixed"]);
      const base = doc.nodes.find((n) => n.id === 10)!;
      expect(base.widgets_values[5]).toBe("dpmpp_2m");
      expect(doc.nodes.map((n) => n.id)).toEqual(original.nodes.map((n) => n.id));
      expect(name).toBeTruthy();
    });
  },
);
