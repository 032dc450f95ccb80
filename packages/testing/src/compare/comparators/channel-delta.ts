import { GoldenOptionsError } from "../../errors.js";
import { defineComparator } from "../comparator.js";
import type { Samples } from "../samples.js";
import { type DeltaScan, describeWorst, scanRaster, scanSignal, scanTensor, shown } from "./sample-deltas.js";

function scan(expected: Samples, actual: Samples, maxDelta: number): DeltaScan {
  if (expected.type === "raster" && actual.type === "raster") return scanRaster(expected, actual, maxDelta);
  if (expected.type === "signal" && actual.type === "signal") return scanSignal(expected, actual, maxDelta);
  if (expected.type === "tensor" && actual.type === "tensor") {
    return scanTensor(expected, actual, (_e, delta) => delta <= maxDelta);
  }
  throw new GoldenOptionsError(
    "comparator",
    `channel-delta cannot compare ${expected.type} with ${actual.type} samples`,
  );
}

/**
 * The largest |Δ| of any sample in any channel, and how many samples may exceed `maxDelta`: a tolerance
 * in the samples' own units (0–255 for 8-bit pixels, 0–65535 for 16-bit, −1…1 audio, tensor values).
 */
export const channelDelta = defineComparator({
  name: "channel-delta",
  description: "largest per-channel |Δ| of any sample, and how many samples may exceed maxDelta",
  accepts: ["raster", "signal", "tensor"],
  options: {
    maxDelta: {
      type: "number",
      min: 0,
      max: Number.POSITIVE_INFINITY,
      default: 0,
      doc: "largest |Δ| of one sample that counts as equal (sample units: 0–255 for 8-bit pixels, −1…1 for audio)",
    },
    maxExceeding: {
      type: "number",
      min: 0,
      max: Number.POSITIVE_INFINITY,
      integer: true,
      default: 0,
      doc: "how many samples of one image, frame, audio stream or tensor may differ by more than maxDelta",
    },
  },
  compare(expected, actual, options) {
    const result = scan(expected, actual, options.maxDelta);
    const pass = result.exceeding <= options.maxExceeding;
    const channels =
      result.perChannel.length > 1 ? ` (per channel: ${result.perChannel.map(shown).join(", ")})` : "";
    return {
      pass,
      metrics: { maxDelta: result.maxDelta, exceeding: result.exceeding, samples: result.samples },
      summary: `${describeWorst(result)}${channels}; ${result.exceeding} of ${result.samples} samples differ by more than ${shown(options.maxDelta)} (${options.maxExceeding} allowed)`,
    };
  },
});
