import { defineComparator, type UnitVerdict } from "../comparator.js";
import type { Samples } from "../samples.js";
import { type DeltaScan, describeWorst, scanRaster, scanSignal, scanTensor } from "./sample-deltas.js";
import { firstTextDifference } from "./text-difference.js";

function scan(expected: Samples, actual: Samples): DeltaScan | undefined {
  if (expected.type === "raster" && actual.type === "raster") return scanRaster(expected, actual, 0);
  if (expected.type === "signal" && actual.type === "signal") return scanSignal(expected, actual, 0);
  if (expected.type === "tensor" && actual.type === "tensor")
    return scanTensor(expected, actual, () => false);
  return undefined;
}

/** Identical decoded samples (the default for every kind but lossy video and audio). */
export const exact = defineComparator({
  name: "exact",
  description:
    "identical decoded samples: every pixel of every frame, every audio sample, every tensor value, every character",
  accepts: ["raster", "signal", "tensor", "text"],
  options: {},
  compare(expected, actual): UnitVerdict {
    if (expected.type === "text" && actual.type === "text") {
      const difference = firstTextDifference(expected.text, actual.text);
      return difference
        ? { pass: false, metrics: { differingLines: difference.differingLines }, summary: difference.summary }
        : { pass: true, metrics: { differingLines: 0 }, summary: "identical text" };
    }
    const result = scan(expected, actual);
    if (!result)
      return { pass: false, metrics: {}, summary: `cannot compare ${expected.type} with ${actual.type}` };
    return {
      pass: result.exceeding === 0,
      metrics: { differingSamples: result.exceeding, maxDelta: result.maxDelta },
      summary:
        result.exceeding === 0
          ? "identical samples"
          : `${result.exceeding} of ${result.samples} samples differ, ${describeWorst(result)}`,
    };
  },
});
