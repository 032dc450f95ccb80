// TS → UI → API (issue 7): every example pipeline, compiled, exported to a UI workflow with the catalog its
// factories were generated from, and converted back, gives the same prompt; the exported layout has no
// overlapping nodes. Examples are found by walking src/pipelines and src/model-free, so new ones are covered.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type ApiPrompt,
  compile,
  getNode,
  isWorkflow,
  type NodeCatalog,
  parseCatalogText,
  type Workflow,
} from "@comfy-ts/core";
import {
  apiToUi,
  type UiWorkflowDocument,
  uiToApi,
  widgetDefault,
  widgetSlots,
} from "@comfy-ts/core/workflow";
import { type LocalServer, startLocalServer } from "@comfy-ts/local-server";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const examplesDir = join(import.meta.dirname, "..");
const EXAMPLE_DIRS = ["src/pipelines", "src/model-free"];
/** The generated factory folders examples import, and where their catalog comes from. */
type CatalogName = "local" | "install-2025";

interface Example {
  /** `src/pipelines/poster.ts#poster` */
  readonly name: string;
  readonly workflow: Workflow<never, unknown>;
  readonly catalog: CatalogName;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]))
    .filter((file) => file.endsWith(".ts"))
    .sort();
}

/** Which generated module a file's factories come from (one per file). */
function catalogOf(file: string): CatalogName {
  const source = readFileSync(file, "utf8");
  const used = [...new Set([...source.matchAll(/generated\/([\w-]+)\/nodes\.js/g)].map((m) => m[1]))];
  const known = used.filter((name): name is CatalogName => name === "local" || name === "install-2025");
  if (used.length !== 1 || known.length !== 1) {
    throw new Error(
      `${relative(examplesDir, file)} imports factories from ${JSON.stringify(used)}: ` +
        `this test knows one catalog per example file ("local" or "install-2025"); add the new one to catalogOf()`,
    );
  }
  return known[0]!;
}

// Collected before the tests are defined: the test list is the examples found.
const examples: Example[] = [];
for (const file of EXAMPLE_DIRS.flatMap((dir) => walk(join(examplesDir, dir)))) {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  // A default export that is also a named one is the same example once.
  const workflows = Object.entries(module).filter(
    ([key, value]) =>
      isWorkflow(value) &&
      !(key === "default" && Object.entries(module).some(([k, v]) => k !== key && v === value)),
  );
  if (workflows.length === 0) continue;
  const catalog = catalogOf(file);
  for (const [exportName, value] of workflows) {
    examples.push({
      name: `${relative(examplesDir, file)}#${exportName}`,
      workflow: value as Workflow<never, unknown>,
      catalog,
    });
  }
}

/**
 * What the editor queues for the prompt: the same nodes and inputs, every node titled (the title pinned
 * in TS, else the class's display name), and every optional widget the prompt left out at its default
 * (the editor shows a widget for it and sends its value). Required inputs are never filled in here.
 */
function asTheEditorSendsIt(prompt: ApiPrompt, catalog: NodeCatalog): ApiPrompt {
  return Object.fromEntries(
    Object.entries(prompt).map(([id, node]) => {
      const def = getNode(catalog, node.class_type);
      const inputs = { ...node.inputs };
      for (const slot of def ? widgetSlots(def) : []) {
        const value = widgetDefault(slot.input);
        if (!slot.input.required && !slot.forceInput && !(slot.name in inputs) && value !== undefined) {
          inputs[slot.name] = value as never;
        }
      }
      const title = node._meta?.title ?? def?.displayName ?? node.class_type;
      return [id, { ...node, inputs, _meta: { ...node._meta, title } }];
    }),
  );
}

interface Box {
  readonly id: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Pairs of nodes whose drawn boxes (title bar above `pos`, then `size`) intersect. */
function overlaps(doc: UiWorkflowDocument): string[] {
  const TITLE_BAR = 30;
  const boxes: Box[] = doc.nodes.map((n) => ({
    id: n.id,
    x0: n.pos[0],
    y0: n.pos[1] - TITLE_BAR,
    x1: n.pos[0] + n.size[0],
    y1: n.pos[1] + n.size[1],
  }));
  return boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
      .map((b) => `${a.id}×${b.id}`),
  );
}

function roundTrip(example: Example, catalog: NodeCatalog) {
  const prompt = compile(example.workflow);
  const ui = apiToUi(prompt, catalog);
  // Through JSON, as a saved file is read back.
  const back = uiToApi(JSON.parse(JSON.stringify(ui)) as object, catalog);
  expect(back).toEqual(asTheEditorSendsIt(prompt, catalog));
  expect(ui.nodes).toHaveLength(Object.keys(prompt).length);
  expect(overlaps(ui)).toEqual([]);
}

const local = examples.filter((e) => e.catalog === "local");
const install2025 = examples.filter((e) => e.catalog === "install-2025");

test("finds the examples (poster, the model-free pipelines, the GPU pipelines)", () => {
  expect(examples.map((e) => e.name)).toContain("src/pipelines/poster.ts#poster");
  expect(local.length).toBeGreaterThanOrEqual(6);
  expect(install2025.length).toBeGreaterThanOrEqual(5);
});

describe("examples on generated/local: TS → UI → API with the local server's /object_info", () => {
  let server: LocalServer;
  let catalog: NodeCatalog;
  beforeAll(async () => {
    server = await startLocalServer();
    const response = await fetch(`${server.url.replace(/\/$/, "")}/object_info`);
    catalog = parseCatalogText(await response.text());
  });
  afterAll(async () => {
    await server?.close();
  });

  test.each(local.map((e) => [e.name, e] as const))("%s", (_name, example) => {
    roundTrip(example, catalog);
  });
});

describeWithFixture(
  "examples on generated/install-2025: TS → UI → API with install-2025-568-nodes.json",
  ["object-info", "install-2025-568-nodes.json"],
  (path) => {
    let catalog: NodeCatalog;
    beforeAll(() => {
      catalog = parseCatalogText(readFileSync(path, "utf8"));
    });

    test.each(install2025.map((e) => [e.name, e] as const))("%s", (_name, example) => {
      roundTrip(example, catalog);
    });
  },
);
