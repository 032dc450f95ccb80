import { defineComparator } from "../comparator.js";
import { shown } from "./sample-deltas.js";

/** 10·log10(peak² / mean squared error), +∞ for identical samples. */
export function psnrDb(a: ArrayLike<number>, b: ArrayLike<number>, peak: number): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  if (sum === 0) return Number.POSITIVE_INFINITY;
  return 10 * Math.log10((peak * peak * a.length) / sum);
}

/**
 * Peak signal-to-noise ratio of one image or frame over all its samples: a mean measure that forgives
 * the scattered small errors of lossy codecs but not a shift of the whole picture (+5 on every channel
 * is 34.2 dB, +1 is 48.1 dB).
 */
export const psnrComparator = defineComparator({
  name: "psnr",
  description: "peak signal-to-noise ratio (dB) of each image or frame, over all samples",
  accepts: ["raster"],
  options: {
    minDb: {
      type: "number",
      min: 0,
      max: Number.POSITIVE_INFINITY,
      default: 40,
      doc: "lowest PSNR in dB that passes",
    },
  },
  compare(expected, actual, options) {
    const db = psnrDb(expected.data, actual.data, expected.maxValue);
    return {
      pass: db >= options.minDb,
      metrics: { psnrDb: db },
      summary: `PSNR ${Number.isFinite(db) ? `${shown(Math.round(db * 100) / 100)} dB` : "∞ (identical)"} (lowest passing ${options.minDb} dB)`,
    };
  },
});
