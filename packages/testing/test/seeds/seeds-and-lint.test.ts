import type { ApiInputValue, ApiPrompt } from "@comfy-ts/core";
import { describe, expect, it } from "vitest";
import { findSeedInputs, GoldenUsageError, lintReproducibility, pinSeeds } from "../../src/index.js";

const sampler = (id: string, seed: ApiInputValue, samplerName = "euler"): ApiPrompt => ({
  [id]: { class_type: "KSampler", inputs: { seed, steps: 20, sampler_name: samplerName, model: ["4", 0] } },
});

const prompt: ApiPrompt = {
  ...sampler("3", 1),
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "x.safetensors" } },
  "5": { class_type: "SamplerCustomAdvanced", inputs: { noise: ["6", 0] } },
  "6": { class_type: "RandomNoise", inputs: { noise_seed: ["7", 0] } },
  "7": { class_type: "PrimitiveInt", inputs: { value: 5 } },
  "8": { class_type: "ImageAddNoise", inputs: { seed: 9, strength: 0.5, image: ["9", 0] } },
};

describe("findSeedInputs", () => {
  it("finds seed and *_seed inputs by name without a catalog", () => {
    expect(findSeedInputs(prompt).map((s) => `${s.nodeId}.${s.input}`)).toEqual([
      "3.seed",
      "6.noise_seed",
      "8.seed",
    ]);
  });
  it("uses control_after_generate from /object_info when the class is known", () => {
    const objectInfo = {
      KSampler: {
        input: { required: { seed: ["INT", { control_after_generate: true }], steps: ["INT", {}] } },
      },
      MyNode: { input: { required: { variation: ["INT", { control_after_generate: true }] } } },
    };
    const custom: ApiPrompt = { "1": { class_type: "MyNode", inputs: { variation: 3 } }, ...sampler("2", 4) };
    expect(findSeedInputs(custom, objectInfo).map((s) => `${s.nodeId}.${s.input}`)).toEqual([
      "1.variation",
      "2.seed",
    ]);
  });
});

describe("pinSeeds", () => {
  it("pins every seed to one value, replacing links by literals, without touching the input", () => {
    const before = JSON.stringify(prompt);
    const { prompt: pinned, seeds } = pinSeeds(prompt, 42n);
    expect(seeds).toEqual({ "3.seed": "42", "6.noise_seed": "42", "8.seed": "42" });
    expect(pinned["6"]!.inputs.noise_seed).toBe(42n);
    expect(JSON.stringify(prompt)).toBe(before);
  });
  it("pins by node id and by node.input, keeping other literal seeds in the record", () => {
    const { prompt: pinned, seeds } = pinSeeds(prompt, { "3": 7, "6.noise_seed": 2n ** 64n - 1n });
    expect(pinned["3"]!.inputs.seed).toBe(7);
    expect(seeds).toEqual({ "3.seed": "7", "6.noise_seed": "18446744073709551615", "8.seed": "9" });
  });
  it.each([
    [
      { "3.sed": 1 },
      /seed keys 3\.sed match no seed-like input \(seed inputs: 3\.seed, 6\.noise_seed, 8\.seed\)/,
    ],
    [-1, /seed 3\.seed must be an integer between 0 and 2\^64 − 1, got -1/],
    [1.5, /got 1\.5/],
    [2n ** 64n, /got 18446744073709551616/],
  ])("rejects %s", (spec, message) => {
    expect(() => pinSeeds(prompt, spec as never)).toThrow(GoldenUsageError);
    expect(() => pinSeeds(prompt, spec as never)).toThrow(message);
  });
});

describe("lintReproducibility", () => {
  it.each([
    ["a literal seed", sampler("1", 5), false, []],
    [
      "a seed from a primitive",
      { ...sampler("1", ["2", 0]), "2": { class_type: "PrimitiveInt", inputs: { value: 1 } } },
      false,
      [],
    ],
    [
      "a seed from a random node",
      { ...sampler("1", ["2", 0]), "2": { class_type: "Random Number (mtb)", inputs: {} } },
      false,
      ["seed-from-random-source"],
    ],
    [
      "a computed seed",
      { ...sampler("1", ["2", 0]), "2": { class_type: "SimpleMath+", inputs: {} } },
      false,
      ["seed-computed"],
    ],
    ["seed -1", sampler("1", -1), false, ["seed-randomized"]],
    ["a _gpu sampler on one device", sampler("1", 5, "dpmpp_3m_sde_gpu"), false, []],
    ["a _gpu sampler across devices", sampler("1", 5, "dpmpp_3m_sde_gpu"), true, ["gpu-noise-sampler"]],
    [
      "an ancestral sampler across devices",
      sampler("1", 5, "euler_ancestral"),
      true,
      ["device-noise-sampler"],
    ],
    ["a CPU Brownian-tree SDE sampler across devices", sampler("1", 5, "dpmpp_2m_sde"), true, []],
    ["an ODE sampler across devices", sampler("1", 5, "dpmpp_2m"), true, []],
  ] as const)("%s → %j", (_label, graph, acrossDevices, codes) => {
    const issues = lintReproducibility(graph as ApiPrompt, { acrossDevices });
    expect(issues.map((i) => i.code)).toEqual(codes);
    for (const issue of issues) expect(issue.message).toMatch(/^node 1 \(KSampler\)/);
  });
});
