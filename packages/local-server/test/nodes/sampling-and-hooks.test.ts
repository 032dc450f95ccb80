import { describe, expect, it } from "vitest";
import type { Tensor } from "../../src/tensor/tensor.js";
import { first, run } from "./run-node.js";

const r4 = (t: Tensor) => Array.from(t.data, (v) => Math.round(v * 1e4) / 1e4);

describe("schedulers", () => {
  it("KarrasScheduler (ComfyUI 0.3.65 printed tensor([14.6146, 6.0822, 2.2322, 0.6926, 0.1698, 0.0292, 0.0000]))", async () => {
    const s = await first<Tensor>("KarrasScheduler", {
      steps: 6,
      sigma_max: 14.614642,
      sigma_min: 0.0291675,
      rho: 7,
    });
    expect(r4(s)).toEqual([14.6146, 6.0822, 2.2322, 0.6926, 0.1698, 0.0292, 0]);
  });
  it.each([
    ["ExponentialScheduler", { steps: 3, sigma_max: 10, sigma_min: 0.1 }, [10, 1, 0.1, 0]],
    ["PolyexponentialScheduler", { steps: 3, sigma_max: 10, sigma_min: 0.1, rho: 1 }, [10, 1, 0.1, 0]],
  ])("%s", async (node, inputs, want) => {
    expect(r4(await first<Tensor>(node, inputs))).toEqual(want);
  });
  it("LaplaceScheduler stays within [sigma_min, sigma_max] and has no appended zero", async () => {
    const s = await first<Tensor>("LaplaceScheduler", {
      steps: 5,
      sigma_max: 14.6,
      sigma_min: 0.03,
      mu: 0,
      beta: 0.5,
    });
    expect(s.shape).toEqual([5]);
    for (const v of s.data) expect(v >= Math.fround(0.03) && v <= Math.fround(14.6)).toBe(true);
  });
  it("LTXVScheduler ends at 0 and stretches to the terminal value", async () => {
    const s = await first<Tensor>("LTXVScheduler", {
      steps: 4,
      max_shift: 2.05,
      base_shift: 0.95,
      stretch: true,
      terminal: 0.1,
    });
    expect(s.shape).toEqual([5]);
    expect(s.data[4]).toBe(0);
    expect(s.data[3]).toBeCloseTo(0.1, 5);
  });
});

describe("sampler, noise and hook objects", () => {
  it("KSamplerSelect and RandomNoise carry their settings (seeds exact)", async () => {
    expect(await first("KSamplerSelect", { sampler_name: "euler" })).toEqual({
      kind: "sampler",
      name: "euler",
      options: {},
    });
    expect(await first("RandomNoise", { noise_seed: 18446744073709551615n })).toEqual({
      kind: "noise",
      seed: 18446744073709551615n,
    });
  });
  it("ConditioningTimestepsRange splits [0, 1] around the range", async () => {
    expect(
      (await run("ConditioningTimestepsRange", { start_percent: 0.2, end_percent: 0.7 })).outputs,
    ).toEqual([
      [0.2, 0.7],
      [0, 0.2],
      [0.7, 1],
    ]);
  });
  it("CreateHookKeyframe keeps keyframes sorted by start_percent", async () => {
    const a = await first("CreateHookKeyframe", { strength_mult: 1, start_percent: 0.5 });
    const b = await first<{ keyframes: Array<{ start_percent: number }> }>("CreateHookKeyframe", {
      strength_mult: 2,
      start_percent: 0.1,
      prev_hook_kf: a,
    });
    expect(b.keyframes.map((k) => k.start_percent)).toEqual([0.1, 0.5]);
  });
  it("CreateHookKeyframesInterpolated linear", async () => {
    const g = await first<{
      keyframes: Array<{ strength: number; start_percent: number; guarantee_steps: number }>;
    }>("CreateHookKeyframesInterpolated", {
      strength_start: 0,
      strength_end: 1,
      interpolation: "linear",
      start_percent: 0,
      end_percent: 1,
      keyframes_count: 3,
      print_keyframes: false,
    });
    expect(g.keyframes.map((k) => [k.strength, k.start_percent, k.guarantee_steps])).toEqual([
      [0, 0, 1],
      [0.5, 0.5, 0],
      [1, 1, 0],
    ]);
  });
  it("Preview3D reports its file in the ui", async () => {
    expect((await run("Preview3D", { model_file: "a.glb" })).ui).toEqual({ result: ["a.glb", null] });
  });
});

describe("listed but unsupported nodes", () => {
  it.each(["AlignYourStepsScheduler", "GITSScheduler", "OptimalStepsScheduler"])(
    "%s fails at run time saying what it lacks",
    async (classType) => {
      await expect(run(classType, {})).rejects.toMatchObject({
        exceptionType: "NotImplementedError",
        message: expect.stringContaining("not supported by the comfy-ts local server"),
      });
    },
  );
});
