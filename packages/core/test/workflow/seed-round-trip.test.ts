import { readFileSync } from "node:fs";
import { readSeedPromptBody, sharedFixture, sharedPath } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import { parseCatalogText } from "../../src/catalog/index.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import { apiToUi, parseApiPrompt, uiToApi } from "../../src/workflow/index.js";

import { withWidgetDefaults } from "./support/with-widget-defaults.js";

// The seed document's SDXL unCLIP + ControlNet graph (the prompt compile gives for the seed example,
// see test/compile/seed-example.test.ts) exported to the editor and converted back.
const seedFile = sharedPath("seed", "comfyui-api-doc-2023.txt");
const catalogFile = sharedFixture("object-info", "install-2025-568-nodes.json");

describe.skipIf(!seedFile || !catalogFile)(
  `seed example: API → UI → API${seedFile && catalogFile ? "" : " [skipped: ../shared/seed or object-info not found beside the checkout]"}`,
  () => {
    const prompt = seedFile ? parseApiPrompt(readSeedPromptBody(seedFile).prompt) : ({} as ApiPrompt);
    const catalog = catalogFile ? parseCatalogText(readFileSync(catalogFile, "utf8")) : undefined;

    it("the UI workflow converts back to the same prompt (plus inputs added to nodes since 2023, at their defaults)", () => {
      const doc = apiToUi(prompt, catalog!);
      const expected = withWidgetDefaults(prompt, catalog!);
      for (const node of Object.values(expected))
        node._meta = { title: catalog!.nodes.get(node.class_type)!.displayName };
      expect(uiToApi(doc, catalog!)).toEqual(expected);
    });

    it("lays the 20 nodes out left to right without overlaps", () => {
      const doc = apiToUi(prompt, catalog!);
      const byId = new Map(doc.nodes.map((n) => [n.id, n]));
      for (const [, origin, , target] of doc.links)
        expect(byId.get(origin)!.pos[0]).toBeLessThan(byId.get(target)!.pos[0]);
      const boxes = doc.nodes.map(
        (n) => [n.pos[0], n.pos[1] - 30, n.pos[0] + n.size[0], n.pos[1] + n.size[1]] as const,
      );
      const overlaps = boxes.flatMap((a, i) =>
        boxes.slice(i + 1).filter((b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]),
      );
      expect(overlaps).toEqual([]);
      expect(doc.nodes.length).toBe(Object.keys(prompt).length);
    });
  },
);
