import type { RasterSamples } from "../compare/samples.js";

/** An 8-bit RGBA picture to write as PNG. */
export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * Where two rasters differ: the expected picture faded to light gray, every pixel with any differing
 * sample in red — darker red for small differences, bright red from a quarter of the full range.
 */
export function rasterDiffPicture(expected: RasterSamples, actual: RasterSamples): Picture {
  const { width, height, channels, maxValue } = expected;
  const a = expected.data;
  const b = actual.data;
  const rgba = expected.rgba();
  const out = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    let delta = 0;
    for (let c = 0; c < channels; c++) {
      const d = Math.abs(a[p * channels + c]! - b[p * channels + c]!);
      if (d > delta) delta = d;
    }
    const o = p * 4;
    if (delta > 0) {
      const strength = Math.min(1, delta / (maxValue / 4));
      out[o] = Math.round(128 + 127 * strength);
      out[o + 1] = 0;
      out[o + 2] = 0;
    } else {
      const luma = (rgba[o]! * 0.299 + rgba[o + 1]! * 0.587 + rgba[o + 2]! * 0.114) | 0;
      out[o] = out[o + 1] = out[o + 2] = 230 + ((luma * 25) >> 8);
    }
    out[o + 3] = 255;
  }
  return { width, height, data: out };
}

/** A raster's RGBA as a picture. */
export function rasterPicture(samples: RasterSamples): Picture {
  return { width: samples.width, height: samples.height, data: samples.rgba() };
}

/** Nearest-neighbour scale of a picture to `width` × `height` (thumbnails of filmstrips). */
function scaled(picture: Picture, width: number, height: number): Picture {
  if (width === picture.width && height === picture.height) return picture;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(picture.height - 1, Math.floor((y * picture.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(picture.width - 1, Math.floor((x * picture.width) / width));
      out.set(
        picture.data.subarray((sy * picture.width + sx) * 4, (sy * picture.width + sx) * 4 + 4),
        (y * width + x) * 4,
      );
    }
  }
  return { width, height, data: out };
}

const STRIP_WIDTH = 2048;
const GAP = 2;

/**
 * Rows of frames side by side (a filmstrip per row: expected, actual, diff), frames shrunk so a row
 * stays within 2048 px; rows separated by a 2 px dark line.
 */
export function filmstrip(rows: readonly (readonly Picture[])[]): Picture {
  const count = Math.max(1, ...rows.map((r) => r.length));
  const first = rows.find((r) => r.length > 0)?.[0];
  if (!first) return { width: 1, height: 1, data: Uint8Array.of(0, 0, 0, 0) };
  const scale = Math.min(1, (STRIP_WIDTH - GAP * (count - 1)) / (count * first.width));
  const w = Math.max(1, Math.floor(first.width * scale));
  const h = Math.max(1, Math.floor(first.height * scale));
  const width = count * w + (count - 1) * GAP;
  const height = rows.length * h + (rows.length - 1) * GAP;
  const out = new Uint8Array(width * height * 4);
  for (let i = 3; i < out.length; i += 4) out[i] = 255; // opaque black gaps
  rows.forEach((row, r) => {
    row.forEach((picture, c) => {
      const thumb = scaled(picture, w, h);
      const x0 = c * (w + GAP);
      const y0 = r * (h + GAP);
      for (let y = 0; y < h; y++) {
        out.set(thumb.data.subarray(y * w * 4, (y + 1) * w * 4), ((y0 + y) * width + x0) * 4);
      }
    });
  });
  return { width, height, data: out };
}
