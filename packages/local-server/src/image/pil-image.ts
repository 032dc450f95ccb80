import {
  type DecodedPng,
  decodePng,
  hasPngSignature,
  PngDecodeError,
  type PngProblem,
} from "@comfy-ts/core/png";
import {
  type DecodedImage,
  decodeGif,
  decodeImage,
  orientedSize,
  orientSamples,
  sniffMedia,
} from "@comfy-ts/media";
import { ImageDecodeError } from "./errors.js";

/** PIL image modes the loaders distinguish. */
export type PilMode = "1" | "L" | "I" | "I;16" | "LA" | "P" | "RGB" | "RGBA" | "CMYK";

/** One frame as PIL holds it after `Image.open`: mode, bands, and palette for "P". */
export interface PilImage {
  readonly mode: PilMode;
  readonly width: number;
  readonly height: number;
  /** Interleaved band values (0–255, or any int32 for mode "I"). */
  readonly data: Int32Array;
  readonly palette?: Uint8Array;
  /** "P": per-index alpha from tRNS/GIF transparency. */
  readonly transparency?: Uint8Array;
  /**
   * "1"/"L"/"I"/"RGB": PIL's `info["transparency"]` colour key (a PNG tRNS, its raw 16-bit values),
   * which `convert("RGBA")` turns into alpha 0 where a pixel equals it.
   */
  readonly transparencyKey?: readonly number[];
}

const BANDS: Record<PilMode, number> = {
  "1": 1,
  L: 1,
  I: 1,
  "I;16": 1,
  LA: 2,
  P: 1,
  RGB: 3,
  RGBA: 4,
  CMYK: 4,
};

export function bandCount(mode: PilMode): number {
  return BANDS[mode];
}

/** `Image.open` + `ImageSequence.Iterator`: every frame of a PNG or GIF file. */
function openImageFrames(bytes: Uint8Array, name: string): OpenedImage {
  if (hasPngSignature(bytes)) return { format: "PNG", frames: [pngToPil(bytes)] };
  if (sniffMedia(bytes)?.format === "gif") {
    const frames = decodeGif(bytes, name).frames.map((g): PilImage => {
      const transparency =
        g.transparency !== undefined
          ? Uint8Array.from({ length: 256 }, (_, k) => (k === g.transparency ? 0 : 255))
          : undefined;
      return {
        mode: g.mode,
        width: g.width,
        height: g.height,
        data: Int32Array.from(g.data),
        ...(g.palette ? { palette: g.palette } : {}),
        ...(g.mode === "P" && transparency ? { transparency } : {}),
      };
    });
    return { format: "GIF", frames };
  }
  throw new ImageDecodeError(`cannot identify image file '${name}'`);
}

/** What `Image.open` gives: PIL's format name, every frame (`ImageSequence`), the EXIF orientation. */
export interface OpenedImage {
  readonly format: string;
  readonly frames: PilImage[];
  /** EXIF orientation (1–8) for `exifTranspose`, when the file declares one. */
  readonly orientation?: number;
}

/**
 * `Image.open` + `ImageSequence.Iterator` of every format LoadImage reads: PNG and GIF with PIL's own
 * modes (palette kept), APNG, JPEG, WebP, TIFF and BMP through `@comfy-ts/media`'s `decodeImage`
 * (Pillow 9.4's samples) in the mode PIL opens them in.
 */
export async function openImage(bytes: Uint8Array, name = "image"): Promise<OpenedImage> {
  const kind = sniffMedia(bytes);
  if (kind?.format === "png" || kind?.format === "gif") return openImageFrames(bytes, name);
  if (!kind || kind.family !== "image") throw new ImageDecodeError(`cannot identify image file '${name}'`);
  const image = await decodeImage(bytes, { name });
  return {
    format: PIL_FORMAT[image.format],
    frames: image.frames.map((f) => decodedToPil(image, f.data)),
    ...(image.orientation !== undefined ? { orientation: image.orientation } : {}),
  };
}

const PIL_FORMAT: Record<DecodedImage["format"], string> = {
  png: "PNG",
  apng: "PNG",
  jpeg: "JPEG",
  gif: "GIF",
  webp: "WEBP",
  bmp: "BMP",
  tiff: "TIFF",
};

/** A decoded frame in the mode PIL opens the file in (16-bit colour keeps the high byte, as PIL does). */
function decodedToPil(image: DecodedImage, samples: Uint8Array | Uint16Array): PilImage {
  const { width, height, layout, bitDepth, format } = image;
  if (layout === "gray" && bitDepth === 16) {
    // PNG 16-bit grey opens as "I", TIFF as "I;16": both keep the full values.
    return { mode: format === "tiff" ? "I;16" : "I", width, height, data: Int32Array.from(samples) };
  }
  const data = bitDepth === 16 ? Int32Array.from(samples, (v) => v >> 8) : Int32Array.from(samples);
  const mode: PilMode =
    layout === "gray"
      ? "L"
      : layout === "gray-alpha"
        ? "LA"
        : layout === "rgb"
          ? "RGB"
          : layout === "rgba"
            ? "RGBA"
            : "CMYK";
  return { mode, width, height, data };
}

/** `ImageOps.exif_transpose` of one frame (orientations 2–8; anything else leaves it as it is). */
export function exifTranspose(im: PilImage, orientation: number | undefined): PilImage {
  const data = orientSamples(im.data, im.width, im.height, bandCount(im.mode), orientation);
  if (data === im.data) return im;
  const [width, height] = orientedSize(orientation, im.width, im.height);
  return { ...im, width, height, data };
}

/**
 * What PIL (with ComfyUI's truncated-image retry) raises for each kind of broken PNG: the message, and
 * the Python exception type when it is not the `UnidentifiedImageError` of a file PIL cannot open.
 */
const PIL_PNG_ERRORS: Record<PngProblem, { message: string; pythonType?: string }> = {
  signature: { message: "not a PNG file (bad signature)" },
  truncated: { message: "Truncated File Read", pythonType: "OSError" },
  // Scanlines cut short: PIL's "image file is truncated" path ends in an unidentified image.
  incomplete: { message: "PNG image data is truncated" },
  header: { message: "Truncated File Read", pythonType: "OSError" },
  checksum: { message: "broken data stream when reading image file", pythonType: "OSError" },
  structure: { message: "broken data stream when reading image file", pythonType: "OSError" },
  data: { message: "broken data stream when reading image file", pythonType: "OSError" },
};

/** `Image.open` of a PNG: the lenient decode PIL does (no CRC checks), its errors as PIL reports them. */
export function openPng(bytes: Uint8Array): DecodedPng {
  try {
    return decodePng(bytes, { strict: false });
  } catch (error) {
    if (!(error instanceof PngDecodeError)) throw error;
    const { message, pythonType } = PIL_PNG_ERRORS[error.problem];
    throw new ImageDecodeError(message, { cause: error, ...(pythonType ? { pythonType } : {}) });
  }
}

function pngToPil(bytes: Uint8Array): PilImage {
  const png = openPng(bytes);
  const { width, height, bitDepth, colorType, samples } = png;
  const data = new Int32Array(samples.length);
  if (colorType === 3) {
    data.set(samples);
    const transparency = png.transparency instanceof Uint8Array ? png.transparency : undefined;
    return {
      mode: "P",
      width,
      height,
      data,
      ...(png.palette ? { palette: png.palette } : {}),
      ...(transparency ? { transparency } : {}),
    };
  }
  const key =
    (colorType === 0 || colorType === 2) && Array.isArray(png.transparency)
      ? { transparencyKey: png.transparency }
      : {};
  if (colorType === 0) {
    if (bitDepth === 16) {
      data.set(samples);
      return { mode: "I", width, height, data, ...key };
    }
    if (bitDepth === 1) {
      for (let i = 0; i < samples.length; i++) data[i] = samples[i] ? 255 : 0;
      return { mode: "1", width, height, data, ...key };
    }
    const scale = 255 / ((1 << bitDepth) - 1);
    for (let i = 0; i < samples.length; i++) data[i] = Math.round((samples[i] as number) * scale);
    return { mode: "L", width, height, data, ...key };
  }
  // 16-bit colour and gray+alpha: PIL keeps the high byte.
  for (let i = 0; i < samples.length; i++)
    data[i] = bitDepth === 16 ? (samples[i] as number) >> 8 : (samples[i] as number);
  return { mode: colorType === 2 ? "RGB" : colorType === 4 ? "LA" : "RGBA", width, height, data, ...key };
}

/** `im.point(lambda i: i * (1 / 255))` on mode "I": scale and truncate to int. */
export function pointDiv255(im: PilImage): PilImage {
  return { ...im, data: im.data.map((v) => Math.trunc(v * (1 / 255))) };
}

function clip8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** PIL's MULDIV255: a·b / 255 rounded as `((t >> 8) + t) >> 8` with t = a·b + 128. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/** `im.convert("RGB")` or `im.convert("RGBA")`. */
export function convert(im: PilImage, mode: "RGB" | "RGBA"): PilImage {
  const n = im.width * im.height;
  const out = mode === "RGB" ? 3 : 4;
  const src = bandCount(im.mode);
  const data = new Int32Array(n * out);
  // PIL's convert_transparent: a colour key becomes alpha only when converting to RGBA.
  const key = mode === "RGBA" && im.mode !== "P" ? im.transparencyKey : undefined;
  for (let p = 0; p < n; p++) {
    let r: number;
    let g: number;
    let b: number;
    let a = 255;
    if (im.mode === "P") {
      // Entries past the end of a short palette are PIL's initial grey ramp.
      const idx = im.data[p] as number;
      r = im.palette?.[idx * 3] ?? idx;
      g = im.palette?.[idx * 3 + 1] ?? idx;
      b = im.palette?.[idx * 3 + 2] ?? idx;
      a = im.transparency?.[idx] ?? 255;
    } else if (im.mode === "CMYK") {
      // PIL's cmyk2rgb: nk − MULDIV255(c, nk) with nk = 255 − k.
      const nk = 255 - (im.data[p * 4 + 3] as number);
      r = nk - mulDiv255(im.data[p * 4] as number, nk);
      g = nk - mulDiv255(im.data[p * 4 + 1] as number, nk);
      b = nk - mulDiv255(im.data[p * 4 + 2] as number, nk);
    } else if (src < 3) {
      r = g = b = clip8(im.data[p * src] as number);
      if (im.mode === "LA") a = im.data[p * 2 + 1] as number;
    } else {
      r = im.data[p * src] as number;
      g = im.data[p * src + 1] as number;
      b = im.data[p * src + 2] as number;
      if (src === 4) a = im.data[p * 4 + 3] as number;
    }
    if (key && keyed(im, p, key)) a = 0;
    data[p * out] = r;
    data[p * out + 1] = g;
    data[p * out + 2] = b;
    if (out === 4) data[p * 4 + 3] = a;
  }
  return { mode, width: im.width, height: im.height, data };
}

function keyed(im: PilImage, p: number, key: readonly number[]): boolean {
  const k = bandCount(im.mode);
  for (let c = 0; c < k; c++) if (im.data[p * k + c] !== key[c]) return false;
  return true;
}

/** `im.getbands()` as a string ("RGBA", "L", …). */
export function bands(im: PilImage): string {
  return im.mode === "I;16" ? "I" : im.mode;
}

/** `im.getchannel(c)` for one of the image's band letters. */
export function getChannel(im: PilImage, band: string): Int32Array {
  const at = bands(im).indexOf(band);
  const n = im.width * im.height;
  const k = bandCount(im.mode);
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) out[p] = im.data[p * k + at] as number;
  return out;
}
