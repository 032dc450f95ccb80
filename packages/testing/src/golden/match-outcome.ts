import { decodePng } from "@comfy-ts/core/png";
import { type Comparison, compareImages, type PngInput, type Size } from "../compare/compare-images.js";
import type { CompareOptions } from "../compare/compare-options.js";
import type { UpdateMode } from "./update-mode.js";

/**
 * Every way one `toMatchGolden` can end. Passing kinds: `matched`, `golden-written`, `golden-updated`.
 */
export type MatchOutcome =
  /** No golden, and this run may not write one (CI, or no update flag). Fails. */
  | { readonly kind: "missing-golden"; readonly ci: boolean; readonly size: Size }
  /** No golden; the update mode allows writing it. Passes. */
  | { readonly kind: "golden-written"; readonly size: Size }
  /** The golden differs beyond tolerance (or in size) and `vitest -u` replaces it. Passes. */
  | { readonly kind: "golden-updated"; readonly comparison: Comparison }
  /** Same pixels, or differences within tolerance. Passes. */
  | { readonly kind: "matched"; readonly comparison: Comparison }
  /** Same size, more differing pixels than allowed. Fails. */
  | { readonly kind: "mismatch"; readonly comparison: Extract<Comparison, { kind: "compared" }> }
  /** Different dimensions. Fails with its own message. */
  | { readonly kind: "size-mismatch"; readonly comparison: Extract<Comparison, { kind: "size-mismatch" }> };

export type MatchOutcomeKind = MatchOutcome["kind"];

/** Everything the decision needs; holds bytes, never paths to read. */
export interface OutcomeInput {
  /** The golden's bytes and label, or undefined when there is none. */
  readonly golden: PngInput | undefined;
  readonly actual: PngInput;
  readonly options: CompareOptions;
  readonly updateMode: UpdateMode;
  readonly ci: boolean;
}

/** True for the kinds that make the assertion pass. */
export function isPassing(outcome: MatchOutcome): boolean {
  return outcome.kind === "matched" || outcome.kind === "golden-written" || outcome.kind === "golden-updated";
}

/**
 * Decides what a golden assertion means, with no I/O: all the branching lives here, the caller then
 * performs the side effects the outcome names. A corrupt golden or actual image throws `PngDecodeError`.
 */
export function determineOutcome(input: OutcomeInput): MatchOutcome {
  const { golden, actual, options, updateMode, ci } = input;
  if (golden === undefined) {
    // Never accept (or report as missing) something that is not a whole PNG.
    const { width, height } = actual.decoded ?? decodePng(actual.bytes, { source: actual.source });
    const size = { width, height };
    return updateMode === "none" || ci
      ? { kind: "missing-golden", ci, size }
      : { kind: "golden-written", size };
  }
  const comparison = compareImages(golden, actual, options);
  const canUpdate = updateMode === "all" && !ci;
  switch (comparison.kind) {
    case "identical":
      return { kind: "matched", comparison };
    case "size-mismatch":
      return canUpdate ? { kind: "golden-updated", comparison } : { kind: "size-mismatch", comparison };
    case "compared":
      if (comparison.pass) return { kind: "matched", comparison };
      return canUpdate ? { kind: "golden-updated", comparison } : { kind: "mismatch", comparison };
  }
}
