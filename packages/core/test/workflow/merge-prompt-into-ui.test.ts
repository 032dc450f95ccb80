import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, it } from "vitest";
import { type ApiPrompt, type NodeCatalog, parseCatalogText } from "../../src/index.js";
import { mergePromptIntoUi, parseUiWorkflow, uiToApi } from "../../src/workflow/index.js";

type RawNode = {
  id: number;
  type: string;
  title?: string;
  pos: [number, number];
  inputs?: { name: string; link: number | null; widget?: { name: string } }[];
  outputs?: { links: number[] | null }[];
  widgets_values?: unknown[];
  properties?: Record<string, unknown>;
};
type Doc = {
  nodes: RawNode[];
  links: unknown[];
  groups: unknown[];
  last_node_id: number;
  last_link_id: number;
};

// The property every merge must have: the merged document runs exactly the prompt it was given.
function expectRuns(doc: object, prompt: ApiPrompt, catalog: NodeCatalog): void {
  const strip = (p: ApiPrompt) =>
    Object.fromEntries(
      Object.entries(p).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]),
    );
  expect(strip(uiToApi(doc, catalog))).toEqual(strip(prompt));
}

const nodeOf = (doc: Doc, id: number) => doc.nodes.find((n) => n.id === id)!;

describeWithFixture(
  "mergePromptIntoUi on a real editor workflow (SDXL refiner template: notes, primitives, groups)",
  ["workflows"],
  (workflows) => {
    const catalog = parseCatalogText(
      readFileSync(join(workflows, "../object-info/comfyui-0.3.65-cpu.json"), "utf8"),
    );
    const text = readFileSync(join(workflows, "ui/011-comfy-templates-sdxl-refiner.json"), "utf8");
    const original = JSON.parse(text) as Doc;
    const parsed = parseUiWorkflow(text);
    const prompt = () => uiToApi(parsed, catalog);

    it("gives the document back unchanged when the prompt is what the document runs", () => {
      expect(mergePromptIntoUi(parsed, prompt(), catalog)).toEqual(original);
    });

    it("writes a changed widget value into its slot, keeping the control mode after the seed", () => {
      const edited = prompt();
      edited["10"]!.inputs["sampler_name"] = "dpmpp_2m";
      edited["10"]!.inputs["noise_seed"] = 42;
      const merged = mergePromptIntoUi(parsed, edited, catalog) as Doc;
      expect(nodeOf(merged, 10).widgets_values).toEqual([
        "enable",
        42,
        "randomize",
        25,
        8,
        "dpmpp_2m",
        "normal",
        0,
        20,
        "enable",
      ]);
      expect(merged.nodes.filter((n) => n.id !== 10)).toEqual(original.nodes.filter((n) => n.id !== 10));
      expectRuns(merged, edited, catalog);
    });

    it("updates a PrimitiveNode when every widget it feeds changed alike", () => {
      const edited = prompt();
      edited["10"]!.inputs["steps"] = 30;
      edited["11"]!.inputs["steps"] = 30;
      const merged = mergePromptIntoUi(parsed, edited, catalog) as Doc;
      expect(nodeOf(merged, 45).widgets_values).toEqual([30, "fixed"]);
      expect(merged.links).toEqual(original.links);
      expectRuns(merged, edited, catalog);
    });

    it("disconnects one widget from its PrimitiveNode when only that one changed", () => {
      const edited = prompt();
      edited["11"]!.inputs["steps"] = 40;
      const merged = mergePromptIntoUi(parsed, edited, catalog) as Doc;
      expect(nodeOf(merged, 45).widgets_values).toEqual([25, "fixed"]);
      const steps = nodeOf(merged, 11).inputs!.find((i) => i.name === "steps")!;
      expect(steps.link).toBeNull();
      expect(merged.links).toHaveLength(original.links.length - 1);
      expectRuns(merged, edited, catalog);
    });

    it("rewires a changed link, and writes a title", () => {
      const edited = prompt();
      edited["17"]!.inputs["vae"] = ["4", 2];
      edited["17"]!._meta = { title: "Decode with the base VAE" };
      const merged = mergePromptIntoUi(parsed, edited, catalog) as Doc;
      const vae = nodeOf(merged, 17).inputs!.find((i) => i.name === "vae")!;
      expect(merged.links).toContainEqual([vae.link, 4, 2, 17, 1, "VAE"]);
      expect(vae.link).toBe(45);
      expect(merged.last_link_id).toBe(45);
      expect(nodeOf(merged, 17).title).toBe("Decode with the base VAE");
      // The refiner's VAE output no longer feeds it.
      expect(nodeOf(merged, 12).outputs![2]!.links).not.toContain(34);
      expectRuns(merged, edited, catalog);
    });

    it("removes a node with its links and adds new ones right of the rest, renumbering an id a note holds", () => {
      const edited = prompt();
      delete edited["19"];
      edited["60"] = { class_type: "PreviewImage", inputs: { images: ["17", 0] } };
      edited["36"] = { class_type: "ImageInvert", inputs: { image: ["17", 0] } };
      const warnings: string[] = [];
      const merged = mergePromptIntoUi(parsed, edited, catalog, {
        onWarning: (w) => warnings.push(`${w.nodeId}: ${w.message}`),
      }) as Doc;
      expect(merged.nodes.some((n) => n.id === 19)).toBe(false);
      expect(merged.links.some((l) => (l as number[])[3] === 19)).toBe(false);
      const preview = nodeOf(merged, 60);
      expect(preview.type).toBe("PreviewImage");
      const rightmost = Math.max(...original.nodes.map((n) => n.pos[0]));
      expect(preview.pos[0]).toBeGreaterThan(rightmost);
      // Note 36 keeps its id; the module's node "36" gets the next free one (after last_node_id 49)
      // and remembers its own, so converting back gives "36" again.
      expect(nodeOf(merged, 36).type).toBe("Note");
      const invert = merged.nodes.find((n) => n.type === "ImageInvert")!;
      expect(invert.id).toBe(50);
      expect(invert.properties?.["comfy-ts"]).toEqual({ id: "36" });
      expect(merged.last_node_id).toBe(60);
      expect(warnings).toEqual([
        expect.stringMatching(/^36: new in the module: placed at/),
        expect.stringMatching(/^60: new in the module: placed at/),
      ]);
      expectRuns(merged, edited, catalog);
    });

    it("replaces a node whose class changed, at the same place", () => {
      const edited = prompt();
      edited["19"] = { class_type: "PreviewImage", inputs: { images: ["17", 0] } };
      const merged = mergePromptIntoUi(parsed, edited, catalog) as Doc;
      expect(nodeOf(merged, 19).type).toBe("PreviewImage");
      expectRuns(merged, edited, catalog);
    });

    it("writes links as objects in a version 1 document", () => {
      const v1 = {
        ...original,
        version: 1,
        links: original.links.map((l) => {
          const [id, origin_id, origin_slot, target_id, target_slot, type] = l as unknown[];
          return { id, origin_id, origin_slot, target_id, target_slot, type };
        }),
      };
      const edited = uiToApi(v1, catalog);
      edited["17"]!.inputs["vae"] = ["4", 2];
      const merged = mergePromptIntoUi(v1, edited, catalog) as Doc;
      expect(merged.links).toContainEqual({
        id: 45,
        origin_id: 4,
        origin_slot: 2,
        target_id: 17,
        target_slot: 1,
        type: "VAE",
      });
      expectRuns(merged, edited, catalog);
    });
  },
);
