import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodePng } from "@comfy-ts/core/png";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import { Mt19937 } from "../../src/random/mt19937.js";
import { type NormalFillKernel, randn, TorchGenerator } from "../../src/random/torch-generator.js";

const round4 = (a: Float32Array) => Array.from(a, (v) => Math.round(v * 1e4) / 1e4);

describe("mt19937", () => {
  it("matches the reference generator (seed 5489: 3499211612, 581869302, …)", () => {
    const g = new Mt19937(5489);
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });
  it("takes the low 32 bits of a 64-bit seed", () => {
    const a = new Mt19937(2n ** 64n - 1n);
    const b = new Mt19937(0xffffffff);
    expect(a.nextUint32()).toBe(b.nextUint32());
  });
});

describe("torch.randn on the CPU", () => {
  it.each([
    [0, 3, [1.541, -0.2934, -2.1788]],
    [42, 6, [0.3367, 0.1288, 0.2345, 0.2303, -1.1229, -0.1863]],
  ])("manual_seed(%s); randn(%s) below 16 elements uses the double Box–Muller path", (seed, n, want) => {
    expect(round4(randn(new TorchGenerator(seed), n))).toEqual(want);
  });

  it.each(["avx2", "avx2-fma", "default"] as NormalFillKernel[])(
    "manual_seed(0); randn(4, 4) with the %s fill",
    (kernel) => {
      expect(round4(randn(new TorchGenerator(0), 16, kernel))).toEqual([
        -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081,
        0.1198, 1.2377, 1.1168, -0.2473,
      ]);
    },
  );

  it("redraws the last 16 slots when the size is not a multiple of 16", () => {
    const a = randn(new TorchGenerator(7), 17);
    const b = randn(new TorchGenerator(7), 16);
    expect(a[0]).toBe(b[0]);
    expect(a[16]).not.toBe(b[15]);
  });
});

describeWithFixture(
  "ImageAddNoise noise equals the real server's, sample for sample",
  ["reference-outputs"],
  (root) => {
    it.each([
      ["g104_noise_seed0_s0_5", 0n, 0.5],
      ["g105_noise_seed_u64max_s0_25", 2n ** 64n - 1n, 0.25],
      ["g107_noise_seed123456789_s1_0", 123456789n, 1.0],
    ])("%s", (name, seed, strength) => {
      const input = decodePng(readFileSync(join(root, "inputs", "gradient.png")));
      const out = decodePng(readFileSync(join(root, "cases", name, "3_0.png")));
      const noise = randn(new TorchGenerator(seed), input.samples.length);
      const s = Math.fround(strength);
      let differing = 0;
      for (let i = 0; i < noise.length; i++) {
        const x = Math.fround((input.samples[i] as number) / 255);
        const v = Math.min(1, Math.max(0, Math.fround(x + Math.fround(s * (noise[i] as number)))));
        if (Math.trunc(Math.fround(255 * v)) !== out.samples[i]) differing++;
      }
      expect(differing).toBe(0);
    });
  },
);
