import { ssim as ssimJs } from "ssim.js";
import { defineComparator } from "../comparator.js";

/**
 * The structural similarity index (mean SSIM, ssim.js) of the luma of both images at full resolution
 * (no downsampling, so a local change in a large image is not averaged away). Insensitive to uniform
 * brightness shifts by design: pair it with another comparator when those matter.
 */
export const ssimComparator = defineComparator({
  name: "ssim",
  description: "mean structural similarity (SSIM) of the luma, at full resolution",
  accepts: ["raster"],
  options: {
    minSsim: {
      type: "number",
      min: -1,
      max: 1,
      default: 0.99,
      doc: "lowest mean SSIM that passes (1: identical structure)",
    },
  },
  compare(expected, actual, options) {
    const image = (r: typeof expected) => ({
      width: r.width,
      height: r.height,
      data: new Uint8ClampedArray(r.rgba().buffer, r.rgba().byteOffset, r.rgba().byteLength),
    });
    const { mssim } = ssimJs(image(expected), image(actual), { downsample: false, ssim: "weber" });
    return {
      pass: mssim >= options.minSsim,
      metrics: { ssim: mssim },
      summary: `mean SSIM ${mssim.toFixed(5)} (lowest passing ${options.minSsim})`,
    };
  },
});
