import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_COMPARE_OPTIONS,
  determineOutcome,
  encodePng,
  isPassing,
  type MatchOutcomeKind,
  PngDecodeError,
  type UpdateMode,
} from "../../src/index.js";

const base = noiseImage(64, 64, 3, true);
const golden = encodePng(base);
const same = encodePng(base, { compressLevel: 9 }); // other bytes, same pixels
const changed3 = encodePng(withChangedPixels(base, 3));
const resized = encodePng(noiseImage(64, 32, 3, true));

type Case = [
  label: string,
  want: MatchOutcomeKind,
  golden: Uint8Array | undefined,
  actual: Uint8Array,
  mode: UpdateMode,
  ci: boolean,
];

const options = { ...DEFAULT_COMPARE_OPTIONS, maxDiffPixels: 5 };
const strict = DEFAULT_COMPARE_OPTIONS;

describe("determineOutcome", () => {
  it.each<Case>([
    ["no golden, no update", "missing-golden", undefined, same, "none", false],
    ["no golden, CI, even with update all", "missing-golden", undefined, same, "all", true],
    ["no golden, update new", "golden-written", undefined, same, "new", false],
    ["no golden, update all", "golden-written", undefined, same, "all", false],
    ["same bytes", "matched", golden, golden, "none", false],
    ["same pixels, other bytes", "matched", golden, same, "none", false],
    ["3 px changed, 5 allowed", "matched", golden, changed3, "none", false],
    ["3 px changed, 5 allowed, update all keeps golden", "matched", golden, changed3, "all", false],
    ["size changed", "size-mismatch", golden, resized, "none", false],
    ["size changed, update new", "size-mismatch", golden, resized, "new", false],
    ["size changed, update all", "golden-updated", golden, resized, "all", false],
    ["size changed, CI with update all", "size-mismatch", golden, resized, "all", true],
  ])("%s → %s", (_label, want, goldenBytes, actual, updateMode, ci) => {
    const outcome = determineOutcome({
      golden: goldenBytes ? { bytes: goldenBytes, source: "golden.png" } : undefined,
      actual: { bytes: actual, source: "actual" },
      options,
      updateMode,
      ci,
    });
    expect(outcome.kind).toBe(want);
  });

  it.each<[UpdateMode, boolean, MatchOutcomeKind]>([
    ["none", false, "mismatch"],
    ["new", false, "mismatch"],
    ["all", false, "golden-updated"],
    ["all", true, "mismatch"],
  ])("3 px changed with no tolerance, update %s, CI %s → %s", (updateMode, ci, want) => {
    const outcome = determineOutcome({
      golden: { bytes: golden, source: "golden.png" },
      actual: { bytes: changed3, source: "actual" },
      options: strict,
      updateMode,
      ci,
    });
    expect(outcome.kind).toBe(want);
    if (outcome.kind === "mismatch") {
      expect(outcome.comparison.diffPixels).toBe(3);
      expect(outcome.comparison.allowedDiffPixels).toBe(0);
    }
    expect(isPassing(outcome)).toBe(want !== "mismatch");
  });

  it("never accepts a corrupt actual image as a new golden", () => {
    expect(() =>
      determineOutcome({
        golden: undefined,
        actual: { bytes: golden.subarray(0, 100), source: "actual image" },
        options,
        updateMode: "all",
        ci: false,
      }),
    ).toThrow(PngDecodeError);
  });

  it("never matches a corrupt golden, even against identical bytes", () => {
    const corrupt = new Uint8Array(golden);
    corrupt[40] = corrupt[40]! ^ 1;
    expect(() =>
      determineOutcome({
        golden: { bytes: corrupt, source: "test/__goldens__/a.test.ts/x.png" },
        actual: { bytes: corrupt, source: "actual" },
        options,
        updateMode: "none",
        ci: false,
      }),
    ).toThrow(/cannot decode PNG test\/__goldens__\/a\.test\.ts\/x\.png: corrupt: CRC mismatch/);
  });
});
