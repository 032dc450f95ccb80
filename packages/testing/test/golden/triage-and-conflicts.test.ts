import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  attachProvenance,
  encodePng,
  type GoldenConfig,
  GoldenUsageError,
  type MatchGoldenArgs,
  matchGolden,
  type OutputProvenance,
  promptChanges,
} from "../../src/index.js";

let dir: string;
let config: GoldenConfig;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "comfy-ts-triage-"));
  config = {
    compare: {},
    environments: {},
    keyByEnvironment: false,
    resultsDir: join(dir, "results"),
    root: dir,
    report: "failures",
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = noiseImage(32, 32, 5, true);
const prompt = {
  "3": {
    class_type: "KSampler",
    inputs: { seed: 18446744073709551615n, steps: 20, sampler_name: "euler", model: ["4", 0] },
  },
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "a.safetensors" } },
  "9": { class_type: "SaveImage", inputs: { images: ["3", 0], filename_prefix: "x" } },
};
const cpu = {
  key: "cpu_torch2.5.1_comfy0.3.65",
  comfyui: "0.3.65",
  torch: "2.5.1",
  python: "3.11.2",
  device: "cpu",
};
const output = (pixels: typeof base, provenance: OutputProvenance) =>
  attachProvenance({ bytes: encodePng(pixels), filename: "x_00001_.png", key: "images" }, provenance);
const args = (over: Partial<MatchGoldenArgs>): MatchGoldenArgs => ({
  image: undefined,
  name: "out",
  options: undefined,
  testFile: join(dir, "t.test.ts"),
  testName: "t > renders",
  callIndex: 0,
  updateMode: "none",
  ci: false,
  config,
  ...over,
});
const provenance = (p: object, environment = cpu): OutputProvenance => ({
  prompt: p as never,
  environment,
  environmentKey: environment.key,
  promptHash: "h",
  nodeId: "9",
  classType: "SaveImage",
});

describe("a failure says what changed since the golden was accepted", () => {
  beforeEach(async () => {
    const accepted = await matchGolden(args({ image: output(base, provenance(prompt)), updateMode: "all" }));
    expect(accepted.outcome.kind).toBe("golden-written");
    // The prompt is recorded whole and lossless (a 2^64 − 1 seed keeps its digits).
    expect(await readFile(accepted.paths.sidecar, "utf8")).toContain('"seed": 18446744073709551615');
  });

  it("the graph: the node inputs that changed", async () => {
    const edited = structuredClone(prompt);
    edited["3"].inputs.steps = 25;
    edited["4"].inputs.ckpt_name = "b.safetensors";
    const result = await matchGolden(args({ image: output(withChangedPixels(base, 3), provenance(edited)) }));
    expect(result.pass).toBe(false);
    expect(result.message).toContain("The graph changed since the golden was accepted (2 changes):");
    expect(result.message).toContain('  KSampler "3".steps 20 → 25');
    expect(result.message).toContain(
      '  CheckpointLoaderSimple "4".ckpt_name "a.safetensors" → "b.safetensors"',
    );
  });

  it("the server: same graph, the environment then and now", async () => {
    const gpu = {
      key: "nvidia-h100_torch2.5.1-cu124_comfy0.3.66",
      comfyui: "0.3.66",
      torch: "2.5.1+cu124",
      python: "3.11.2",
      device: "NVIDIA H100",
    };
    const result = await matchGolden(
      args({ image: output(withChangedPixels(base, 3), provenance(prompt, gpu)) }),
    );
    expect(result.pass).toBe(false);
    expect(result.message).toContain(
      "The graph is unchanged since the golden was accepted; the server side changed: environment key cpu_torch2.5.1_comfy0.3.65 → nvidia-h100_torch2.5.1-cu124_comfy0.3.66; ComfyUI 0.3.65 → 0.3.66; torch 2.5.1 → 2.5.1+cu124; device cpu → NVIDIA H100.",
    );
    expect(result.message).toContain("  then: cpu_torch2.5.1_comfy0.3.65: ComfyUI 0.3.65, torch 2.5.1, cpu");
  });

  it("neither: the same server gave another output for the same prompt", async () => {
    const result = await matchGolden(args({ image: output(withChangedPixels(base, 3), provenance(prompt)) }));
    expect(result.message).toContain("the server gave another output for the same prompt");
  });
});

describe("promptChanges", () => {
  it("names added and removed nodes, class changes and rewired links", () => {
    const after = structuredClone(prompt) as Record<
      string,
      { class_type: string; inputs: Record<string, unknown> }
    >;
    delete after["4"];
    after["5"] = { class_type: "UNETLoader", inputs: { unet_name: "u" } };
    after["3"]!.inputs.model = ["5", 0];
    after["9"]!.class_type = "PreviewImage";
    expect(promptChanges(prompt as never, after as never)).toEqual([
      'KSampler "3".model link from "4"[0] → link from "5"[0]',
      'node "4" (CheckpointLoaderSimple) removed',
      'node "5" (UNETLoader) added',
      'node "9": class SaveImage → PreviewImage',
    ]);
  });
});

describe("golden writes under -u", () => {
  it("two tests writing one golden name with different content in one run: the second fails, naming the first", async () => {
    const first = await matchGolden(
      args({ image: encodePng(base), updateMode: "all", testName: "t > first" }),
    );
    expect(first.outcome.kind).toBe("golden-written");
    const second = await matchGolden(
      args({ image: encodePng(withChangedPixels(base, 1)), updateMode: "all", testName: "t > second" }),
    );
    expect(second.pass).toBe(false);
    expect(second.outcome.kind).toBe("golden-conflict");
    expect(second.message).toContain(
      'golden "out" was already written in this run by test "t > first" with other content',
    );
    // The same content from another test is no conflict, nor a rerun of the same test.
    expect(
      (await matchGolden(args({ image: encodePng(base), updateMode: "all", testName: "t > third" }))).pass,
    ).toBe(true);
    const again = await matchGolden(
      args({ image: encodePng(withChangedPixels(base, 2)), updateMode: "all", testName: "t > first" }),
    );
    expect(again.outcome.kind).toBe("golden-updated");
  });

  it("a golden path that is a directory is an error naming it", async () => {
    await mkdir(join(dir, "__goldens__", "t.test.ts", "out.png"), { recursive: true });
    const error = await matchGolden(args({ image: encodePng(base) })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoldenUsageError);
    expect((error as Error).message).toBe(
      "golden __goldens__/t.test.ts/out.png is a directory, not a file: remove or rename it (goldens are files named <name>.<extension>)",
    );
  });

  it("keeps a text golden as .txt and shows a unified diff", async () => {
    await matchGolden(args({ name: "caption", image: "A Red Bottle\nStudio Lighting\n", updateMode: "all" }));
    const result = await matchGolden(args({ name: "caption", image: "A Red Bottle\nStudio Photo\n" }));
    expect(result.pass).toBe(false);
    expect(result.paths.golden.endsWith("caption.txt")).toBe(true);
    expect(result.message).toContain(
      '1 line differ (3 → 3 lines); first at line 2: expected "Studio Lighting", got "Studio Photo"',
    );
    expect(await readFile(result.artifacts.diff!, "utf8")).toBe(
      "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n A Red Bottle\n-Studio Lighting\n+Studio Photo\n \n",
    );
    const normalized = await matchGolden(
      args({
        name: "caption",
        image: "  A Red Bottle \r\nStudio   Lighting",
        options: { comparator: "normalized-text" },
      }),
    );
    expect(normalized.pass).toBe(true);
  });
});
