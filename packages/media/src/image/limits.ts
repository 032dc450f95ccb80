import { corruptImage } from "./image-errors.js";

/**
 * The largest canvas `decodeImage` accepts by default: PIL's decompression-bomb limit
 * (`2 × Image.MAX_IMAGE_PIXELS`), above which PIL refuses a file too.
 */
export const DEFAULT_MAX_PIXELS = 2 * 89_478_485;

/** Throws when a header declares a canvas that is empty or larger than `maxPixels`. */
export function checkCanvas(source: string, width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) {
    throw corruptImage(source, `the header declares an empty ${width}×${height} image`);
  }
  if (width * height > maxPixels) {
    throw corruptImage(
      source,
      `the header declares ${width}×${height} = ${width * height} pixels, more than the limit of ${maxPixels} (raise maxPixels if the file is genuine)`,
    );
  }
}
