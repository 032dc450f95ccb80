import type { CompareOptions } from "../compare/compare-options.js";
import type { MatchOutcome } from "./match-outcome.js";
import type { WrittenArtifacts } from "./perform-side-effects.js";

/** Paths shown in messages, already made relative to the root. */
export interface MessagePaths {
  readonly golden: string;
  readonly artifacts: { readonly [K in keyof WrittenArtifacts]?: string };
}

function percentUp(ratio: number): string {
  // Rounded up, so a non-zero difference never prints as 0.00%.
  return `${(Math.ceil(ratio * 10000) / 100).toFixed(2)}%`;
}

function tolerance(options: CompareOptions): string {
  const count = options.maxDiffPixels === undefined ? "unset" : String(options.maxDiffPixels);
  const ratio = options.maxDiffPixelRatio === undefined ? "unset" : String(options.maxDiffPixelRatio);
  return `threshold ${options.threshold}, maxDiffPixels ${count}, maxDiffPixelRatio ${ratio}`;
}

function artifactLines(paths: MessagePaths): string {
  const lines = [`  golden:   ${paths.golden}`];
  if (paths.artifacts.expected) lines.push(`  expected: ${paths.artifacts.expected}`);
  if (paths.artifacts.actual) lines.push(`  actual:   ${paths.artifacts.actual}`);
  if (paths.artifacts.diff) lines.push(`  diff:     ${paths.artifacts.diff}`);
  return lines.join("\n");
}

const ACCEPT =
  "If the change is intended, accept it with `vitest -u` (locally; goldens are never written in CI) and commit the golden.";

/** The assertion message of an outcome: counts, ratio (rounded up), tolerances and every path. */
export function goldenMessage(
  name: string,
  outcome: MatchOutcome,
  options: CompareOptions,
  paths: MessagePaths,
): string {
  switch (outcome.kind) {
    case "missing-golden":
      return outcome.ci
        ? `golden "${name}" does not exist and was not written: CI is set, and goldens are never written in CI.\n${artifactLines(paths)}\nCreate it locally with \`vitest -u\`, review the image and commit it.`
        : `golden "${name}" does not exist.\n${artifactLines(paths)}\nCreate it with \`vitest -u\` (or COMFY_TS_UPDATE_GOLDENS=new), review the image and commit it.`;
    case "golden-written":
      return `golden "${name}" written: ${paths.golden}`;
    case "golden-updated":
      return `golden "${name}" updated: ${paths.golden}`;
    case "matched": {
      const c = outcome.comparison;
      if (c.kind === "compared") {
        return `golden "${name}" matched: ${c.diffPixels} pixels differ (${percentUp(c.diffRatio)}), allowed ${c.allowedDiffPixels}`;
      }
      return `golden "${name}" matched (identical ${c.kind === "identical" ? c.via : "pixels"})`;
    }
    case "size-mismatch": {
      const { expected, actual } = outcome.comparison;
      return `golden "${name}" has a different size: expected ${expected.width}×${expected.height}, got ${actual.width}×${actual.height}.\n${artifactLines(paths)}\n${ACCEPT}`;
    }
    case "mismatch": {
      const c = outcome.comparison;
      const area = `${c.size.width}×${c.size.height}`;
      return `golden "${name}" does not match: ${c.diffPixels} pixels differ (${percentUp(c.diffRatio)} of ${area}), ${c.allowedDiffPixels} allowed (${tolerance(options)}).\n${artifactLines(paths)}\n${ACCEPT}`;
    }
  }
}
