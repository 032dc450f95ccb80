import { defineComparator } from "../comparator.js";
import { describeWorst, scanTensor, shown } from "./sample-deltas.js";

/** `torch.allclose`: every |actual − expected| ≤ atol + rtol·|expected| (NaN equal to NaN). For tensors. */
export const allclose = defineComparator({
  name: "allclose",
  description: "every |actual − expected| ≤ atol + rtol·|expected| (torch.allclose; NaN equals NaN)",
  accepts: ["tensor"],
  options: {
    atol: { type: "number", min: 0, max: Number.POSITIVE_INFINITY, default: 0, doc: "absolute tolerance" },
    rtol: {
      type: "number",
      min: 0,
      max: Number.POSITIVE_INFINITY,
      default: 0,
      doc: "tolerance relative to |expected|",
    },
  },
  compare(expected, actual, options) {
    const result = scanTensor(
      expected,
      actual,
      (e, delta) => delta <= options.atol + options.rtol * Math.abs(e),
    );
    return {
      pass: result.exceeding === 0,
      metrics: { maxDelta: result.maxDelta, exceeding: result.exceeding },
      summary: `${describeWorst(result)}; ${result.exceeding} of ${result.samples} values beyond atol ${shown(options.atol)} + rtol ${shown(options.rtol)}·|expected|`,
    };
  },
});
