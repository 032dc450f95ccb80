import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describeWithFixture } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
import { parseCatalogText } from "../../src/catalog/index.js";
import type { NodeCatalog } from "../../src/catalog/types.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import { parseWorkflowJson, uiToApi, VIRTUAL_NODE_TYPES } from "../../src/workflow/index.js";

/**
 * Differences from ComfyUI's own export that are accepted, by pair and `<node id>.<input>` (or
 * `<node id>._meta.title`), with the reason. Every entry must still occur, so the list cannot rot.
 */
const USER_EDITED =
  "user-edited: the API file was exported after the value was changed in the editor (the UI file was saved before)";
const UPLOAD_ARTEFACT =
  "frontend artefact: editors before mid-2024 also exported the upload button widget as an input; current editors do not and the server ignores it";
const CATALOG_NEWER =
  "catalog newer than the workflow: the input was added to the node later, the converter fills its default";
const EXTENSION_WIDGET =
  "extension widget: a custom pack's JavaScript adds this widget (not in /object_info) and computes its value at queue time";
const RENAMED = "catalog newer than the workflow: the node's display name changed since the file was saved";

const ACCEPTED: Record<string, Record<string, string>> = {
  "P09-replicate-kj-iclight": { "9.image": USER_EDITED, "9.upload": UPLOAD_ARTEFACT },
  "P13-replicate-mochi": { "38.device": CATALOG_NEWER },
  "P17-replicate-rembg": { "4.image": USER_EDITED, "4.upload": UPLOAD_ARTEFACT },
  "P19-replicate-sdxl-lightning-unet": {
    "4.ckpt_name": USER_EDITED,
    "14.weight_dtype": CATALOG_NEWER,
    "14._meta.title": RENAMED,
  },
  "P21-replicate-supir": {
    "2.image": USER_EDITED,
    "2.upload": UPLOAD_ARTEFACT,
    "20.rgthree_comparer": EXTENSION_WIDGET,
  },
  "P32-fofr-tooncrafter": {
    "1.image": USER_EDITED,
    "1.upload": UPLOAD_ARTEFACT,
    "2.image": USER_EDITED,
    "2.upload": UPLOAD_ARTEFACT,
    "28.Update inputs": EXTENSION_WIDGET,
    "29.save_output": USER_EDITED,
    "29.save_metadata": USER_EDITED,
    "57.augmentation_level": CATALOG_NEWER,
    // The UI file holds an older ImageResize+ (a boolean `keep_proportion` where `method` is now).
    "65.method": USER_EDITED,
    "70.method": USER_EDITED,
    "72.filename_prefix": USER_EDITED,
    "72.save_output": USER_EDITED,
    "72.save_metadata": USER_EDITED,
  },
  "P44-zamp-example": { "10.choose file to upload": UPLOAD_ARTEFACT },
  "P48-animede-wan22-i2v-seko": {
    "54.shift": USER_EDITED,
    "55.shift": USER_EDITED,
    "57.noise_seed": USER_EDITED,
    "58.noise_seed": USER_EDITED,
    "61.filename_prefix": USER_EDITED,
  },
};

/** Pairs whose inputs were wired differently in the two files (ids and class types still match). */
const REWIRED: Record<string, string> = {
  "P40-fofr-face-to-sticker": "node 11's `image` input is connected in the API file but not in the UI file",
};

function diffPrompts(got: ApiPrompt, want: ApiPrompt): string[] {
  const diffs: string[] = [];
  for (const id of new Set([...Object.keys(got), ...Object.keys(want)])) {
    const g = got[id];
    const w = want[id];
    if (!g || !w) {
      diffs.push(`${id}: ${g ? `extra ${g.class_type}` : `missing ${w?.class_type}`}`);
      continue;
    }
    if (g.class_type !== w.class_type) diffs.push(`${id}.class_type`);
    for (const name of new Set([...Object.keys(g.inputs), ...Object.keys(w.inputs)])) {
      if (!isDeepStrictEqual(g.inputs[name], w.inputs[name])) diffs.push(`${id}.${name}`);
    }
    if (w._meta?.title !== undefined && g._meta?.title !== w._meta.title) diffs.push(`${id}._meta.title`);
  }
  return diffs;
}

describeWithFixture(
  "UI → API equals ComfyUI's own export (workflows/pairs)",
  ["workflows", "pairs"],
  (dir) => {
    const catalogs: [string, NodeCatalog][] = [];
    const pairs = dir
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".ui.json"))
          .map((f) => f.replace(/\.ui\.json$/, ""))
      : [];
    const results = { covered: 0, passed: 0 };

    beforeAll(() => {
      const infoDir = join(dir, "../../object-info");
      for (const f of readdirSync(infoDir)
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        catalogs.push([f, parseCatalogText(readFileSync(join(infoDir, f), "utf8"))]);
      }
    });

    const read = (name: string, side: "ui" | "api") =>
      readFileSync(join(dir, `${name}.${side}.json`), "utf8");

    for (const pair of pairs) {
      it(pair, () => {
        const want = parseWorkflowJson(read(pair, "api")) as ApiPrompt;
        const uiTypes = nodeTypes(parseWorkflowJson(read(pair, "ui")));
        const types = new Set([...Object.values(want).map((n) => n.class_type), ...uiTypes]);
        const covering = catalogs.find(([, c]) => [...types].every((t) => c.nodes.has(t)));
        // Ids, class types and links are checked for every pair, covered or not.
        const loose = uiToApi(read(pair, "ui"), covering?.[1] ?? catalogs[0]![1], { unknownNodes: "keep" });
        expect(Object.keys(loose).sort()).toEqual(Object.keys(want).sort());
        for (const [id, node] of Object.entries(want)) {
          expect(loose[id]?.class_type, id).toBe(node.class_type);
          if (REWIRED[pair]) continue;
          for (const [name, value] of Object.entries(node.inputs)) {
            if (Array.isArray(value)) expect(loose[id]?.inputs[name], `${id}.${name}`).toEqual(value);
          }
        }
        if (!covering) return;
        results.covered++;
        const got = uiToApi(read(pair, "ui"), covering[1]);
        const accepted = ACCEPTED[pair] ?? {};
        const diffs = diffPrompts(got, want);
        expect(
          diffs.filter((d) => !(d in accepted)),
          `unexpected differences (catalog ${covering[0]})`,
        ).toEqual([]);
        expect(
          Object.keys(accepted).filter((d) => !diffs.includes(d)),
          "accepted differences that no longer occur",
        ).toEqual([]);
        results.passed++;
      });
    }

    it("covers and passes the pairs the catalogs cover (11 of 23 at the time of writing)", () => {
      expect(results.covered).toBeGreaterThanOrEqual(11);
      expect(results.passed).toBe(results.covered);
    });
  },
);

/** Backend node types a UI file uses (subgraph interiors included, frontend-only and subgraph types excluded). */
function nodeTypes(doc: unknown): string[] {
  const d = doc as {
    nodes: { type: string; mode?: number }[];
    definitions?: { subgraphs?: { id: string; nodes: { type: string; mode?: number }[] }[] };
  };
  const subgraphIds = new Set((d.definitions?.subgraphs ?? []).map((s) => s.id));
  const all = [...d.nodes, ...(d.definitions?.subgraphs ?? []).flatMap((s) => s.nodes)];
  return all
    .filter(
      (n) => n.mode !== 2 && n.mode !== 4 && !subgraphIds.has(n.type) && !VIRTUAL_NODE_TYPES.has(n.type),
    )
    .map((n) => n.type);
}
