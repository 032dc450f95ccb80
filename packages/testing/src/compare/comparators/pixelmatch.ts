import pixelmatch from "pixelmatch";
import { defineComparator } from "../comparator.js";

/** Differing pixels allowed: the smaller of both tolerances, 0 when neither is set. */
export function allowedDiffPixels(
  options: { readonly maxDiffPixels: number | undefined; readonly maxDiffPixelRatio: number | undefined },
  area: number,
): number {
  const { maxDiffPixels, maxDiffPixelRatio } = options;
  if (maxDiffPixels === undefined && maxDiffPixelRatio === undefined) return 0;
  const byCount = maxDiffPixels ?? Number.POSITIVE_INFINITY;
  const byRatio =
    maxDiffPixelRatio === undefined ? Number.POSITIVE_INFINITY : Math.floor(maxDiffPixelRatio * area);
  return Math.min(byCount, byRatio);
}

function percentUp(ratio: number): string {
  // Rounded up, so a non-zero difference never prints as 0.00%.
  return `${(Math.ceil(ratio * 10000) / 100).toFixed(2)}%`;
}

/**
 * pixelmatch's count of perceptually differing pixels (YIQ distance above `threshold`, anti-aliasing
 * optional): for UI-like images with anti-aliased edges. `threshold` is a perceptual filter, not a
 * regression tolerance — a uniform +26/255 shift passes at its 0.1 — so it is never a default.
 */
export const pixelmatchComparator = defineComparator({
  name: "pixelmatch",
  description: "pixelmatch's count of perceptually differing pixels (for anti-aliased, UI-like images)",
  accepts: ["raster"],
  options: {
    threshold: {
      type: "number",
      min: 0,
      max: 1,
      default: 0.1,
      doc: "per-pixel YIQ colour distance (0–1) above which a pixel differs",
    },
    maxDiffPixels: {
      type: "number",
      min: 0,
      max: Number.POSITIVE_INFINITY,
      integer: true,
      default: undefined,
      doc: "most differing pixels allowed (with neither tolerance set: none)",
    },
    maxDiffPixelRatio: {
      type: "number",
      min: 0,
      max: 1,
      default: undefined,
      doc: "most differing pixels allowed, as a fraction of the area",
    },
    includeAA: {
      type: "boolean",
      default: true,
      doc: "count pixels pixelmatch takes for anti-aliasing (generated images have none to forgive)",
    },
  },
  compare(expected, actual, options) {
    const { width, height } = expected;
    const diffPixels = pixelmatch(expected.rgba(), actual.rgba(), undefined, width, height, {
      threshold: options.threshold,
      includeAA: options.includeAA,
    });
    const area = width * height;
    const allowed = allowedDiffPixels(options, area);
    return {
      pass: diffPixels <= allowed,
      metrics: { diffPixels, diffRatio: diffPixels / area, allowedDiffPixels: allowed },
      summary: `${diffPixels} pixels differ (${percentUp(diffPixels / area)} of ${width}×${height}) at threshold ${options.threshold}, ${allowed} allowed`,
    };
  },
});
