import {
  decodePng,
  type PngStructure,
  type RgbaImage,
  readPngStructure,
  samePngPixelStream,
} from "@comfy-ts/core/png";
import pixelmatch from "pixelmatch";
import { allowedDiffPixels, type CompareOptions } from "./compare-options.js";

/** One side of a comparison: PNG bytes, where they came from (for messages), and pixels if already decoded. */
export interface PngInput {
  readonly bytes: Uint8Array;
  /** A file path or label, named in decode errors. */
  readonly source: string;
  /** Pixels decoded earlier from the same bytes (e.g. a cached golden): skips decoding. */
  readonly decoded?: RgbaImage | undefined;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** How a comparison ended. Pure data: no files are written by `compareImages`. */
export type Comparison =
  | {
      readonly kind: "identical";
      /** Which fast path proved it: same file bytes, same compressed pixel stream, or same decoded RGBA. */
      readonly via: "bytes" | "pixel-stream" | "pixels";
      readonly size: Size;
    }
  | { readonly kind: "size-mismatch"; readonly expected: Size; readonly actual: Size }
  | {
      readonly kind: "compared";
      readonly size: Size;
      readonly diffPixels: number;
      /** diffPixels / area. */
      readonly diffRatio: number;
      /** Differing pixels allowed by the options for this area. */
      readonly allowedDiffPixels: number;
      readonly pass: boolean;
      readonly expected: RgbaImage;
      readonly actual: RgbaImage;
    };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.byteLength === b.byteLength &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

function sizeOf(chunks: PngStructure): Size {
  return { width: chunks.header.width, height: chunks.header.height };
}

/** Reads both inputs' chunks and settles what needs no pixels: identical bytes or stream, size change. */
function precheck(
  expected: PngInput,
  actual: PngInput,
):
  | { settled: Comparison }
  | { settled: undefined; expectedChunks: PngStructure; actualChunks: PngStructure } {
  if (sameBytes(expected.bytes, actual.bytes)) {
    // Still parse: identical garbage must not pass as a match.
    return {
      settled: {
        kind: "identical",
        via: "bytes",
        size: sizeOf(readPngStructure(expected.bytes, { source: expected.source })),
      },
    };
  }
  const expectedChunks = readPngStructure(expected.bytes, { source: expected.source });
  const actualChunks = readPngStructure(actual.bytes, { source: actual.source });
  const expectedSize = sizeOf(expectedChunks);
  const actualSize = sizeOf(actualChunks);
  if (expectedSize.width !== actualSize.width || expectedSize.height !== actualSize.height) {
    return { settled: { kind: "size-mismatch", expected: expectedSize, actual: actualSize } };
  }
  // Same header, palette and compressed stream (CRC-checked): same pixels, whatever the metadata says.
  if (samePngPixelStream(expectedChunks, actualChunks)) {
    return { settled: { kind: "identical", via: "pixel-stream", size: actualSize } };
  }
  return { settled: undefined, expectedChunks, actualChunks };
}

/**
 * Compares two PNGs by their pixels, cheapest proof first: identical bytes, then dimensions, then
 * identical compressed pixel streams (metadata such as ComfyUI's embedded prompt may differ), then
 * decoded RGBA, and only then pixelmatch. Every chunk CRC of both inputs is checked before a verdict.
 * Throws `PngDecodeError` naming the file for a corrupt input.
 */
export function compareImages(expected: PngInput, actual: PngInput, options: CompareOptions): Comparison {
  const pre = precheck(expected, actual);
  if (pre.settled) return pre.settled;
  const expectedImage =
    expected.decoded ?? decodePng(pre.expectedChunks, { source: expected.source }).toRgba();
  const actualImage = actual.decoded ?? decodePng(pre.actualChunks, { source: actual.source }).toRgba();
  return comparePixels(expectedImage, actualImage, options);
}

/** Compares decoded images of equal size: identical RGBA fast path, else pixelmatch (count only). */
export function comparePixels(expected: RgbaImage, actual: RgbaImage, options: CompareOptions): Comparison {
  const size = { width: expected.width, height: expected.height };
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return { kind: "size-mismatch", expected: size, actual: { width: actual.width, height: actual.height } };
  }
  if (sameBytes(expected.data, actual.data)) return { kind: "identical", via: "pixels", size };
  const diffPixels = pixelmatch(expected.data, actual.data, undefined, size.width, size.height, {
    threshold: options.threshold,
    includeAA: options.includeAA,
  });
  const area = size.width * size.height;
  const allowed = allowedDiffPixels(options, area);
  return {
    kind: "compared",
    size,
    diffPixels,
    diffRatio: diffPixels / area,
    allowedDiffPixels: allowed,
    pass: diffPixels <= allowed,
    expected,
    actual,
  };
}

/**
 * pixelmatch's diff picture of a comparison: differing pixels red over a faded copy of the expected
 * image. Drawn only when wanted (it costs as much as the count itself).
 */
export function renderDiffImage(
  comparison: Extract<Comparison, { kind: "compared" }>,
  options: CompareOptions,
): RgbaImage {
  const { expected, actual, size } = comparison;
  const diff = new Uint8Array(expected.data.length);
  pixelmatch(expected.data, actual.data, diff, size.width, size.height, {
    threshold: options.threshold,
    includeAA: options.includeAA,
  });
  return { width: size.width, height: size.height, data: diff };
}
