import {
  decodePng,
  PngDecodeError,
  type PngHeader,
  type PngStructure,
  pngChunkCrcMatches,
  pngChunks,
  readPngStructure,
} from "@comfy-ts/core/png";
import type { DecodedImage, ImageFrame, SampleLayout } from "./decoded-image.js";
import { corruptImage } from "./image-errors.js";
import { checkCanvas } from "./limits.js";

// Pixel data is decoded by core's one PNG decoder (`decodePng`); this file adds what it leaves to its
// users: APNG frames (libvips reads none) composited as PIL does, and the layout decodeImage reports.

/** One APNG frame control (`fcTL`), or the whole canvas for a still PNG. */
interface FrameControl {
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
  readonly durationMs: number | undefined;
  /** 0 none, 1 background, 2 previous. */
  readonly dispose: number;
  /** 0 source, 1 over. */
  readonly blend: number;
}

interface FrameData {
  readonly control: FrameControl;
  readonly parts: Uint8Array[];
}

interface Animation {
  readonly plays: number;
  /** True when the first fcTL precedes IDAT: the default image is the first frame. */
  readonly idatIsFirstFrame: boolean;
  readonly frames: FrameData[];
}

/**
 * Decodes a PNG or APNG. Samples keep the file's bit depth for 8/16-bit images; 1/2/4-bit gray
 * is scaled to 8 bits (as PIL's "L" mode does); palettes are expanded; a `tRNS` colour key becomes
 * an alpha channel. APNG frames are composited as PIL's `PngImageFile.seek` does (see `composite`).
 */
export function decodePngImage(bytes: Uint8Array, source: string, maxPixels: number): DecodedImage {
  const structure = pngCall(() => readPngStructure(bytes, { source }));
  const { header } = structure;
  checkCanvas(source, header.width, header.height, maxPixels);
  const animation = readAnimation(bytes, header, source);
  const layout = outputLayout(header, structure.trns);
  const channels = layoutChannels(layout);
  const bitDepth = header.bitDepth === 16 ? 16 : 8;
  const decodeFrame = (control: FrameControl, parts: readonly Uint8Array[]) => {
    const png = pngCall(() =>
      decodePng(
        {
          ...structure,
          header: { ...header, width: control.width, height: control.height },
          idat: parts,
          idatLength: parts.reduce((n, p) => n + p.length, 0),
        },
        { source },
      ),
    );
    return expandSamples(png.samples, header, layout, structure.plte, structure.trns);
  };
  const base = { width: header.width, height: header.height, layout, channels, bitDepth } as const;
  const whole: FrameControl = { ...base, x: 0, y: 0, durationMs: undefined, dispose: 0, blend: 0 };
  if (!animation) return { format: "png", ...base, frames: [{ data: decodeFrame(whole, structure.idat) }] };
  // PIL shows a default image (IDAT outside the animation) as frame 0, then the animation frames.
  const sequence: FrameData[] = animation.idatIsFirstFrame
    ? animation.frames.map((f, i) => (i === 0 ? { control: f.control, parts: [...structure.idat] } : f))
    : [{ control: whole, parts: [...structure.idat] }, ...animation.frames];
  const decoded = sequence.map((f) => ({ control: f.control, samples: decodeFrame(f.control, f.parts) }));
  return {
    format: "apng",
    ...base,
    frames: composite(decoded, header.width, header.height, channels, bitDepth, layout),
    loop: animation.plays,
  };
}

function pngCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PngDecodeError) throw corruptImage(error.source, error.reason, error);
    throw error;
  }
}

const u32 = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** The APNG chunks (`acTL`, `fcTL`, `fdAT`) core's reader leaves aside; undefined for a still PNG. */
function readAnimation(bytes: Uint8Array, header: PngHeader, source: string): Animation | undefined {
  let plays: number | undefined;
  let idatIsFirstFrame = false;
  let sawIdat = false;
  const frames: FrameData[] = [];
  for (const chunk of pngChunks(bytes)) {
    const { type, data } = chunk;
    if (type === "IEND") break;
    if (type === "IDAT") sawIdat = true;
    if (type !== "acTL" && type !== "fcTL" && type !== "fdAT") continue;
    if (!pngChunkCrcMatches(bytes, chunk)) {
      throw corruptImage(source, `corrupt: CRC mismatch in chunk ${type} at byte ${chunk.offset}`);
    }
    if (type === "acTL") {
      if (data.length >= 8) plays = u32(data, 4);
    } else if (type === "fcTL") {
      if (data.length < 26)
        throw corruptImage(source, `corrupt: fcTL chunk at byte ${chunk.offset} is shorter than 26 bytes`);
      const control = readFrameControl(data);
      if (control.x + control.width > header.width || control.y + control.height > header.height) {
        throw corruptImage(
          source,
          `corrupt: APNG frame ${frames.length} lies outside the ${header.width}×${header.height} canvas`,
        );
      }
      if (!sawIdat && frames.length === 0) idatIsFirstFrame = true;
      frames.push({ control, parts: [] });
    } else {
      const frame = frames.at(-1);
      if (!frame)
        throw corruptImage(source, `corrupt: fdAT chunk at byte ${chunk.offset} comes before any fcTL`);
      frame.parts.push(data.subarray(4));
    }
  }
  if (plays === undefined || frames.length === 0) return undefined;
  return { plays, idatIsFirstFrame, frames };
}

function readFrameControl(d: Uint8Array): FrameControl {
  const num = u16(d, 20);
  const den = u16(d, 22) || 100;
  return {
    width: u32(d, 4),
    height: u32(d, 8),
    x: u32(d, 12),
    y: u32(d, 16),
    durationMs: (num / den) * 1000,
    dispose: d[24]!,
    blend: d[25]!,
  };
}

function outputLayout(header: PngHeader, trns: Uint8Array | undefined): SampleLayout {
  switch (header.colorType) {
    case 0:
      return trns ? "gray-alpha" : "gray";
    case 2:
    case 3:
      return trns ? "rgba" : "rgb";
    case 4:
      return "gray-alpha";
    default:
      return "rgba";
  }
}

function layoutChannels(layout: SampleLayout): 1 | 2 | 3 | 4 {
  return layout === "gray" ? 1 : layout === "gray-alpha" ? 2 : layout === "rgb" ? 3 : 4;
}

/**
 * Native samples (palette indices, unscaled sub-byte gray) into `layout`: palettes expanded (entries
 * past a short palette are PIL's grey ramp), 1/2/4-bit gray scaled to 0–255, a colour key as alpha.
 */
function expandSamples(
  samples: Uint8Array | Uint16Array,
  header: PngHeader,
  layout: SampleLayout,
  plte: Uint8Array | undefined,
  trns: Uint8Array | undefined,
): Uint8Array | Uint16Array {
  const { bitDepth, colorType } = header;
  const stored = colorType === 2 ? 3 : colorType === 4 ? 2 : colorType === 6 ? 4 : 1;
  const out = layoutChannels(layout);
  if (stored === out && colorType !== 3 && bitDepth >= 8) return samples;
  const pixels = samples.length / stored;
  const result = bitDepth === 16 ? new Uint16Array(pixels * out) : new Uint8Array(pixels * out);
  const opaque = bitDepth === 16 ? 0xffff : 255;
  const key =
    trns && (colorType === 0 || colorType === 2)
      ? Array.from({ length: stored }, (_, i) => u16(trns, i * 2))
      : undefined;
  for (let p = 0; p < pixels; p++) {
    const s = p * stored;
    const o = p * out;
    if (colorType === 3) {
      const v = samples[s]!;
      result[o] = plte?.[v * 3] ?? v;
      result[o + 1] = plte?.[v * 3 + 1] ?? v;
      result[o + 2] = plte?.[v * 3 + 2] ?? v;
      if (out === 4) result[o + 3] = trns?.[v] ?? 255;
      continue;
    }
    let keyed = key !== undefined;
    for (let c = 0; c < stored; c++) {
      const v = samples[s + c]!;
      if (key && v !== key[c]) keyed = false;
      result[o + c] = bitDepth < 8 ? Math.round((v * 255) / ((1 << bitDepth) - 1)) : v;
    }
    if (key) result[o + stored] = keyed ? 0 : opaque;
  }
  return result;
}

/**
 * Composites APNG frames as Pillow 9.4 does: each frame's region is written over the canvas left by
 * the previous frame's disposal (none / background = zeros / previous = the canvas before it), and
 * `blend_op` OVER pastes it with its own alpha as mask, every channel (alpha too) mixed as
 * `(dst·(255−a) + src·a) / 255` with PIL's rounding (the 16-bit analogue for 16-bit files). A
 * first frame that disposes to "previous" disposes to background.
 */
function composite(
  decoded: ReadonlyArray<{ control: FrameControl; samples: Uint8Array | Uint16Array }>,
  width: number,
  height: number,
  channels: number,
  bitDepth: 8 | 16,
  layout: SampleLayout,
): ImageFrame[] {
  const canvas = new (bitDepth === 16 ? Uint16Array : Uint8Array)(width * height * channels);
  const max = bitDepth === 16 ? 0xffff : 255;
  const hasAlpha = layout === "rgba" || layout === "gray-alpha";
  const frames: ImageFrame[] = [];
  let dispose: { control: FrameControl; saved: Uint8Array | Uint16Array | undefined } | undefined;
  for (const [index, { control, samples }] of decoded.entries()) {
    if (dispose) {
      const { control: c, saved } = dispose;
      for (let y = 0; y < c.height; y++) {
        const at = ((c.y + y) * width + c.x) * channels;
        const len = c.width * channels;
        if (saved) canvas.set(saved.subarray(at, at + len), at);
        else canvas.fill(0, at, at + len);
      }
    }
    const before = index === 0 ? undefined : canvas.slice();
    const over = control.blend === 1 && before !== undefined;
    for (let y = 0; y < control.height; y++) {
      for (let x = 0; x < control.width; x++) {
        const src = (y * control.width + x) * channels;
        const dst = ((control.y + y) * width + control.x + x) * channels;
        const a = over && hasAlpha ? samples[src + channels - 1]! : max;
        for (let c = 0; c < channels; c++) {
          const s = samples[src + c]!;
          canvas[dst + c] = a === max ? s : blend(canvas[dst + c]!, s, a, max);
        }
      }
    }
    frames.push({
      data: canvas.slice(),
      ...(control.durationMs !== undefined ? { durationMs: control.durationMs } : {}),
    });
    const op = control.dispose === 2 && before === undefined ? 1 : control.dispose;
    dispose = op === 0 ? undefined : { control, saved: op === 2 ? before : undefined };
  }
  return frames;
}

/** PIL's `BLEND` of Paste.c: `DIV255(dst·(255−a) + src·a)` with DIV255(v) = ((v+128)>>8 + v+128)>>8. */
function blend(dst: number, src: number, a: number, max: number): number {
  const v = dst * (max - a) + src * a;
  if (max === 255) {
    const t = v + 128;
    return ((t >> 8) + t) >> 8;
  }
  return Math.round(v / max);
}
