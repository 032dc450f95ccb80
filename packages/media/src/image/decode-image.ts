import { MissingStreamError } from "../errors.js";
import { sniffMedia } from "../sniff.js";
import { decodeBmpImage } from "./bmp.js";
import type { DecodedImage } from "./decoded-image.js";
import { decodeGif } from "./gif.js";
import { corruptImage } from "./image-errors.js";
import { decodeWithLibvips } from "./libvips.js";
import { checkCanvas, DEFAULT_MAX_PIXELS } from "./limits.js";
import { decodePngImage } from "./png.js";

export interface DecodeImageOptions {
  /** The file's name (or any label) used in error messages. Default `"image"`. */
  readonly name?: string;
  /** Refuse canvases larger than this many pixels. Default PIL's decompression-bomb limit (178,956,970). */
  readonly maxPixels?: number;
}

/**
 * Decodes a still or animated image from its bytes (the format is read from its signature, not
 * its name): PNG/APNG, JPEG, WebP (lossy, lossless, alpha, animated), GIF, BMP, TIFF. Samples are
 * the file's own (see `DecodedImage`); nothing is colour-managed or rotated.
 *
 * Throws `CorruptMediaError` for a truncated or corrupt file or bytes of no known format,
 * `MissingStreamError` (kind "image") for a video/audio/latent file, `MissingCodecError` for a form
 * of a format that is not read (a BMP holding a JPEG), `MediaLibraryMissingError` when sharp (needed
 * for JPEG, WebP, TIFF) does not load.
 */
export async function decodeImage(
  bytes: Uint8Array,
  options: DecodeImageOptions = {},
): Promise<DecodedImage> {
  const name = options.name ?? "image";
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const signature = sniffMedia(bytes);
  switch (signature?.format) {
    case "png":
    case "apng":
      return decodePngImage(bytes, name, maxPixels);
    case "gif":
      return decodeGifImage(bytes, name, maxPixels);
    case "bmp":
      return decodeBmpImage(bytes, name, maxPixels);
    case "jpeg":
    case "webp":
    case "tiff":
      return decodeWithLibvips(bytes, signature.format, name, maxPixels);
    default:
      if (signature) {
        throw new MissingStreamError(
          "image",
          `${name} is ${signature.format} (${signature.family}), not an image`,
          {
            file: name,
          },
        );
      }
      throw corruptImage(
        name,
        bytes.length === 0
          ? "the file is empty"
          : "no image signature (PNG, JPEG, WebP, GIF, BMP, TIFF) at its start",
      );
  }
}

/**
 * GIF frames as PIL gives them, in one layout: the first frame's palette indices expanded with its
 * palette, later RGB/RGBA canvases as they are. RGBA when the first frame has a transparent index
 * (PIL then makes every later frame RGBA), grey when every frame is PIL's "L", else RGB.
 */
function decodeGifImage(bytes: Uint8Array, name: string, maxPixels: number): DecodedImage {
  if (bytes.length >= 10)
    checkCanvas(name, bytes[6]! | (bytes[7]! << 8), bytes[8]! | (bytes[9]! << 8), maxPixels);
  const gif = decodeGif(bytes, name);
  const first = gif.frames[0]!;
  const layout =
    first.transparency !== undefined || gif.frames.some((f) => f.mode === "RGBA")
      ? "rgba"
      : gif.frames.every((f) => f.mode === "L")
        ? "gray"
        : "rgb";
  const channels = layout === "rgba" ? 4 : layout === "gray" ? 1 : 3;
  const pixels = gif.width * gif.height;
  const frames = gif.frames.map((f) => {
    if (f.mode === "L" && channels === 1) return frame(f.data, f.durationMs);
    const data = new Uint8Array(pixels * channels);
    const from = f.mode === "RGBA" ? 4 : f.mode === "RGB" ? 3 : 1;
    for (let p = 0; p < pixels; p++) {
      const o = p * channels;
      if (from === 1) {
        const i = f.data[p]!;
        data[o] = f.palette?.[i * 3] ?? i;
        data[o + 1] = f.palette?.[i * 3 + 1] ?? i;
        data[o + 2] = f.palette?.[i * 3 + 2] ?? i;
        if (channels === 4) data[o + 3] = i === f.transparency ? 0 : 255;
      } else {
        data[o] = f.data[p * from]!;
        data[o + 1] = f.data[p * from + 1]!;
        data[o + 2] = f.data[p * from + 2]!;
        if (channels === 4) data[o + 3] = from === 4 ? f.data[p * 4 + 3]! : 255;
      }
    }
    return frame(data, f.durationMs);
  });
  return {
    format: "gif",
    width: gif.width,
    height: gif.height,
    layout,
    channels,
    bitDepth: 8,
    frames,
    ...(gif.loop !== undefined ? { loop: gif.loop } : {}),
  };
}

const frame = (data: Uint8Array, durationMs: number | undefined) =>
  durationMs !== undefined ? { data, durationMs } : { data };
