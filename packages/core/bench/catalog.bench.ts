import { readFileSync } from "node:fs";
import { sharedFixture } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";
import { parseCatalog, parseCatalogText } from "../src/catalog/index.js";

// Target: parse + normalize the 2,068-node catalog in ≤ 150 ms (median), from text and from an object.
const path = sharedFixture("object-info", "install-2024-07-2068-nodes.json");
const text = path ? readFileSync(path, "utf8") : "";
const object: unknown = path ? JSON.parse(text) : undefined;
const exact = sharedFixture("object-info", "comfyui-0.3.65-cpu.json");
const exactText = exact ? readFileSync(exact, "utf8") : "";

describe.skipIf(!path)("catalog: 2,068 nodes (install-2024-07)", () => {
  bench("parseCatalogText (JSON text → NodeCatalog)", () => {
    parseCatalogText(text);
  });
  bench("parseCatalog (parsed object → NodeCatalog)", () => {
    parseCatalog(object);
  });
  // Baseline for ratios under load: the machine is shared, so compare within one run.
  bench("baseline: JSON.parse alone", () => {
    JSON.parse(text);
  });
});

describe.skipIf(!exact)("catalog: 383 nodes with 2^64-1 bounds (0.3.65)", () => {
  bench("parseCatalogText with exact big integers", () => {
    parseCatalogText(exactText);
  });
});
