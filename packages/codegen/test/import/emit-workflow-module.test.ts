import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ApiPrompt, compile, parseCatalog } from "@comfy-ts/core";
import { afterAll, describe, expect, it } from "vitest";
import { CodegenError } from "../../src/codegen-error.js";
import { camelName, emitWorkflowModule } from "../../src/import/index.js";
import { compileModule, scratchDir, writeFactories } from "./support.js";

const catalog = parseCatalog({
  CheckpointLoaderSimple: {
    input: { required: { ckpt_name: [["a.safetensors"], {}] } },
    output: ["MODEL", "CLIP", "VAE"],
    output_name: ["MODEL", "CLIP", "VAE"],
    name: "CheckpointLoaderSimple",
    display_name: "Load Checkpoint",
    category: "loaders",
    output_node: false,
  },
  CLIPTextEncode: {
    input: { required: { text: ["STRING", { multiline: true, dynamicPrompts: true }], clip: ["CLIP", {}] } },
    output: ["CONDITIONING"],
    output_name: ["CONDITIONING"],
    name: "CLIPTextEncode",
    display_name: "CLIP Text Encode (Prompt)",
    category: "conditioning",
    output_node: false,
  },
  EmptyLatentImage: {
    input: {
      required: {
        width: ["INT", { default: 512, min: 16, max: 16384 }],
        height: ["INT", { default: 512, min: 16, max: 16384 }],
        batch_size: ["INT", { default: 1, min: 1, max: 4096 }],
      },
    },
    output: ["LATENT"],
    output_name: ["LATENT"],
    name: "EmptyLatentImage",
    display_name: "Empty Latent Image",
    category: "latent",
    output_node: false,
  },
  KSampler: {
    input: {
      required: {
        model: ["MODEL", {}],
        seed: ["INT", { default: 0, min: 0, max: 18446744073709551615n, control_after_generate: true }],
        steps: ["INT", { default: 20, min: 1, max: 10000 }],
        cfg: ["FLOAT", { default: 8.0, min: 0.0, max: 100.0 }],
        sampler_name: [["euler", "dpmpp_2m"], {}],
        scheduler: [["normal", "karras"], {}],
        positive: ["CONDITIONING", {}],
        negative: ["CONDITIONING", {}],
        latent_image: ["LATENT", {}],
        denoise: ["FLOAT", { default: 1.0, min: 0.0, max: 1.0 }],
      },
    },
    output: ["LATENT"],
    output_name: ["LATENT"],
    name: "KSampler",
    display_name: "KSampler",
    category: "sampling",
    output_node: false,
  },
  VAEDecode: {
    input: { required: { samples: ["LATENT", {}], vae: ["VAE", {}] } },
    output: ["IMAGE"],
    output_name: ["IMAGE"],
    name: "VAEDecode",
    display_name: "VAE Decode",
    category: "latent",
    output_node: false,
  },
  SaveImage: {
    input: { required: { images: ["IMAGE", {}], filename_prefix: ["STRING", { default: "ComfyUI" }] } },
    output: [],
    output_name: [],
    name: "SaveImage",
    display_name: "Save Image",
    category: "image",
    output_node: true,
  },
  StringList: {
    input: { required: { items: ["STRING", { default: "" }] } },
    output: ["STRING"],
    output_name: ["STRING"],
    name: "StringList",
    display_name: "String List",
    category: "test",
    output_node: false,
  },
});

const prompt: ApiPrompt = {
  "4": {
    class_type: "CheckpointLoaderSimple",
    inputs: { ckpt_name: "a.safetensors" },
    _meta: { title: "Load Checkpoint" },
  },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 1024, height: 512, batch_size: 1 } },
  "6": {
    class_type: "CLIPTextEncode",
    inputs: { text: "a cat,\nwatercolor `style` $" + "{x}", clip: ["4", 1] },
  },
  "7": { class_type: "CLIPTextEncode", inputs: { text: "blurry", clip: ["4", 1] } },
  "3": {
    class_type: "KSampler",
    inputs: {
      seed: 18446744073709551615n,
      steps: 20,
      cfg: 7.5,
      sampler_name: "euler",
      scheduler: "karras",
      denoise: 1,
      model: ["4", 0],
      positive: ["6", 0],
      negative: ["7", 0],
      latent_image: ["5", 0],
    },
    _meta: { title: "Main sampler" },
  },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "portrait", images: ["8", 0] } },
  "12": { class_type: "StringList", inputs: { items: { __value__: ["a", "b"] } } },
  "13": {
    class_type: "Fancy Upscale (custom)",
    inputs: { image: ["8", 0], factor: 2, mode: null },
    _meta: { title: "Upscale" },
  },
  "14": { class_type: "SaveImage", inputs: { filename_prefix: "up", images: ["13", 1], upload: "image" } },
};

describe("emitWorkflowModule", () => {
  const scratch = scratchDir();
  afterAll(() => scratch.remove());
  const model = writeFactories(scratch.dir, catalog);
  const emitted = emitWorkflowModule(prompt, catalog, {
    nodesModule: "./nodes.js",
    model,
    source: "portrait.json",
  });

  it("writes a readable module (file snapshot)", async () => {
    await expect(emitted.text).toMatchFileSnapshot("__snapshots__/portrait.ts.snap");
  });

  it("compiles back to the same prompt", async () => {
    const file = join(scratch.dir, "portrait.ts");
    writeFileSync(file, emitted.text);
    expect(await compileModule(file)).toEqual(prompt);
  });

  it("names variables after titles, then the input they feed, then the class", () => {
    expect(emitted.text).toContain("const mainSampler = KSampler(");
    expect(emitted.text).toContain("const positive = CLIPTextEncode(");
    expect(emitted.text).toContain("const negative = CLIPTextEncode(");
    expect(emitted.text).toContain("const upscale = node(");
  });

  it("links are references; defaults compile fills in are left out; big seeds are bigint literals", () => {
    expect(emitted.text).toMatch(/clip: checkpointLoaderSimple\.CLIP/);
    expect(emitted.text).toMatch(/latent_image: emptyLatentImage,/);
    expect(emitted.text).toMatch(/seed: 18446744073709551615n/);
    expect(emitted.text).not.toMatch(/steps: 20/);
    expect(emitted.text).toMatch(/items: \["a", "b"\]/);
    expect(emitted.text).toMatch(/images: upscale\[1\]/);
    expect(emitted.text).toMatch(/extraInputs: \{ upload: "image" \}/);
  });

  it("reports classes written untyped", () => {
    expect(emitted.untyped).toEqual(["Fancy Upscale (custom)"]);
  });

  it("pins ids only where compile would number differently", () => {
    const inOrder: ApiPrompt = {
      "1": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 64, batch_size: 1 } },
      "2": { class_type: "VAEDecode", inputs: { samples: ["1", 0], vae: ["3", 2] } },
      "3": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "a.safetensors" } },
      "4": { class_type: "SaveImage", inputs: { filename_prefix: "x", images: ["2", 0] } },
    };
    const text = emitWorkflowModule(inOrder, catalog, { model }).text;
    // Emission order is 1, 3, 2, 4 (sources first): with 3 and 4 pinned, compile numbers 1 and 2 itself.
    expect([...text.matchAll(/id: "(\d+)"/g)].map((m) => m[1])).toEqual(["3", "4"]);
  });

  it("warns about links to nodes missing from the prompt and leaves them out", () => {
    const broken: ApiPrompt = {
      "1": { class_type: "SaveImage", inputs: { filename_prefix: "x", images: ["99", 0] } },
    };
    const result = emitWorkflowModule(broken, catalog, { model });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /node 1 \(SaveImage\): input "images" links to node 99, which is not in the prompt/,
      ),
    ]);
    expect(result.text).not.toContain("images:");
  });

  it("writes primitive values as workflow parameters, notes as comments, and a default export", async () => {
    const sizes: ApiPrompt = {
      "1": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 64, batch_size: 1 } },
      "2": { class_type: "EmptyLatentImage", inputs: { width: 64, height: 32, batch_size: 1 } },
    };
    const result = emitWorkflowModule(sizes, catalog, {
      model,
      nodesModule: "./nodes.js",
      exportName: "sizes",
      parameters: [
        {
          name: "width",
          value: 64,
          inputs: [
            { nodeId: "1", input: "width" },
            { nodeId: "2", input: "width" },
          ],
        },
        // A parameter whose inputs are all gone is left out.
        { name: "gone", value: 1, inputs: [{ nodeId: "99", input: "x" }] },
      ],
      notes: [{ id: "7", title: "Read me", text: "line one\r\n*/ still a comment\n\u0007bell" }],
    });
    expect(result.text).toContain("export const sizes = workflow(({ width = 64 }) => {");
    expect(result.text).toContain("EmptyLatentImage({ width, height: 64 }");
    expect(result.text).toContain("EmptyLatentImage({ width, height: 32 }");
    expect(result.text).not.toContain("gone");
    expect(result.text).toContain(
      '// Note "Read me" (node 7):\n//   line one\n//   */ still a comment\n//   \\u0007bell\n',
    );
    expect(result.text).toMatch(/\nexport default sizes;\n$/);
    const file = join(scratch.dir, "sizes.ts");
    writeFileSync(file, result.text);
    expect(await compileModule(file, "default")).toEqual(sizes);
    const mod = (await import(/* @vite-ignore */ file)) as { sizes: (p: { width: number }) => unknown };
    const wider = compile(mod.sizes({ width: 128 }) as Parameters<typeof compile>[0]);
    expect([wider["1"]!.inputs["width"], wider["2"]!.inputs["width"]]).toEqual([128, 128]);
  });

  it("refuses a cycle with the path", () => {
    const cyclicFromRoot: ApiPrompt = {
      "1": { class_type: "VAEDecode", inputs: { samples: ["2", 0] } },
      "2": { class_type: "VAEDecode", inputs: { samples: ["1", 0] } },
      "0": { class_type: "SaveImage", inputs: { filename_prefix: "x", images: ["1", 0] } },
    };
    let error: unknown;
    try {
      emitWorkflowModule(cyclicFromRoot, catalog, { model, source: "loop.json" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).code).toBe("cyclic_prompt");
    // The cycle alone, not the way in from node 0.
    expect((error as Error).message).toMatch(/^loop\.json: the prompt has a cycle: 1 → 2 → 1; /);
  });
});

describe("camelName", () => {
  it.each([
    ["Load Checkpoint", "loadCheckpoint"],
    ["CLIPTextEncode", "clipTextEncode"],
    ["VAE Decode", "vaeDecode"],
    ["KSampler (Efficient)", "kSamplerEfficient"],
    ["3D Loader", "n3DLoader"],
    ["正面提示词", "正面提示词"],
    ["positive", "positive"],
    ["delete", "deleteNode"],
    ["+++", undefined],
  ])("%s → %s", (text, want) => {
    expect(camelName(text)).toBe(want);
  });
});
