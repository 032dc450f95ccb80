/**
 * Pillow's median-cut quantizer (`libImaging/Quant.c`, method 0) for RGB pixels: a histogram of
 * colours, boxes split at the weighted median of their widest luma-weighted axis (largest pixel
 * count first, Pillow's binary heap order), palette entries the rounded mean of each leaf box,
 * numbered by an in-order walk (high values first).
 */
interface Color {
  readonly rgb: readonly [number, number, number];
  readonly count: number;
}

interface Box {
  colors: Color[];
  pixelCount: number;
  left?: Box;
  right?: Box;
}

function volume(b: Box): number {
  let v = 1;
  for (let a = 0; a < 3; a++) {
    let lo = 255;
    let hi = 0;
    for (const c of b.colors) {
      lo = Math.min(lo, c.rgb[a] as number);
      hi = Math.max(hi, c.rgb[a] as number);
    }
    v *= b.colors.length === 0 ? 0 : hi - lo + 1;
  }
  return v;
}

/** Pillow's 1-indexed max-heap (QuantHeap.c) with `a.pixelCount - b.pixelCount` as comparison. */
class BoxHeap {
  private readonly heap: Array<Box | undefined> = [undefined];
  add(b: Box): void {
    let k = this.heap.length;
    this.heap.push(b);
    while (k !== 1) {
      const parent = this.heap[k >> 1] as Box;
      if (b.pixelCount - parent.pixelCount <= 0) break;
      this.heap[k] = parent;
      k >>= 1;
    }
    this.heap[k] = b;
  }
  remove(): Box | undefined {
    const count = this.heap.length - 1;
    if (count === 0) return undefined;
    const top = this.heap[1];
    const v = this.heap.pop() as Box;
    const n = count - 1;
    if (n === 0) return top;
    let k = 1;
    for (; k * 2 <= n; ) {
      let l = k * 2;
      if (l < n && (this.heap[l] as Box).pixelCount - (this.heap[l + 1] as Box).pixelCount < 0) l++;
      if (v.pixelCount - (this.heap[l] as Box).pixelCount > 0) break;
      this.heap[k] = this.heap[l];
      k = l;
    }
    this.heap[k] = v;
    return top;
  }
}

function split(box: Box): boolean {
  const ranges = [0, 1, 2].map((a) => {
    let lo = 255;
    let hi = 0;
    for (const c of box.colors) {
      lo = Math.min(lo, c.rgb[a] as number);
      hi = Math.max(hi, c.rgb[a] as number);
    }
    return hi - lo;
  });
  const f = [(ranges[0] as number) * 77, (ranges[1] as number) * 150, (ranges[2] as number) * 29];
  let axis = 0;
  for (let i = 1; i < 3; i++) if ((f[i] as number) > (f[axis] as number)) axis = i;
  // Descending by the axis value; runs of equal values never straddle the split.
  const sorted = [...box.colors].sort((a, b) => (b.rgb[axis] as number) - (a.rgb[axis] as number));
  let left = 0;
  let i = 0;
  while (i < sorted.length) {
    left += (sorted[i] as Color).count;
    i++;
    if (left * 2 > box.pixelCount) break;
  }
  if (i < sorted.length) {
    const value = (sorted[i - 1] as Color).rgb[axis];
    while (i < sorted.length && (sorted[i] as Color).rgb[axis] === value) i++;
  }
  if (i === sorted.length) {
    const value = (sorted[sorted.length - 1] as Color).rgb[axis];
    while (i > 0 && (sorted[i - 1] as Color).rgb[axis] === value) i--;
  }
  if (i === 0) return false;
  const l = sorted.slice(0, i);
  const r = sorted.slice(i);
  box.left = { colors: l, pixelCount: l.reduce((s, c) => s + c.count, 0) };
  box.right = { colors: r, pixelCount: r.reduce((s, c) => s + c.count, 0) };
  return true;
}

function leaves(b: Box, out: Box[]): Box[] {
  if (b.left && b.right) {
    leaves(b.left, out);
    leaves(b.right, out);
  } else if (b.colors.length > 0) out.push(b);
  return out;
}

/**
 * The palette of `Image.quantize(colors)` for interleaved 8-bit RGB pixels, as Pillow's C image holds
 * it (`ImagingQuantize`): the leaf boxes' colours, then black up to 256 entries. Mapping to that
 * palette (`quantize(palette=…)`) considers the black entries too.
 */
export function medianCutPalette(rgb: Uint8Array, colors: number): Array<[number, number, number]> {
  const counts = new Map<number, number>();
  for (let i = 0; i < rgb.length; i += 3) {
    const key = ((rgb[i] as number) << 16) | ((rgb[i + 1] as number) << 8) | (rgb[i + 2] as number);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const all: Color[] = [...counts].map(([k, count]) => ({
    rgb: [(k >> 16) & 255, (k >> 8) & 255, k & 255],
    count,
  }));
  const root: Box = { colors: all, pixelCount: rgb.length / 3 };
  const heap = new BoxHeap();
  heap.add(root);
  for (let n = colors; --n > 0; ) {
    let box: Box | undefined;
    do {
      box = heap.remove();
    } while (box && volume(box) === 1);
    if (!box || !split(box)) break;
    heap.add(box.left as Box);
    heap.add(box.right as Box);
  }
  const palette = leaves(root, []).map((b) => {
    const sum = [0, 0, 0];
    for (const c of b.colors)
      for (let a = 0; a < 3; a++) sum[a] = (sum[a] as number) + (c.rgb[a] as number) * c.count;
    return sum.map((s) => Math.trunc(0.5 + s / b.pixelCount)) as [number, number, number];
  });
  while (palette.length < 256) palette.push([0, 0, 0]);
  return palette;
}

/**
 * `convert("P", dither=NONE, palette)`: Pillow's palette cache maps each 4×4×4 colour cell to the entry
 * nearest (squared RGB distance, lowest index on ties) to the cell's lowest corner.
 */
export function mapToPalette(
  rgb: Uint8Array,
  palette: ReadonlyArray<readonly [number, number, number]>,
): Uint8Array {
  const nearest = paletteLookup(palette);
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const entry = nearest(rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number);
    const p = palette[entry] as readonly [number, number, number];
    out[i] = p[0];
    out[i + 1] = p[1];
    out[i + 2] = p[2];
  }
  return out;
}

/**
 * `convert("P", dither=FLOYDSTEINBERG, palette)` as Pillow's Convert.c does it: integer errors in
 * sixteenths (7 right, 3/5/1 below), truncating division, the palette cache for each dithered colour,
 * and Pillow's end-of-row store of the blue accumulators into all three error slots.
 */
export function mapToPaletteFloydSteinberg(
  rgb: Uint8Array,
  width: number,
  height: number,
  palette: ReadonlyArray<readonly [number, number, number]>,
): Uint8Array {
  const lookup = paletteLookup(palette);
  const out = new Uint8Array(rgb.length);
  const errors = new Int32Array((width + 1) * 3);
  const clip8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let y = 0; y < height; y++) {
    const acc = [0, 0, 0]; // running "r", "g", "b"
    const a0 = [0, 0, 0];
    const a1 = [0, 0, 0];
    let e = 0;
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      const c = [0, 1, 2].map((k) =>
        clip8(
          (rgb[at + k] as number) + Math.trunc(((acc[k] as number) + (errors[e + 3 + k] as number)) / 16),
        ),
      );
      const index = lookup(c[0] as number, c[1] as number, c[2] as number);
      const p = palette[index] as readonly [number, number, number];
      out[at] = p[0];
      out[at + 1] = p[1];
      out[at + 2] = p[2];
      for (let k = 0; k < 3; k++) {
        let v = (c[k] as number) - (p[k] as number);
        const v2 = v;
        const d2 = v + v;
        v += d2;
        errors[e + k] = v + (a0[k] as number);
        v += d2;
        a0[k] = v + (a1[k] as number);
        a1[k] = v2;
        v += d2;
        acc[k] = v;
      }
      e += 3;
    }
    // Pillow stores its blue accumulators b0, b1 and b2 (the last pixel's blue error, equal to b1).
    errors[e] = a0[2] as number;
    errors[e + 1] = a1[2] as number;
    errors[e + 2] = a1[2] as number;
  }
  return out;
}

/** Pillow's palette cache: nearest entry to the lowest corner of the colour's 4×4×4 cell. */
function paletteLookup(
  palette: ReadonlyArray<readonly [number, number, number]>,
): (r: number, g: number, b: number) => number {
  const cache = new Int16Array(64 * 64 * 64).fill(-1);
  return (r0, g0, b0) => {
    const r = r0 & ~3;
    const g = g0 & ~3;
    const b = b0 & ~3;
    const key = (r >> 2) + (g >> 2) * 64 + (b >> 2) * 4096;
    let best = cache[key] as number;
    if (best < 0) {
      let d = Number.POSITIVE_INFINITY;
      for (const [k, p] of palette.entries()) {
        const dd = (r - p[0]) ** 2 + (g - p[1]) ** 2 + (b - p[2]) ** 2;
        if (dd < d) {
          d = dd;
          best = k;
        }
      }
      cache[key] = best;
    }
    return best;
  };
}
