import { readPngStructure, samePngPixelStream } from "@comfy-ts/core/png";
import { decodeOutput } from "../outputs/decode-output.js";
import { type DecodedOutput, type FactDifference, factDifferences } from "../outputs/decoded-output.js";
import type { Classified, GoldenKind } from "../outputs/output-kind.js";
import type { UnitVerdict } from "./comparator.js";
import type { ResolvedChoice } from "./comparator-choice.js";
import type { Samples, SampleType } from "./samples.js";

/** One side of a comparison: the file's bytes, where they came from (for messages), its class. */
export interface OutputInput {
  readonly bytes: Uint8Array;
  /** A file path or label, named in decode errors. */
  readonly source: string;
  readonly classified: Classified;
  /** The same bytes decoded earlier (a cached golden): skips decoding. */
  readonly decoded?: DecodedOutput | undefined;
}

export interface UnitResult {
  readonly label: string;
  readonly verdict: UnitVerdict;
}

/** How a comparison ended. Pure data: nothing is written. */
export type Comparison =
  | {
      readonly kind: "identical";
      /** Which proof: same file bytes, same compressed PNG pixel stream, or same decoded samples. */
      readonly via: "bytes" | "pixel-stream" | "samples";
      /** The decoded sides, when decoding was needed to prove it. */
      readonly expected: DecodedOutput | undefined;
      readonly actual: DecodedOutput | undefined;
    }
  | { readonly kind: "kind-mismatch"; readonly expected: Classified; readonly actual: Classified }
  | {
      readonly kind: "facts-mismatch";
      readonly differences: readonly FactDifference[];
      readonly expected: DecodedOutput;
      readonly actual: DecodedOutput;
    }
  | {
      readonly kind: "compared";
      readonly pass: boolean;
      readonly choice: ResolvedChoice;
      /** Every unit's verdict, in order (frames, tensors …). */
      readonly units: readonly UnitResult[];
      readonly expected: DecodedOutput;
      readonly actual: DecodedOutput;
    };

/** The sample type the units of each kind have. */
export const SAMPLE_TYPE: Readonly<Record<GoldenKind, SampleType>> = {
  image: "raster",
  animation: "raster",
  video: "raster",
  audio: "signal",
  latent: "tensor",
  text: "text",
};

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    a.byteLength === b.byteLength &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

/** Identical samples, compared as bytes (NaN payloads of tensors included). */
export function sameSamples(a: Samples, b: Samples): boolean {
  if (a.type === "raster" && b.type === "raster") return sameBytes(a.data, b.data);
  if (a.type === "signal" && b.type === "signal") {
    return (
      a.channels.length === b.channels.length && a.channels.every((c, i) => sameBytes(c, b.channels[i]!))
    );
  }
  if (a.type === "tensor" && b.type === "tensor") return sameBytes(a.values, b.values);
  if (a.type === "text" && b.type === "text") return a.text === b.text;
  return false;
}

/**
 * Compares two outputs, cheapest proof first: identical bytes, the kind, (PNG) identical compressed
 * pixel streams — metadata such as ComfyUI's embedded prompt may differ —, the facts (size, frames, fps,
 * sample rate, shape …), identical decoded samples, and only then the comparator, unit by unit. Both
 * sides are always validated: a corrupt file throws its decoder's typed error naming it.
 */
export async function compareOutputs(
  expected: OutputInput,
  actual: OutputInput,
  choice: ResolvedChoice,
): Promise<Comparison> {
  if (sameBytes(expected.bytes, actual.bytes)) {
    // Still decode: identical garbage must not pass as a match.
    const decoded =
      expected.classified.format === "png"
        ? undefined
        : (expected.decoded ?? (await decodeOutput(expected.bytes, expected.classified, expected.source)));
    if (!decoded) readPngStructure(expected.bytes, { source: expected.source });
    return { kind: "identical", via: "bytes", expected: decoded, actual: decoded };
  }
  if (expected.classified.kind !== actual.classified.kind) {
    return { kind: "kind-mismatch", expected: expected.classified, actual: actual.classified };
  }
  let pngs:
    | { expected: ReturnType<typeof readPngStructure>; actual: ReturnType<typeof readPngStructure> }
    | undefined;
  if (expected.classified.format === "png" && actual.classified.format === "png") {
    pngs = {
      expected: readPngStructure(expected.bytes, { source: expected.source }),
      actual: readPngStructure(actual.bytes, { source: actual.source }),
    };
    // Same header, palette and compressed stream (CRC-checked): same pixels, whatever the metadata says.
    if (samePngPixelStream(pngs.expected, pngs.actual)) {
      return { kind: "identical", via: "pixel-stream", expected: undefined, actual: undefined };
    }
  }
  const [e, a] = await Promise.all([
    expected.decoded ?? decodeOutput(expected.bytes, expected.classified, expected.source, pngs?.expected),
    actual.decoded ?? decodeOutput(actual.bytes, actual.classified, actual.source, pngs?.actual),
  ]);
  const differences = factDifferences(e.facts, a.facts);
  if (differences.length > 0 || e.units.length !== a.units.length) {
    return { kind: "facts-mismatch", differences, expected: e, actual: a };
  }
  if (e.units.every((unit, i) => sameSamples(unit.samples, a.units[i]!.samples))) {
    return { kind: "identical", via: "samples", expected: e, actual: a };
  }
  const units = e.units.map((unit, i) => ({
    label: unit.label,
    verdict: choice.comparator.compare(unit.samples, a.units[i]!.samples, choice.options),
  }));
  return {
    kind: "compared",
    pass: units.every((u) => u.verdict.pass),
    choice,
    units,
    expected: e,
    actual: a,
  };
}
