import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import type { RawNodeDefinition } from "../../src/execution/node-impl.js";
import { listedOnlyNodes, nodeImpls } from "../../src/nodes/index.js";

/** Definitions hold exact bigints (64-bit seeds); JSON.parse of the recording holds doubles. */
function asParsedJson(def: RawNodeDefinition): unknown {
  return JSON.parse(JSON.stringify(def, (_k, v) => (typeof v === "bigint" ? Number(v) : v)));
}

const noFiles = { inputFiles: () => [] };
const all = [...nodeImpls, ...listedOnlyNodes];

describe("node registry", () => {
  it("has one implementation per class_type", () => {
    const names = all.map((n) => n.classType);
    expect(new Set(names).size).toBe(names.length);
  });
  it.each(all.map((n) => [n.classType, n] as const))("%s names itself in its definition", (name, n) => {
    expect(n.define(noFiles).name).toBe(name);
  });
  it("lists image files of the input folder itself, sorted as given, in LoadImage and LoadImageMask", () => {
    const env = { inputFiles: () => ["a.png", "b.gif", "notes.txt", "sub/c.png"] };
    const load = nodeImpls.find((n) => n.classType === "LoadImage")?.define(env);
    expect((load?.input as { required: { image: unknown } } | undefined)?.required.image).toEqual([
      ["a.png", "b.gif"],
      { image_upload: true },
    ]);
    const mask = nodeImpls.find((n) => n.classType === "LoadImageMask")?.define(env);
    expect((mask?.input as { required: { image: unknown } } | undefined)?.required.image).toEqual([
      ["a.png", "b.gif"],
      { image_upload: true },
    ]);
  });
});

describeWithFixture(
  "definitions equal ComfyUI 0.3.65's /object_info",
  ["object-info", "comfyui-0.3.65-cpu.json"],
  (file) => {
    const recorded = file ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
    it.each(all.map((n) => [n.classType, n] as const))("%s", (name, n) => {
      expect(recorded[name], `${name} is not a ComfyUI 0.3.65 node`).toBeDefined();
      expect(asParsedJson(n.define(noFiles))).toEqual(recorded[name]);
    });
  },
);

describeWithFixture("LoadImage's combo follows the input folder", ["reference-outputs"], (root) => {
  it("matches the reference server's /object_info for its input folder", () => {
    const info = JSON.parse(readFileSync(join(root, "server", "object_info.json"), "utf8")) as Record<
      string,
      { input: { required: { image: [string[], unknown] } } }
    >;
    const listed = info.LoadImage?.input.required.image[0] ?? [];
    const load = nodeImpls.find((n) => n.classType === "LoadImage");
    const def = load?.define({ inputFiles: () => [...listed, "readme.txt"] }) as {
      input: { required: { image: unknown } };
    };
    expect(def.input.required.image).toEqual(info.LoadImage?.input.required.image);
  });
});
