import { CorruptMediaError } from "../errors.js";
import type { DecodedImage, ImageFrame, SampleLayout } from "./decoded-image.js";
import { corruptImage } from "./image-errors.js";
import { loadSharp } from "./sharp-loader.js";
import { webpHasAlpha } from "./webp-header.js";

/**
 * JPEG, WebP and TIFF through sharp (libvips with libjpeg-turbo's mozjpeg fork, libwebp, libtiff):
 * the same decoders PIL wraps, with their default settings (islow IDCT, fancy upsampling). sharp is
 * asked for the file's own bands, untouched: no ICC transform (`ignoreIcc`, PIL applies none), no
 * EXIF rotation (reported in `orientation`), CMYK kept as CMYK, 16-bit kept as 16-bit.
 */
export async function decodeWithLibvips(
  bytes: Uint8Array,
  format: "jpeg" | "webp" | "tiff",
  source: string,
  maxPixels: number,
): Promise<DecodedImage> {
  const sharp = await loadSharp(`Decoding ${format.toUpperCase()} (${source})`);
  const options = { pages: -1, ignoreIcc: true, failOn: "warning", limitInputPixels: maxPixels } as const;
  try {
    const meta = await sharp(bytes, options).metadata();
    const sixteen = meta.depth === "ushort";
    const space = meta.space;
    const layout: SampleLayout =
      space === "cmyk"
        ? "cmyk"
        : space === "b-w" || space === "grey16"
          ? meta.hasAlpha
            ? "gray-alpha"
            : "gray"
          : meta.hasAlpha
            ? "rgba"
            : "rgb";
    if (meta.depth !== "uchar" && meta.depth !== "ushort") {
      throw corruptImage(source, `unsupported sample format ${meta.depth} (8 or 16-bit integers are read)`);
    }
    let pipeline = sharp(bytes, options);
    if (layout === "cmyk") pipeline = pipeline.pipelineColourspace("cmyk").toColourspace("cmyk");
    else if (layout === "gray" || layout === "gray-alpha")
      pipeline = pipeline.toColourspace(sixteen ? "grey16" : "b-w");
    else if (sixteen) pipeline = pipeline.toColourspace("rgb16");
    const { data, info } = await pipeline
      .raw({ depth: sixteen ? "ushort" : "uchar" })
      .toBuffer({ resolveWithObject: true });
    const width = info.width;
    const pages = meta.pages ?? 1;
    const height = meta.pageHeight ?? info.height;
    let samples: Uint8Array | Uint16Array = sixteen
      ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let channels = info.channels as 1 | 2 | 3 | 4;
    let outLayout = layout;
    // PIL (WebPGetFeatures) decides RGB vs RGBA from the file's header, not from the pixels.
    if (format === "webp") {
      const alpha = webpHasAlpha(bytes);
      if (alpha && channels === 3) {
        samples = addOpaqueAlpha(samples as Uint8Array);
        channels = 4;
        outLayout = "rgba";
      } else if (!alpha && channels === 4) {
        samples = dropAlpha(samples as Uint8Array);
        channels = 3;
        outLayout = "rgb";
      }
    }
    const frameLength = width * height * channels;
    if (samples.length !== frameLength * pages) {
      throw corruptImage(
        source,
        `libvips gave ${samples.length} samples for ${pages} frame(s) of ${width}×${height}×${channels}`,
      );
    }
    const frames: ImageFrame[] = [];
    for (let i = 0; i < pages; i++) {
      const frame = samples.slice(i * frameLength, (i + 1) * frameLength);
      const delay = meta.delay?.[i];
      frames.push(pages > 1 && delay !== undefined ? { data: frame, durationMs: delay } : { data: frame });
    }
    const animated = format === "webp" && pages > 1;
    return {
      format,
      width,
      height,
      layout: outLayout,
      channels,
      bitDepth: sixteen ? 16 : 8,
      frames,
      ...(animated && meta.loop !== undefined ? { loop: meta.loop } : {}),
      ...(meta.orientation !== undefined ? { orientation: meta.orientation } : {}),
    };
  } catch (error) {
    if (error instanceof CorruptMediaError) throw error;
    throw corruptImage(source, describeVipsError(error), { cause: error });
  }
}

/** libvips's first error line, without its internal prefixes ("VipsJpeg: ", "webpload_buffer: "). */
function describeVipsError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((l) =>
      l
        .replace(/^[A-Za-z]+(load_buffer|load|_buffer)?: /, "")
        .replace(/^Vips[A-Za-z]+: /, "")
        .trim(),
    )
    .filter((l) => l !== "");
  return lines.join("; ") || "libvips could not read it";
}

function addOpaqueAlpha(rgb: Uint8Array): Uint8Array {
  const n = rgb.length / 3;
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    out[p * 4] = rgb[p * 3]!;
    out[p * 4 + 1] = rgb[p * 3 + 1]!;
    out[p * 4 + 2] = rgb[p * 3 + 2]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}

function dropAlpha(rgba: Uint8Array): Uint8Array {
  const n = rgba.length / 4;
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    out[p * 3] = rgba[p * 4]!;
    out[p * 3 + 1] = rgba[p * 4 + 1]!;
    out[p * 3 + 2] = rgba[p * 4 + 2]!;
  }
  return out;
}
