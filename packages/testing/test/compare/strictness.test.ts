// The defaults are strict: every visible (and invisible) change fails; a configured tolerance admits
// exactly what it says. Checked through compareOutputs, the path toMatchGolden takes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import {
  type Comparison,
  compareOutputs,
  type DecodedOutput,
  decodePng,
  encodePng,
  GoldenOptionsError,
  type OutputInput,
  resolveTolerance,
  type Samples,
  type ToleranceTable,
} from "../../src/index.js";
import { classifyOutput } from "../../src/outputs/output-kind.js";

const poster = readFileSync(join(repoRoot, "examples/test/__goldens__/demo-poster.test.ts/poster.png"));
// The poster is RGB, as SaveImage writes it; edits keep its layout.
const decodedPoster = decodePng(poster);
const posterRgb = {
  width: decodedPoster.width,
  height: decodedPoster.height,
  data: new Uint8Array(decodedPoster.samples),
};

function png(
  data: Uint8Array,
  width = posterRgb.width,
  height = posterRgb.height,
  text?: [string, string][],
) {
  return encodePng({ width, height, data, channels: 3 }, { ...(text ? { text } : {}) });
}
function shifted(by: number): Uint8Array {
  return posterRgb.data.map((v) => Math.min(255, v + by));
}
const input = (bytes: Uint8Array, source: string): OutputInput => ({
  bytes,
  source,
  classified: classifyOutput({ bytes }, source),
});

async function compare(
  expected: Uint8Array,
  actual: Uint8Array,
  table?: ToleranceTable,
): Promise<Comparison> {
  const e = input(expected, "golden");
  const choice = resolveTolerance({
    kind: e.classified.kind,
    format: e.classified.format,
    project: table,
    environment: undefined,
    environmentKey: undefined,
    test: undefined,
  });
  return compareOutputs(e, input(actual, "actual"), choice);
}
const passes = (c: Comparison) => c.kind === "identical" || (c.kind === "compared" && c.pass);

/** Hand-made decoded outputs, for kinds whose encoders are not under test here. */
function decoded(
  kind: DecodedOutput["kind"],
  format: DecodedOutput["format"],
  units: Samples[],
): DecodedOutput {
  return {
    kind,
    format,
    facts: [{ name: "units", value: units.length }],
    units: units.map((samples, i) => ({ label: `frame ${i}`, samples })),
  };
}
const frame = (value: number): Samples => {
  const data = new Uint8Array(8 * 8 * 3).fill(value);
  return {
    type: "raster",
    width: 8,
    height: 8,
    channels: 3,
    maxValue: 255,
    data,
    rgba: () => new Uint8Array(8 * 8 * 4),
  };
};

describe("strict defaults: each of these fails", () => {
  const gray = new Uint8Array(64 * 64 * 3).fill(128);
  const grayBlue = gray.map((v, i) => (i % 3 === 2 ? 188 : v));
  const onePixel = new Uint8Array(posterRgb.data);
  onePixel[0] = onePixel[0]! ^ 1;
  it.each([
    ["+1 on every channel", poster, png(shifted(1))],
    ["+5 on every channel", poster, png(shifted(5))],
    ["+26 on every channel (pixelmatch's 0.1 let this through)", poster, png(shifted(26))],
    ["one changed pixel", poster, png(onePixel)],
    ["blue-only +60 on flat gray", png(gray, 64, 64), png(grayBlue, 64, 64)],
  ])("%s", async (_label, expected, actual) => {
    const result = await compare(expected, actual);
    expect(result.kind).toBe("compared");
    expect(passes(result)).toBe(false);
  });

  it("one changed frame of an animation, naming the frame", async () => {
    const frames = [frame(10), frame(20), frame(30)];
    const changed = [frame(10), frame(21), frame(30)];
    const choice = resolveTolerance({
      kind: "animation",
      format: "webp",
      project: undefined,
      environment: undefined,
      environmentKey: undefined,
      test: undefined,
    });
    const result = await compareOutputs(
      {
        bytes: Uint8Array.of(1),
        source: "golden",
        classified: { kind: "animation", format: "webp", extension: "webp" },
        decoded: decoded("animation", "webp", frames),
      },
      {
        bytes: Uint8Array.of(2),
        source: "actual",
        classified: { kind: "animation", format: "webp", extension: "webp" },
        decoded: decoded("animation", "webp", changed),
      },
      choice,
    );
    expect(result.kind === "compared" && !result.pass).toBe(true);
    if (result.kind !== "compared") return;
    expect(result.units.map((u) => u.verdict.pass)).toEqual([true, false, true]);
    expect(result.units[1]!.verdict.summary).toContain("max |Δ| 1");
  });

  it("one changed audio sample of a FLAC, naming the sample", async () => {
    const left = Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i / 10) * 0.5);
    const right = left.map((v) => -v);
    const edited = new Float32Array(left);
    edited[1200] = edited[1200]! + 1 / 32768;
    const audio = (l: Float32Array): DecodedOutput => ({
      kind: "audio",
      format: "flac",
      facts: [{ name: "sample rate", value: 48000 }],
      units: [{ label: "", samples: { type: "signal", sampleRate: 48000, channels: [l, right] } }],
    });
    const classified = { kind: "audio", format: "flac", extension: "flac" } as const;
    const choice = resolveTolerance({
      kind: "audio",
      format: "flac",
      project: undefined,
      environment: undefined,
      environmentKey: undefined,
      test: undefined,
    });
    const result = await compareOutputs(
      { bytes: Uint8Array.of(1), source: "golden", classified, decoded: audio(left) },
      { bytes: Uint8Array.of(2), source: "actual", classified, decoded: audio(edited) },
      choice,
    );
    expect(result.kind === "compared" && !result.pass).toBe(true);
    if (result.kind === "compared")
      expect(result.units[0]!.verdict.summary).toMatch(/channel 0, sample 1200 \(0\.0250 s\)/);
  });
});

describe("what passes under the defaults", () => {
  it("identical pixels with other metadata and compression", async () => {
    const other = encodePng(
      { ...posterRgb, channels: 3 },
      { compressLevel: 9, filter: "up", text: [["prompt", '{"1": {}}']] },
    );
    const result = await compare(poster, other);
    expect(result).toMatchObject({ kind: "identical", via: "samples" });
  });
  it("the same file, and the same compressed pixels with other text chunks", async () => {
    expect(await compare(poster, poster)).toMatchObject({ kind: "identical", via: "bytes" });
    const a = png(posterRgb.data, undefined, undefined, [["prompt", "a"]]);
    const b = png(posterRgb.data, undefined, undefined, [["prompt", "b"]]);
    expect(await compare(a, b)).toMatchObject({ kind: "identical", via: "pixel-stream" });
  });
});

describe("a configured tolerance admits exactly what it says", () => {
  it.each([
    [{ image: { comparator: "channel-delta", maxDelta: 5 } }, 5, 6],
    [{ image: { comparator: "channel-delta", maxDelta: 0, maxExceeding: 3 * 512 * 512 } }, 255, undefined],
  ] as const)("%j", async (table, admitted, rejected) => {
    expect(passes(await compare(poster, png(shifted(admitted)), table as ToleranceTable))).toBe(true);
    if (rejected !== undefined)
      expect(passes(await compare(poster, png(shifted(rejected)), table as ToleranceTable))).toBe(false);
  });

  it("maxExceeding counts samples: 3 samples of one pixel allowed, a fourth not", async () => {
    const three = new Uint8Array(posterRgb.data);
    for (const i of [0, 1, 2]) three[i] = three[i]! ^ 0x80;
    const four = new Uint8Array(three);
    four[3] = four[3]! ^ 0x80;
    const table: ToleranceTable = { image: { comparator: "channel-delta", maxDelta: 0, maxExceeding: 3 } };
    expect(passes(await compare(poster, png(three), table))).toBe(true);
    expect(passes(await compare(poster, png(four), table))).toBe(false);
  });

  it("pixelmatch's own threshold still lets +26 through — it is never a default", async () => {
    const table: ToleranceTable = { image: { comparator: "pixelmatch" } };
    expect(passes(await compare(poster, png(shifted(26)), table))).toBe(true);
    expect(passes(await compare(poster, png(shifted(30)), table))).toBe(false);
  });

  it("psnr: +1 is 48.1 dB, +5 is 34.2 dB", async () => {
    const table: ToleranceTable = { image: { comparator: "psnr", minDb: 40 } };
    expect(passes(await compare(poster, png(shifted(1)), table))).toBe(true);
    expect(passes(await compare(poster, png(shifted(5)), table))).toBe(false);
  });
});

describe("options are validated eagerly, naming the option", () => {
  const resolve = (test: unknown) =>
    resolveTolerance({
      kind: "image",
      format: "png",
      project: undefined,
      environment: undefined,
      environmentKey: undefined,
      test: test as never,
    });
  it.each([
    [
      { comparator: "pixelmatch", threshold: 1.5 },
      "threshold",
      '`threshold` option of comparator "pixelmatch" must be a number between 0 and 1, got 1.5',
    ],
    [
      { comparator: "pixelmatch", maxDiffPixels: 1.5 },
      "maxDiffPixels",
      '`maxDiffPixels` option of comparator "pixelmatch" must be an integer ≥ 0, got 1.5',
    ],
    [
      { comparator: "channel-delta", maxDelta: "2" },
      "maxDelta",
      '`maxDelta` option of comparator "channel-delta" must be a number, got "2"',
    ],
    [
      { comparator: "pixelmatch", includeAA: "yes" },
      "includeAA",
      '`includeAA` option of comparator "pixelmatch" must be a boolean, got "yes"',
    ],
    [
      { comparator: "pixelmatch", treshold: 0.2 },
      "treshold",
      'unknown option `treshold` for comparator "pixelmatch" (its options: threshold, maxDiffPixels, maxDiffPixelRatio, includeAA)',
    ],
    [{ maxDelta: 2 }, "maxDelta", 'unknown option `maxDelta` for comparator "exact" (it takes no options)'],
    [
      { comparator: "fuzzy" },
      "comparator",
      /unknown comparator "fuzzy" \(known: exact, channel-delta, pixelmatch, ssim, psnr, snr, allclose, normalized-text/,
    ],
    [
      { comparator: "snr" },
      "comparator",
      'comparator "snr" cannot compare image outputs (it compares signal samples; image outputs are raster)',
    ],
  ])("rejects %j", (options, option, message) => {
    let error: unknown;
    try {
      resolve(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GoldenOptionsError);
    expect((error as GoldenOptionsError).option).toBe(option);
    if (typeof message === "string") expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });
});
