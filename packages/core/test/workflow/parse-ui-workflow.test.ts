import { describe, expect, it } from "vitest";
import {
  MissingLinkNodeError,
  parseUiWorkflow,
  UnknownWorkflowVersionError,
  WorkflowError,
  WorkflowJsonError,
  WorkflowSchemaError,
} from "../../src/workflow/index.js";
import { node, workflow } from "./support/ui-builder.js";

const small = () =>
  workflow(
    [
      node(1, "LoadImage", { wv: ["cat.png", "image"] }),
      node(2, "SaveImage", { wv: ["x"], inputs: [["images", "IMAGE", 1]] }),
    ],
    [[1, 1, 0, 2, 0, "IMAGE"]],
  );

describe("parseUiWorkflow", () => {
  it("reads version 0.4 (links as arrays)", () => {
    const wf = parseUiWorkflow(JSON.stringify(small()));
    expect(wf.version).toBe(0.4);
    expect(wf.links.get(1)).toEqual({
      id: 1,
      originId: 1,
      originSlot: 0,
      targetId: 2,
      targetSlot: 0,
      type: "IMAGE",
    });
    expect(wf.nodes.map((n) => n.id)).toEqual([1, 2]);
  });

  it("reads version 1 (links as objects, state block)", () => {
    const doc = {
      ...small(),
      version: 1,
      state: { lastNodeId: 2, lastLinkId: 1 },
      links: [{ id: 1, origin_id: 1, origin_slot: 0, target_id: 2, target_slot: 0, type: "IMAGE" }],
    };
    const wf = parseUiWorkflow(doc);
    expect(wf.version).toBe(1);
    expect(wf.links.get(1)?.targetId).toBe(2);
  });

  it.each([
    ["array links → 0.4", [[1, 1, 0, 2, 0, "IMAGE"]], 0.4],
    [
      "object links → 1",
      [{ id: 1, origin_id: 1, origin_slot: 0, target_id: 2, target_slot: 0, type: "IMAGE" }],
      1,
    ],
  ])("a file without `version` (before versioning): %s", (_name, links, version) => {
    const doc: Record<string, unknown> = { ...small(), links };
    delete doc["version"];
    const wf = parseUiWorkflow(JSON.stringify(doc));
    expect(wf.version).toBe(version);
    expect(wf.links.get(1)?.targetId).toBe(2);
  });

  it("two nodes with one id → WorkflowSchemaError naming both (not one node silently lost)", () => {
    const doc = small();
    (doc["nodes"] as Record<string, unknown>[])[1]!["id"] = 1;
    const error = catchError(() => parseUiWorkflow(doc, { source: "dup.json" }));
    expect(error).toBeInstanceOf(WorkflowSchemaError);
    expect((error as Error).message).toMatch(
      /^dup\.json: .*\n {2}at nodes\[1\]\.id: node id 1 \(SaveImage\) is already used by nodes\[0\] \(LoadImage\)/s,
    );
  });

  it("accepts old litegraph quirks: numeric-string slots, {0,1} sizes, null links", () => {
    const doc = small();
    (doc["links"] as unknown[]).push(null);
    (doc["links"] as unknown[])[0] = [1, 1, "0", 2, "0", "IMAGE"];
    (doc["nodes"] as Record<string, unknown>[])[0]!["size"] = { "0": 315, "1": 58 };
    const wf = parseUiWorkflow(doc);
    expect(wf.links.get(1)?.originSlot).toBe(0);
    expect(wf.nodes[0]?.size).toEqual([315, 58]);
  });

  it.each([
    ["an empty file", "", /the file is empty/],
    [
      "a truncated file",
      JSON.stringify(small(), null, 2).slice(0, 200),
      /invalid JSON at line \d+, column \d+: .*truncated/,
    ],
    ["a stray comma", '{"nodes": [], "links": [],}', /invalid JSON at line 1, column \d+/],
  ])("malformed JSON: %s → WorkflowJsonError with line and column", (_name, text, message) => {
    const error = catchError(() => parseUiWorkflow(text, { source: "my.json" }));
    expect(error).toBeInstanceOf(WorkflowJsonError);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).code).toBe("invalid_json");
    expect((error as Error).message).toMatch(/^my\.json: /);
    expect((error as Error).message).toMatch(message);
  });

  it.each([[0.3], [2], ["1.5"]])("unknown version %j → UnknownWorkflowVersionError", (version) => {
    const error = catchError(() => parseUiWorkflow({ ...small(), version }));
    expect(error).toBeInstanceOf(UnknownWorkflowVersionError);
    expect((error as WorkflowError).code).toBe("unknown_version");
    expect((error as Error).message).toMatch(/unsupported UI workflow version .*expected 0\.4/);
  });

  it("a link from a missing node into a node's input → MissingLinkNodeError naming both", () => {
    const doc = small();
    (doc["nodes"] as unknown[]).shift();
    const error = catchError(() => parseUiWorkflow(doc));
    expect(error).toBeInstanceOf(MissingLinkNodeError);
    expect((error as Error).message).toMatch(
      /input of node 2 \(SaveImage\) is connected by link 1 to node 1, which is not in the workflow/,
    );
  });

  it("malformed links of a legacy group node definition are ignored with a warning naming each", () => {
    const doc = small();
    const inner = {
      type: "ImageInvert",
      inputs: [{ name: "image", type: "IMAGE", link: null }],
      outputs: [],
    };
    doc["extra"] = {
      groupNodes: {
        G: {
          nodes: [inner, inner],
          links: [
            [0, 0, 1, 0, 5, "IMAGE"],
            ["a", 0, 1, 0, 6, "IMAGE"],
            [0, 0, 7, 0, 7, "IMAGE"],
            [0, -1, 1, 0, 8, "IMAGE"],
          ],
        },
      },
    };
    const warnings: string[] = [];
    const wf = parseUiWorkflow(doc, { onWarning: (w) => warnings.push(w.message) });
    expect(wf.groupNodes.get("G")?.links).toEqual([[0, 0, 1, 0, 5, "IMAGE"]]);
    expect(warnings).toEqual([
      expect.stringMatching(/^extra\.groupNodes\["G"\]\.links\[1\]: ignored .*not integers/),
      expect.stringMatching(
        /^extra\.groupNodes\["G"\]\.links\[2\]: ignored .*target node index 7 .* 2 nodes/,
      ),
      expect.stringMatching(/^extra\.groupNodes\["G"\]\.links\[3\]: ignored .*slot/),
    ]);
  });

  it("a stale link no input uses is ignored with a warning (the editor ignores it too)", () => {
    const doc = small();
    (doc["links"] as unknown[]).push([7, 1, 0, 99, 0, "IMAGE"]);
    const warnings: string[] = [];
    const wf = parseUiWorkflow(doc, { onWarning: (w) => warnings.push(w.message) });
    expect(wf.links.has(7)).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(/ignored stale link 7 .*target node is not in the workflow/),
    ]);
  });

  it.each([
    ["nodes not an array", { nodes: 3, links: [] }, /expected an object with a `nodes` array/],
    ["a node without type", { nodes: [{ id: 1 }], links: [], version: 0.4 }, /at nodes\[0\]\.type/],
    ["a link with too few fields", { nodes: [], links: [[1, 2]], version: 0.4 }, /at links\[0\]/],
    ["links an object, no version", { nodes: [], links: {} }, /at links/],
    ["links a string, no version", { nodes: [], links: "x" }, /at links/],
  ])("structure errors: %s → WorkflowSchemaError with the path", (_name, doc, message) => {
    const error = catchError(() => parseUiWorkflow(doc));
    expect(error).toBeInstanceOf(WorkflowSchemaError);
    expect((error as Error).message).toMatch(message);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
