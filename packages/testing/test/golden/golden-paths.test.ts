import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  artifactPath,
  defaultGoldenName,
  environmentKey,
  GoldenNameError,
  goldenPaths,
  validateGoldenName,
} from "../../src/index.js";

describe("validateGoldenName", () => {
  it.each([
    ["portrait", "portrait"],
    ["portrait.png", "portrait"],
    ["grid/cell_1", "grid/cell_1"],
    ["v1.2-final(a)", "v1.2-final(a)"],
  ])("accepts %s as %s", (name, want) => {
    expect(validateGoldenName(name)).toBe(want);
  });

  it.each([
    ["", "it is empty"],
    ["../escape", "`.` and `..` segments are not allowed"],
    ["a/../../b", "`.` and `..` segments are not allowed"],
    ["/etc/passwd", "it must be relative"],
    ["a\\b", "use `/` to separate folders"],
    [".hidden", 'segment ".hidden" must start with'],
    ["a b", 'segment "a b" must start with'],
    ["a//b", 'segment "" must start with'],
    ["x".repeat(201), "longer than 200"],
  ])("rejects %j", (name, reason) => {
    expect(() => validateGoldenName(name)).toThrow(GoldenNameError);
    expect(() => validateGoldenName(name)).toThrow(reason);
  });
});

describe("goldenPaths", () => {
  const root = join("/", "repo");
  const testFile = join(root, "examples", "test", "invert.test.ts");
  it("puts goldens beside the test and artifacts under the results folder, keyed by environment", () => {
    const paths = goldenPaths({
      testFile,
      name: "out",
      envKey: "cpu_torch2.5.1_comfy0.3.65",
      extension: "png",
      resultsDir: join(root, "results"),
      root,
    });
    expect(paths.golden).toBe(
      join(root, "examples/test/__goldens__/invert.test.ts/out-cpu_torch2.5.1_comfy0.3.65.png"),
    );
    expect(paths.sidecar).toBe(
      join(root, "examples/test/__goldens__/invert.test.ts/out-cpu_torch2.5.1_comfy0.3.65.json"),
    );
    expect(artifactPath(paths, "diff", "png")).toBe(
      join(root, "results/examples/test/invert.test.ts/out-cpu_torch2.5.1_comfy0.3.65-diff.png"),
    );
    expect(artifactPath(paths, "expected", "png").endsWith("-expected.png")).toBe(true);
  });
  it("gives each test its own artifact folder when the test name is known", () => {
    const paths = goldenPaths({
      testFile,
      name: "out",
      envKey: undefined,
      extension: "mp4",
      resultsDir: join(root, "results"),
      root,
      testName: "invert > red to cyan",
    });
    expect(paths.golden.endsWith("__goldens__/invert.test.ts/out.mp4")).toBe(true);
    expect(artifactPath(paths, "actual", "mp4")).toBe(
      join(root, "results/examples/test/invert.test.ts/invert-red-to-cyan/out-actual.mp4"),
    );
  });
  it("rejects escaping names before building paths", () => {
    expect(() =>
      goldenPaths({ testFile, name: "../../x", envKey: undefined, extension: "png", resultsDir: root, root }),
    ).toThrow(GoldenNameError);
  });
});

describe("defaultGoldenName", () => {
  it.each([
    ["invert > turns red cyan", 1, "invert-turns-red-cyan"],
    ["invert > turns red cyan", 2, "invert-turns-red-cyan-2"],
    ["../weird//name", 1, "weird-name"],
    ["***", 1, "golden"],
  ])("%s #%d → %s", (testName, index, want) => {
    expect(defaultGoldenName(testName, index)).toBe(want);
    expect(validateGoldenName(defaultGoldenName(testName, index))).toBe(want);
  });
});

describe("environmentKey", () => {
  it.each([
    [
      {
        system: { comfyui_version: "0.3.65", pytorch_version: "1.13.0a0" },
        devices: [{ name: "cpu", type: "cpu" }],
      },
      "cpu_torch1.13.0a0_comfy0.3.65",
    ],
    [
      {
        system: { comfyui_version: "0.26.0", pytorch_version: "2.5.1+cu124" },
        devices: [{ name: "cuda:0 NVIDIA H100 : cudaMallocAsync", type: "cuda" }],
      },
      "nvidia-h100_torch2.5.1-cu124_comfy0.26.0",
    ],
    [{}, "unknown-device_torchunknown_comfyunknown"],
  ])("%j → %s", (stats, want) => {
    expect(environmentKey(stats)).toBe(want);
  });
});
