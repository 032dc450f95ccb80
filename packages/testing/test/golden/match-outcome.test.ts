import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import {
  type Comparison,
  compareOutputs,
  determineOutcome,
  encodePng,
  isPassing,
  type MatchOutcomeKind,
  PngDecodeError,
  resolveTolerance,
  type UpdateMode,
} from "../../src/index.js";
import { classifyOutput } from "../../src/outputs/output-kind.js";

const base = noiseImage(64, 64, 3, true);
const golden = encodePng(base);
const same = encodePng(base, { compressLevel: 9 }); // other bytes, same pixels
const changed3 = encodePng(withChangedPixels(base, 3));
const resized = encodePng(noiseImage(64, 32, 3, true));
const input = (bytes: Uint8Array, source: string) => ({
  bytes,
  source,
  classified: classifyOutput({ bytes }, source),
});
const choice = (test?: object) =>
  resolveTolerance({
    kind: "image",
    format: "png",
    project: undefined,
    environment: undefined,
    environmentKey: undefined,
    test: test as never,
  });
const pngClass = input(golden, "x").classified;

async function comparison(goldenBytes: Uint8Array | undefined, actual: Uint8Array, test?: object) {
  return goldenBytes
    ? compareOutputs(input(goldenBytes, "golden.png"), input(actual, "actual"), choice(test))
    : undefined;
}

type Case = [
  label: string,
  want: MatchOutcomeKind,
  golden: Uint8Array | undefined,
  actual: Uint8Array,
  mode: UpdateMode,
  ci: boolean,
];

const threePixels = { comparator: "channel-delta", maxExceeding: 12 };

describe("determineOutcome", () => {
  it.each<Case>([
    ["no golden, no update", "missing-golden", undefined, same, "none", false],
    ["no golden, CI, even with update all", "missing-golden", undefined, same, "all", true],
    ["no golden, update new", "golden-written", undefined, same, "new", false],
    ["no golden, update all", "golden-written", undefined, same, "all", false],
    ["same bytes", "matched", golden, golden, "none", false],
    ["same pixels, other bytes", "matched", golden, same, "none", false],
    ["3 px changed, 12 samples allowed", "matched", golden, changed3, "none", false],
    ["3 px changed, 12 samples allowed, update all keeps golden", "matched", golden, changed3, "all", false],
    ["size changed", "facts-mismatch", golden, resized, "none", false],
    ["size changed, update new", "facts-mismatch", golden, resized, "new", false],
    ["size changed, update all", "golden-updated", golden, resized, "all", false],
    ["size changed, CI with update all", "facts-mismatch", golden, resized, "all", true],
  ])("%s → %s", async (_label, want, goldenBytes, actual, updateMode, ci) => {
    const outcome = determineOutcome({
      comparison: await comparison(goldenBytes, actual, threePixels),
      actual: pngClass,
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
  ])("3 px changed under the strict default, update %s, CI %s → %s", async (updateMode, ci, want) => {
    const compared = (await comparison(golden, changed3)) as Comparison;
    const outcome = determineOutcome({ comparison: compared, actual: pngClass, updateMode, ci });
    expect(outcome.kind).toBe(want);
    if (outcome.kind === "mismatch") {
      expect(outcome.comparison.units[0]!.verdict.metrics.differingSamples).toBeGreaterThanOrEqual(3);
      expect(outcome.comparison.choice.comparator.name).toBe("exact");
    }
    expect(isPassing(outcome)).toBe(want !== "mismatch");
  });

  it("a golden another test wrote in this run with other content is a conflict, never silently replaced", async () => {
    const compared = (await comparison(golden, changed3)) as Comparison;
    const args = { comparison: compared, actual: pngClass, updateMode: "all" as const, ci: false };
    expect(determineOutcome({ ...args, writtenInThisRunBy: "suite > first" })).toMatchObject({
      kind: "golden-conflict",
      writtenBy: "suite > first",
    });
    expect(
      determineOutcome({ ...args, comparison: undefined, writtenInThisRunBy: "suite > first" }).kind,
    ).toBe("golden-conflict");
  });

  it("never matches a corrupt golden, even against identical bytes", async () => {
    const corrupt = new Uint8Array(golden);
    corrupt[40] = corrupt[40]! ^ 1;
    await expect(
      compareOutputs(input(corrupt, "test/__goldens__/a.test.ts/x.png"), input(corrupt, "actual"), choice()),
    ).rejects.toThrow(/cannot decode PNG test\/__goldens__\/a\.test\.ts\/x\.png: corrupt: CRC mismatch/);
    await expect(
      compareOutputs(input(golden, "g"), input(golden.subarray(0, 100), "actual"), choice()),
    ).rejects.toThrow(PngDecodeError);
  });

  it("a header claiming 100000×100000 over 64×48 data is corrupt, not a size change", async () => {
    const lying = Buffer.from(encodePng(noiseImage(64, 48, 1)));
    lying.writeUInt32BE(100000, 16);
    lying.writeUInt32BE(100000, 20);
    const { crc32 } = await import("node:zlib");
    lying.writeUInt32BE(crc32(lying.subarray(12, 29)), 29);
    await expect(
      compareOutputs(
        input(lying, "goldens/huge.png"),
        input(encodePng(noiseImage(64, 48, 2)), "actual"),
        choice(),
      ),
    ).rejects.toThrow(/goldens\/huge\.png: truncated image data: the header says 100000×100000/);
  });
});
