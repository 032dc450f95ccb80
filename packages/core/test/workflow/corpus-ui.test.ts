import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
import { parseCatalogText } from "../../src/catalog/index.js";
import type { NodeCatalog } from "../../src/catalog/types.js";
import { isApiLink } from "../../src/compile/api-prompt.js";
import { apiToUi, parseApiPrompt, parseUiWorkflow, uiToApi } from "../../src/workflow/index.js";

/**
 * Every UI workflow of the corpus (ui/, 31 files: templates, subgraphs, group-node definitions,
 * reroutes, Set/GetNode, primitives, stale links) converts without error, and the result is a
 * well-formed prompt: ids are the UI's ids or `outer:inner` paths of subgraph instances, every link
 * points at an emitted node, and it survives API → UI → API. Classes no catalog has are kept untyped.
 */
describeWithFixture(
  "UI → API over every UI workflow of the corpus (workflows/ui)",
  ["workflows", "ui"],
  (dir) => {
    let catalog: NodeCatalog;
    const files = dir ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    beforeAll(() => {
      catalog = parseCatalogText(
        readFileSync(join(dir, "../../object-info/install-2025-10-496-nodes.json"), "utf8"),
      );
    });

    for (const file of files) {
      it(file, () => {
        const text = readFileSync(join(dir, file), "utf8");
        const warnings: string[] = [];
        const options = {
          unknownNodes: "keep" as const,
          onWarning: (w: { message: string }) => warnings.push(w.message),
        };
        const prompt = uiToApi(text, catalog, options);
        expect(Object.keys(prompt).length).toBeGreaterThan(0);
        const workflow = parseUiWorkflow(text);
        const topIds = new Set(workflow.nodes.map((n) => String(n.id)));
        for (const [id, node] of Object.entries(prompt)) {
          const head = id.split(":")[0]!;
          expect(topIds.has(head), `${id} is not a node of the file`).toBe(true);
          if (id.includes(":"))
            expect(workflow.subgraphs.has(workflow.nodes.find((n) => String(n.id) === head)!.type)).toBe(
              true,
            );
          for (const [name, value] of Object.entries(node.inputs)) {
            if (isApiLink(value))
              expect(Object.hasOwn(prompt, value[0]), `${id}.${name} → ${value[0]}`).toBe(true);
          }
        }
        expect(
          parseApiPrompt(
            JSON.parse(JSON.stringify(prompt, (_k, v) => (typeof v === "bigint" ? Number(v) : v))),
          ),
        ).toBeDefined();
        const back = uiToApi(apiToUi(prompt, catalog, options), catalog, options);
        const strip = (p: typeof prompt) =>
          Object.fromEntries(
            Object.entries(p).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]),
          );
        expect(strip(back)).toEqual(strip(prompt));
      });
    }
  },
);
