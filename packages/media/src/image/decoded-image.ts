/** Image formats `decodeImage` reads. */
export type ImageFormat = "png" | "apng" | "jpeg" | "gif" | "webp" | "bmp" | "tiff";

/**
 * How a pixel's samples are laid out, interleaved: the file's own colour model. Palette images
 * (PNG colour type 3, GIF, 1–8-bit BMP) are expanded to the colours their palette holds (`rgb`, or
 * `rgba` when the palette has transparency); CMYK JPEG/TIFF stay CMYK (as stored, not inverted).
 */
export type SampleLayout = "gray" | "gray-alpha" | "rgb" | "rgba" | "cmyk";

export const LAYOUT_CHANNELS: Readonly<Record<SampleLayout, 1 | 2 | 3 | 4>> = {
  gray: 1,
  "gray-alpha": 2,
  rgb: 3,
  rgba: 4,
  cmyk: 4,
};

/** One frame of the whole canvas, row-major, `width × height × channels` samples. */
export interface ImageFrame {
  /** 8-bit samples (`bitDepth` 8), or 16-bit samples with their full values (`bitDepth` 16). */
  readonly data: Uint8Array | Uint16Array;
  /** How long the frame shows, in milliseconds, as the file says (animations only). */
  readonly durationMs?: number;
}

/** What a still or animated image file holds, decoded without colour management or conversion. */
export interface DecodedImage {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly layout: SampleLayout;
  readonly channels: 1 | 2 | 3 | 4;
  readonly bitDepth: 8 | 16;
  /**
   * Every frame, composited onto the canvas as the format specifies (APNG dispose/blend, GIF
   * disposal, animated WebP blending), in file order. A still has one frame.
   */
  readonly frames: readonly ImageFrame[];
  /** Animation loop count as stored (0 = forever), when the file stores one. */
  readonly loop?: number;
  /** The EXIF orientation (1–8) the file declares, not applied to the samples; see `orientFrame`. */
  readonly orientation?: number;
}
