import type { DecodedImage } from "./decoded-image.js";

type Samples = Uint8Array | Uint16Array | Int32Array | Float32Array;

/**
 * Where output pixel (x, y) comes from for each EXIF orientation, as PIL's `ImageOps.exif_transpose`
 * applies it (2 FLIP_LEFT_RIGHT, 3 ROTATE_180, 4 FLIP_TOP_BOTTOM, 5 TRANSPOSE, 6 ROTATE_270,
 * 7 TRANSVERSE, 8 ROTATE_90); `w`, `h` are the stored size. Returns [source x, source y].
 */
const SOURCE: Record<number, (x: number, y: number, w: number, h: number) => readonly [number, number]> = {
  2: (x, y, w) => [w - 1 - x, y],
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y],
  4: (x, y, _w, h) => [x, h - 1 - y],
  5: (x, y) => [y, x],
  6: (x, y, _w, h) => [y, h - 1 - x],
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x],
  8: (x, y, w) => [w - 1 - y, x],
};

/** The size after applying `orientation` (5–8 swap width and height). */
export function orientedSize(
  orientation: number | undefined,
  width: number,
  height: number,
): [number, number] {
  return orientation !== undefined && orientation >= 5 && orientation <= 8
    ? [height, width]
    : [width, height];
}

/**
 * Transposes interleaved samples by an EXIF orientation (1–8); other values (absent, 1, invalid)
 * return the input unchanged, as PIL does.
 */
export function orientSamples<T extends Samples>(
  data: T,
  width: number,
  height: number,
  channels: number,
  orientation: number | undefined,
): T {
  const source = orientation === undefined ? undefined : SOURCE[orientation];
  if (!source) return data;
  const [ow, oh] = orientedSize(orientation, width, height);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const [sx, sy] = source(x, y, width, height);
      const from = (sy * width + sx) * channels;
      const to = (y * ow + x) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = data[from + c]!;
    }
  }
  return out;
}

/** The image as a viewer shows it: every frame transposed by its EXIF orientation, `orientation` dropped. */
export function orientImage(image: DecodedImage): DecodedImage {
  if (image.orientation === undefined || !SOURCE[image.orientation]) return image;
  const [width, height] = orientedSize(image.orientation, image.width, image.height);
  const { orientation: _applied, ...rest } = image;
  return {
    ...rest,
    width,
    height,
    frames: image.frames.map((f) => ({
      ...f,
      data: orientSamples(f.data, image.width, image.height, image.channels, image.orientation),
    })),
  };
}
