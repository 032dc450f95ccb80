import { defineComparator } from "../comparator.js";
import { firstTextDifference } from "./text-difference.js";

/** Text compared after normalising what is not meaning: line endings, trailing and repeated whitespace, case. */
export function normalizeText(
  text: string,
  options: { readonly whitespace: boolean; readonly ignoreCase: boolean },
): string {
  let out = text.replace(/\r\n?/g, "\n");
  if (options.whitespace) {
    out = out
      .split("\n")
      .map((line) => line.replace(/[ \t]+/g, " ").trim())
      .join("\n")
      .trim();
  }
  return options.ignoreCase ? out.toLowerCase() : out;
}

export const normalizedText = defineComparator({
  name: "normalized-text",
  description: "text equal after normalising line endings (and whitespace, case when asked)",
  accepts: ["text"],
  options: {
    whitespace: {
      type: "boolean",
      default: true,
      doc: "collapse runs of spaces/tabs, trim lines and the text",
    },
    ignoreCase: { type: "boolean", default: false, doc: "compare case-insensitively" },
  },
  compare(expected, actual, options) {
    const difference = firstTextDifference(
      normalizeText(expected.text, options),
      normalizeText(actual.text, options),
    );
    return difference
      ? {
          pass: false,
          metrics: { differingLines: difference.differingLines },
          summary: `${difference.summary} (after normalising)`,
        }
      : { pass: true, metrics: { differingLines: 0 }, summary: "equal after normalising" };
  },
});
