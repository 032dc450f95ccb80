import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
import { parseCatalogText } from "../../src/catalog/index.js";
import type { NodeCatalog } from "../../src/catalog/types.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import { isApiLink } from "../../src/compile/api-prompt.js";
import { apiToUi, parseWorkflowJson, uiToApi } from "../../src/workflow/index.js";
import { withWidgetDefaults } from "./support/with-widget-defaults.js";

/**
 * API → UI → API over every API prompt of the corpus. Typed with the first catalog that covers
 * all of a prompt's classes; untyped (`unknownNodes: "keep"`) otherwise. What the UI format cannot
 * carry, and the editor would not send either, is normalized in the expectation:
 * - a widget input absent from the prompt comes back with the catalog default (the editor sends it);
 * - a link to a node that is not in the prompt (api/055, api/082 — invalid prompts) is dropped.
 */
describeWithFixture("API → UI → API over the corpus (workflows/api, pairs/*.api)", ["workflows"], (dir) => {
  const catalogs: NodeCatalog[] = [];
  const files = dir
    ? [
        ...readdirSync(join(dir, "api")).map((f) => join("api", f)),
        ...readdirSync(join(dir, "pairs"))
          .filter((f) => f.endsWith(".api.json"))
          .map((f) => join("pairs", f)),
      ]
    : [];
  const counts = { typed: 0, untyped: 0 };

  beforeAll(() => {
    const infoDir = join(dir, "../object-info");
    for (const f of readdirSync(infoDir)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      catalogs.push(parseCatalogText(readFileSync(join(infoDir, f), "utf8")));
    }
  });

  for (const file of files) {
    it(file, () => {
      const prompt = parseWorkflowJson(readFileSync(join(dir, file), "utf8")) as ApiPrompt;
      const classes = new Set(Object.values(prompt).map((n) => n.class_type));
      const covering = catalogs.find((c) => [...classes].every((t) => c.nodes.has(t)));
      const catalog = covering ?? catalogs[0]!;
      const options = { unknownNodes: "keep" as const, onWarning: () => {} };
      const back = uiToApi(apiToUi(prompt, catalog, options), catalog, options);
      if (covering) counts.typed++;
      else counts.untyped++;
      const expected: Record<string, unknown> = {};
      for (const [id, node] of Object.entries(prompt)) {
        const inputs: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(node.inputs)) {
          if (!isApiLink(value) || Object.hasOwn(prompt, value[0])) inputs[name] = value;
        }
        expected[id] = withWidgetDefaults(
          { [id]: { class_type: node.class_type, inputs } } as ApiPrompt,
          catalog,
        )[id];
      }
      const got = Object.fromEntries(
        Object.entries(back).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]),
      );
      expect(got).toEqual(expected);
    });
  }

  it("round-trips every API file of the corpus (72 at the time of writing)", () => {
    expect(counts.typed + counts.untyped).toBe(files.length);
    expect(files.length).toBeGreaterThanOrEqual(72);
  });
});
