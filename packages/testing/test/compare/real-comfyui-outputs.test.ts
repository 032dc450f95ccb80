// compareImages on PNGs a real ComfyUI 0.3.65 wrote (read in place from ../shared/fixtures).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, it } from "vitest";
import { compareImages, DEFAULT_COMPARE_OPTIONS, PngDecodeError } from "../../src/index.js";

describeWithFixture("compareImages on real ComfyUI outputs", ["comfyui-0.3.65"], (dir) => {
  const png = (name: string) => ({ bytes: readFileSync(join(dir, name)), source: name });

  it("sees three runs of seed 42 as identical pixels although their files differ (embedded prompt)", () => {
    const a = png("images/noise42a_00001_.png");
    for (const other of ["images/noise42b_00001_.png", "images/noise42c_00001_.png"]) {
      const b = png(other);
      expect(Buffer.compare(a.bytes, b.bytes)).not.toBe(0);
      const result = compareImages(a, b, DEFAULT_COMPARE_OPTIONS);
      expect(result.kind).toBe("identical");
    }
  });

  it("sees seed 43 as a mismatch counting most pixels", () => {
    const result = compareImages(
      png("images/noise42a_00001_.png"),
      png("images/noise43_00001_.png"),
      DEFAULT_COMPARE_OPTIONS,
    );
    expect(result.kind).toBe("compared");
    if (result.kind !== "compared") return;
    expect(result.pass).toBe(false);
    expect(result.diffRatio).toBeGreaterThan(0.5);
  });

  it("reports a size change between two real outputs of different sizes", () => {
    const result = compareImages(
      png("images/t_00001_.png"),
      png("images/loaded_inv_00001_.png"),
      DEFAULT_COMPARE_OPTIONS,
    );
    expect(result.kind).toBe("size-mismatch");
  });

  it("rejects the recorded corrupt input image with a clear error", () => {
    expect(() =>
      compareImages(png("inputs/corrupt.png"), png("images/t_00001_.png"), DEFAULT_COMPARE_OPTIONS),
    ).toThrow(PngDecodeError);
  });
});
