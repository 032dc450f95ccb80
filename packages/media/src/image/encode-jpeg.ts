import { MediaInputError } from "../errors.js";
import { loadSharp } from "./sharp-loader.js";

export interface JpegPixels {
  readonly width: number;
  readonly height: number;
  /** 1 (grey) or 3 (RGB) interleaved 8-bit channels. */
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/**
 * Encodes a baseline JPEG as PIL's `save(format="JPEG", quality=q)` asks libjpeg for one: the
 * standard (Annex K) quantisation tables scaled by `quality`, 4:2:0 chroma subsampling, the default
 * Huffman tables (no optimisation), no progressive scans — through sharp with its mozjpeg
 * extensions switched off (so libjpeg-turbo's plain encoder runs).
 */
export async function encodeJpeg(
  pixels: JpegPixels,
  options: { readonly quality: number },
): Promise<Uint8Array> {
  const { width, height, channels, data } = pixels;
  if (data.length !== width * height * channels) {
    throw new MediaInputError(`encodeJpeg: ${data.length} bytes for ${width}×${height}×${channels}`);
  }
  const sharp = await loadSharp("Encoding JPEG");
  const out = await sharp(data, { raw: { width, height, channels } })
    .jpeg({
      quality: options.quality,
      chromaSubsampling: "4:2:0",
      optimiseCoding: false,
      mozjpeg: false,
      trellisQuantisation: false,
      overshootDeringing: false,
      optimiseScans: false,
      progressive: false,
      quantisationTable: 0,
    })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
