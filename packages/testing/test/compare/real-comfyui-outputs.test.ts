// compareOutputs on PNGs a real ComfyUI 0.3.65 wrote (read in place from ../shared/fixtures).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, it } from "vitest";
import {
  compareOutputs,
  PngDecodeError,
  resolveTolerance,
  UnrecognizedOutputError,
} from "../../src/index.js";
import { classifyOutput } from "../../src/outputs/output-kind.js";

const exact = resolveTolerance({
  kind: "image",
  format: "png",
  project: undefined,
  environment: undefined,
  environmentKey: undefined,
  test: undefined,
});

describeWithFixture("compareOutputs on real ComfyUI outputs", ["comfyui-0.3.65"], (dir) => {
  const png = (name: string) => {
    const bytes = readFileSync(join(dir, name));
    return { bytes, source: name, classified: classifyOutput({ bytes }, name) };
  };

  it("sees three runs of seed 42 as identical pixels although their files differ (embedded prompt)", async () => {
    const a = png("images/noise42a_00001_.png");
    for (const other of ["images/noise42b_00001_.png", "images/noise42c_00001_.png"]) {
      const b = png(other);
      expect(Buffer.compare(a.bytes, b.bytes)).not.toBe(0);
      const result = await compareOutputs(a, b, exact);
      expect(result.kind).toBe("identical");
    }
  });

  it("sees seed 43 as a mismatch of most samples", async () => {
    const result = await compareOutputs(
      png("images/noise42a_00001_.png"),
      png("images/noise43_00001_.png"),
      exact,
    );
    expect(result.kind).toBe("compared");
    if (result.kind !== "compared") return;
    expect(result.pass).toBe(false);
    const samples = result.expected.units[0]!.samples;
    const total = samples.type === "raster" ? samples.data.length : 0;
    expect(result.units[0]!.verdict.metrics.differingSamples).toBeGreaterThan(0.5 * total);
  });

  it("reports a size change between two real outputs of different sizes as a facts difference", async () => {
    const result = await compareOutputs(
      png("images/t_00001_.png"),
      png("images/loaded_inv_00001_.png"),
      exact,
    );
    expect(result.kind).toBe("facts-mismatch");
    if (result.kind === "facts-mismatch") expect(result.differences.map((d) => d.name)).toContain("size");
  });

  it("rejects the recorded corrupt input image (not a PNG at all) with a clear error naming it", () => {
    expect(() => png("inputs/corrupt.png")).toThrow(UnrecognizedOutputError);
    expect(() => png("inputs/corrupt.png")).toThrow(
      /^inputs\/corrupt\.png is not a format comfy-ts compares/,
    );
  });

  it("rejects a PNG cut short with PngDecodeError naming it", async () => {
    const whole = png("images/t_00001_.png");
    const cut = { ...whole, bytes: whole.bytes.subarray(0, whole.bytes.length - 30), source: "cut.png" };
    await expect(compareOutputs(cut, whole, exact)).rejects.toThrow(/cannot decode PNG cut\.png: truncated/);
    await expect(compareOutputs(cut, whole, exact)).rejects.toThrow(PngDecodeError);
  });
});
