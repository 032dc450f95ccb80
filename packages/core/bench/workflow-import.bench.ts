import { readFileSync } from "node:fs";
import { sharedFixture } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";
import { parseCatalogText } from "../src/catalog/index.js";
import { apiToUi, parseUiWorkflow, uiToApi } from "../src/workflow/index.js";

// Import of the largest UI workflow of the corpus (ui/055: 174 nodes, reroutes, 60 Set/GetNode wires,
// notes), and a ≈500-node workflow made of three copies of it with shifted ids. Untyped classes are
// kept (`unknownNodes: "keep"`) since no catalog of the corpus covers its custom nodes.
const uiPath = sharedFixture("workflows", "ui", "055-Ajaykhandavalli-scene-builder-174.json");
const catalogPath = sharedFixture("object-info", "install-2025-10-496-nodes.json");
const text = uiPath ? readFileSync(uiPath, "utf8") : "";
const catalog = catalogPath ? parseCatalogText(readFileSync(catalogPath, "utf8")) : undefined;

/** Three copies of the workflow side by side: node, link and Set/GetNode names shifted per copy. */
function tripled(source: string): string {
  const doc = JSON.parse(source) as { nodes: Record<string, unknown>[]; links: unknown[][] };
  const nodes: unknown[] = [];
  const links: unknown[] = [];
  for (let copy = 0; copy < 3; copy++) {
    const shift = copy * 100_000;
    for (const n of doc.nodes) {
      const node = structuredClone(n) as {
        id: number;
        type: string;
        inputs?: { link: number | null }[];
        outputs?: { links: number[] | null }[];
        widgets_values?: unknown[];
      };
      node.id += shift;
      for (const i of node.inputs ?? []) if (i.link !== null) i.link += shift;
      for (const o of node.outputs ?? []) o.links = (o.links ?? []).map((l) => l + shift);
      if ((node.type === "SetNode" || node.type === "GetNode") && node.widgets_values) {
        node.widgets_values = [`${String(node.widgets_values[0])}#${copy}`];
      }
      nodes.push(node);
    }
    for (const l of doc.links)
      links.push([
        (l[0] as number) + shift,
        (l[1] as number) + shift,
        l[2],
        (l[3] as number) + shift,
        l[4],
        l[5],
      ]);
  }
  return JSON.stringify({ ...doc, nodes, links });
}

const big = uiPath ? tripled(text) : "";
const prompt = catalog && uiPath ? uiToApi(text, catalog, { unknownNodes: "keep" }) : {};

describe.skipIf(!uiPath || !catalog)("workflow import: ui/055 (174 nodes)", () => {
  bench("parseUiWorkflow (text → UiWorkflow)", () => {
    parseUiWorkflow(text);
  });
  bench("uiToApi (text → API prompt)", () => {
    uiToApi(text, catalog!, { unknownNodes: "keep" });
  });
  bench("apiToUi (API prompt → laid-out UI workflow)", () => {
    apiToUi(prompt, catalog!, { unknownNodes: "keep" });
  });
});

describe.skipIf(!uiPath || !catalog)("workflow import: 522 nodes (ui/055 ×3)", () => {
  bench("uiToApi (text → API prompt)", () => {
    uiToApi(big, catalog!, { unknownNodes: "keep" });
  });
});
