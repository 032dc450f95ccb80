/**
 * Pillow's `Image.resize(..., LANCZOS)` on 8-bit images (`libImaging/Resample.c`): per-axis
 * coefficients in double, converted to 22-bit fixed point, horizontal pass first, 8-bit clipping
 * after each pass. RGBA is premultiplied before and unpremultiplied after, as `Image.resize` does.
 */
const PRECISION_BITS = 32 - 8 - 2;

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}
function lanczos(x: number): number {
  return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
}

interface Coeffs {
  readonly ksize: number;
  readonly bounds: Int32Array;
  readonly k: Int32Array;
}

function precompute(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 3 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const k = new Int32Array(outSize * ksize);
  const pre = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    pre.fill(0);
    for (let x = 0; x < xmax; x++) {
      const w = lanczos((x + xmin - center + 0.5) * ss);
      pre[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? (pre[x] as number) / ww : (pre[x] as number);
      k[xx * ksize + x] =
        v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, k };
}

const HALF = 1 << (PRECISION_BITS - 1);

function clip8(v: number): number {
  // Arithmetic shift of the fixed-point sum (floor division, as C's >> on a signed int).
  const s = Math.floor(v / (1 << PRECISION_BITS));
  return s < 0 ? 0 : s > 255 ? 255 : s;
}

/** Resizes interleaved 8-bit pixels with `channels` bands; `premultiply` for RGBA. */
export function pilResizeLanczos(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outW: number,
  outH: number,
): Uint8Array {
  const rgba = channels === 4;
  let data = rgba ? premultiply(src) : src;
  let w = width;
  let h = height;
  const horiz = outW !== width;
  const vert = outH !== height;
  const cv = precompute(height, outH);
  const cy0 = vert ? (cv.bounds[0] as number) : 0;
  const cy1 = vert ? (cv.bounds[outH * 2 - 2] as number) + (cv.bounds[outH * 2 - 1] as number) : height;
  if (horiz) {
    const ch = precompute(width, outW);
    const rows = vert ? cy1 - cy0 : height;
    const out = new Uint8Array(outW * rows * channels);
    const ss = new Float64Array(channels);
    for (let y = 0; y < rows; y++) {
      const rowBase = (y + (vert ? cy0 : 0)) * w * channels;
      for (let x = 0; x < outW; x++) {
        const xmin = ch.bounds[x * 2] as number;
        const xmax = ch.bounds[x * 2 + 1] as number;
        const kBase = x * ch.ksize;
        ss.fill(HALF);
        for (let i = 0; i < xmax; i++) {
          const weight = ch.k[kBase + i] as number;
          const at = rowBase + (xmin + i) * channels;
          for (let c = 0; c < channels; c++) ss[c] = (ss[c] as number) + (data[at + c] as number) * weight;
        }
        const o = (y * outW + x) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = clip8(ss[c] as number);
      }
    }
    data = out;
    w = outW;
    h = rows;
  }
  if (vert) {
    const out = new Uint8Array(outW * outH * channels);
    const shift = horiz ? cy0 : 0;
    const stride = w * channels;
    const ss = new Float64Array(stride);
    for (let y = 0; y < outH; y++) {
      const ymin = (cv.bounds[y * 2] as number) - shift;
      const ymax = cv.bounds[y * 2 + 1] as number;
      const kBase = y * cv.ksize;
      ss.fill(HALF);
      // Row by row over the whole line keeps the same sum order per sample as Pillow's tap loop.
      for (let i = 0; i < ymax; i++) {
        const weight = cv.k[kBase + i] as number;
        const at = (ymin + i) * stride;
        for (let t = 0; t < stride; t++) ss[t] = (ss[t] as number) + (data[at + t] as number) * weight;
      }
      const o = y * stride;
      for (let t = 0; t < stride; t++) out[o + t] = clip8(ss[t] as number);
    }
    data = out;
    h = outH;
  }
  void h;
  if (!horiz && !vert) data = data.slice();
  return rgba ? unpremultiply(data) : data;
}

function premultiply(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3] as number;
    for (let c = 0; c < 3; c++) {
      const t = (src[i + c] as number) * a + 128;
      out[i + c] = ((t >> 8) + t) >> 8;
    }
    out[i + 3] = a;
  }
  return out;
}

function unpremultiply(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3] as number;
    for (let c = 0; c < 3; c++) {
      const v = src[i + c] as number;
      out[i + c] = a === 255 || a === 0 ? v : Math.min(255, Math.trunc((255 * v) / a));
    }
    out[i + 3] = a;
  }
  return out;
}
