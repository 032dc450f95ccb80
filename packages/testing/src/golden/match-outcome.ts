import type { Comparison } from "../compare/compare-outputs.js";
import type { Classified } from "../outputs/output-kind.js";
import type { UpdateMode } from "./update-mode.js";

/**
 * Every way one `toMatchGolden` can end. Passing kinds: `matched`, `golden-written`, `golden-updated`.
 */
export type MatchOutcome =
  /** No golden, and this run may not write one (CI, or no update flag). Fails. */
  | { readonly kind: "missing-golden"; readonly ci: boolean; readonly actual: Classified }
  /** No golden; the update mode allows writing it. Passes. */
  | { readonly kind: "golden-written"; readonly actual: Classified }
  /** The golden differs (beyond tolerance, in its facts or its kind) and `vitest -u` replaces it. Passes. */
  | { readonly kind: "golden-updated"; readonly comparison: Comparison }
  /** Identical, or within tolerance. Passes. */
  | { readonly kind: "matched"; readonly comparison: Comparison }
  /** Same kind and facts, samples beyond tolerance. Fails. */
  | { readonly kind: "mismatch"; readonly comparison: Extract<Comparison, { kind: "compared" }> }
  /** Different facts: size, frame count, fps, sample rate, duration, tensor shape … Fails with its own message. */
  | { readonly kind: "facts-mismatch"; readonly comparison: Extract<Comparison, { kind: "facts-mismatch" }> }
  /** Golden and output of different kinds (an image golden, a video output). Fails with its own message. */
  | { readonly kind: "kind-mismatch"; readonly comparison: Extract<Comparison, { kind: "kind-mismatch" }> }
  /**
   * Under `-u`, another test of this run already wrote this golden with other content: neither is
   * kept silently. Fails.
   */
  | {
      readonly kind: "golden-conflict";
      readonly comparison: Comparison | undefined;
      readonly writtenBy: string;
    };

export type MatchOutcomeKind = MatchOutcome["kind"];

/** Everything the decision needs; no bytes, no paths. */
export interface OutcomeInput {
  /** The comparison with the golden, or undefined when there is none. */
  readonly comparison: Comparison | undefined;
  /** The actual output's class (for a missing golden). */
  readonly actual: Classified;
  readonly updateMode: UpdateMode;
  readonly ci: boolean;
  /** The test that already wrote this golden in this run with other content, if any. */
  readonly writtenInThisRunBy?: string | undefined;
}

/** True for the kinds that make the assertion pass. */
export function isPassing(outcome: MatchOutcome): boolean {
  return outcome.kind === "matched" || outcome.kind === "golden-written" || outcome.kind === "golden-updated";
}

/**
 * Decides what a golden assertion means, with no I/O: all the branching lives here, the caller then
 * performs the side effects the outcome names.
 */
export function determineOutcome(input: OutcomeInput): MatchOutcome {
  const { comparison, updateMode, ci } = input;
  if (comparison === undefined) {
    if (updateMode === "none" || ci) return { kind: "missing-golden", ci, actual: input.actual };
    return input.writtenInThisRunBy === undefined
      ? { kind: "golden-written", actual: input.actual }
      : { kind: "golden-conflict", comparison, writtenBy: input.writtenInThisRunBy };
  }
  if (comparison.kind === "identical" || (comparison.kind === "compared" && comparison.pass)) {
    return { kind: "matched", comparison };
  }
  if (updateMode === "all" && !ci) {
    return input.writtenInThisRunBy === undefined
      ? { kind: "golden-updated", comparison }
      : { kind: "golden-conflict", comparison, writtenBy: input.writtenInThisRunBy };
  }
  switch (comparison.kind) {
    case "kind-mismatch":
      return { kind: "kind-mismatch", comparison };
    case "facts-mismatch":
      return { kind: "facts-mismatch", comparison };
    default:
      return { kind: "mismatch", comparison };
  }
}
