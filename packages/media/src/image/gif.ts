import { corruptImage } from "./image-errors.js";

// An own GIF decoder rather than libvips's: LoadImage needs the frames exactly as Pillow 9.4's
// GifImagePlugin builds them, which no viewer-oriented decoder does — frame 0 stays a palette
// image (with the transparent index filling the canvas), later frames become RGB or RGBA by
// converting the previous canvas with the *first* frame's palette, disposal is sticky across
// frames, and "restore to background" paints the current palette's background or transparent
// colour. This file follows `GifImageFile._seek`, `load_prepare` and `load_end` step by step.

/** One frame as PIL holds it after `seek(i)` and `load()`. */
export interface GifFrame {
  /** "P" (first frame, with a palette), "L" (first frame, grey-ramp palette), then "RGB" or "RGBA". */
  readonly mode: "P" | "L" | "RGB" | "RGBA";
  readonly width: number;
  readonly height: number;
  /** P/L: one palette index per pixel; RGB/RGBA: interleaved samples. */
  readonly data: Uint8Array;
  /** P: the colour table of the frame (RGB triples). */
  readonly palette?: Uint8Array;
  /** P/L: PIL's `info["transparency"]`, the transparent palette index of the first frame. */
  readonly transparency?: number;
  /** The graphic control extension's delay in milliseconds (`info["duration"]`), if the frame has one. */
  readonly durationMs?: number;
}

/** Every frame of a GIF and the NETSCAPE2.0 loop count (absent when the file has none). */
export interface DecodedGif {
  readonly width: number;
  readonly height: number;
  readonly frames: GifFrame[];
  readonly loop?: number;
}

interface Canvas {
  mode: GifFrame["mode"];
  data: Uint8Array;
  /** The palette the P canvas is converted with (the first frame's). */
  palette: Uint8Array | undefined;
}

interface Dispose {
  readonly extent: readonly [number, number, number, number];
  /** Pixels to paste back (mode of the canvas at the time), or one colour to fill with. */
  readonly data?: Uint8Array;
  readonly fill?: readonly number[];
  readonly mode: "P" | "RGB" | "RGBA";
}

const CHANNELS = { P: 1, L: 1, RGB: 3, RGBA: 4 } as const;

/** Decodes every frame of a GIF as Pillow 9.4 iterates them (`ImageSequence.Iterator`). */
export function decodeGif(bytes: Uint8Array, source = "GIF image"): DecodedGif {
  if (bytes.length < 13 || !/^GIF8[79]a$/.test(String.fromCharCode(...bytes.subarray(0, 6)))) {
    throw corruptImage(source, "not a GIF file");
  }
  const u16 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8);
  const width = u16(6);
  const height = u16(8);
  const flags = bytes[10]!;
  let pos = 13;
  let globalPalette: Uint8Array | undefined;
  let background = 0;
  if (flags & 0x80) {
    background = bytes[11]!;
    const size = 3 << ((flags & 7) + 1);
    if (pos + size > bytes.length) throw corruptImage(source, "truncated inside the global colour table");
    const table = bytes.slice(pos, pos + size);
    if (isPaletteNeeded(table)) globalPalette = table;
    pos += size;
  }
  const frames: GifFrame[] = [];
  let loop: number | undefined;
  let canvas: Canvas | undefined;
  let dispose: Dispose | undefined;
  let disposalMethod = 0; // sticky: only a non-zero value in a later frame replaces it
  let infoTransparency: number | undefined;

  for (let index = 0; ; index++) {
    // Blocks up to the next image descriptor.
    let frameTransparency: number | undefined;
    let durationMs: number | undefined;
    let descriptor: number | undefined;
    while (pos < bytes.length) {
      const block = bytes[pos++]!;
      if (block === 0x3b) break;
      if (block === 0x21) {
        const label = bytes[pos++];
        const first = readSubBlock(bytes, pos);
        if (label === 0xf9 && first.length >= 4) {
          if (first[0]! & 1) frameTransparency = first[3]!;
          durationMs = (first[1]! | (first[2]! << 8)) * 10;
          const bits = (first[0]! >> 2) & 7;
          if (bits) disposalMethod = bits;
        } else if (
          label === 0xff &&
          index === 0 &&
          String.fromCharCode(...first.subarray(0, 11)) === "NETSCAPE2.0"
        ) {
          const next = readSubBlock(bytes, pos + 1 + first.length);
          if (next.length >= 3 && next[0] === 1) loop = next[1]! | (next[2]! << 8);
        }
        pos = skipSubBlocks(bytes, pos);
        continue;
      }
      if (block === 0x2c) {
        descriptor = pos;
        break;
      }
      // PIL ignores bytes it does not recognise between blocks.
    }
    if (descriptor === undefined) break;
    if (descriptor + 10 > bytes.length) throw corruptImage(source, "truncated inside an image descriptor");
    const x0 = u16(descriptor);
    const y0 = u16(descriptor + 2);
    const x1 = Math.min(width, x0 + u16(descriptor + 4));
    const y1 = Math.min(height, y0 + u16(descriptor + 6));
    const fw = u16(descriptor + 4);
    const fh = u16(descriptor + 6);
    const fflags = bytes[descriptor + 8]!;
    pos = descriptor + 9;
    let localPalette: Uint8Array | false | undefined;
    if (fflags & 0x80) {
      const size = 3 << ((fflags & 7) + 1);
      const table = bytes.slice(pos, pos + size);
      localPalette = isPaletteNeeded(table) ? table : false;
      pos += size;
    }
    const minCodeSize = bytes[pos++];
    if (minCodeSize === undefined) throw corruptImage(source, `truncated before the data of frame ${index}`);
    const dataStart = pos;
    pos = skipSubBlocks(bytes, pos);
    const lzw = concatSubBlocks(bytes, dataStart, pos);

    // _seek: apply the previous frame's disposal, then (after the first frame) turn P into RGB(A).
    if (canvas && dispose) paste(canvas, width, dispose);
    const framePalette = localPalette !== undefined ? localPalette || undefined : globalPalette;
    if (index > 0 && canvas && canvas.mode === "P") {
      convertCanvas(canvas, infoTransparency);
      infoTransparency = undefined;
    }
    const mode: GifFrame["mode"] = canvas ? canvas.mode : framePalette ? "P" : "L";

    // Disposal of this frame, applied before the next one.
    const extent = [x0, y0, x1, y1] as const;
    const rgb = (c: number): number[] =>
      framePalette
        ? [framePalette[c * 3] ?? c, framePalette[c * 3 + 1] ?? c, framePalette[c * 3 + 2] ?? c]
        : [c, c, c];
    const paletted = mode === "P" || mode === "L";
    if (disposalMethod < 2) {
      dispose = undefined;
    } else if (disposalMethod === 2) {
      const color = infoTransparency ?? frameTransparency;
      if (color !== undefined)
        dispose = paletted
          ? { extent, mode: "P", fill: [color] }
          : { extent, mode: "RGBA", fill: [...rgb(color), 0] };
      else
        dispose = paletted
          ? { extent, mode: "P", fill: [background] }
          : { extent, mode: "RGB", fill: rgb(background) };
    } else if (canvas) {
      dispose = {
        extent,
        mode: paletted ? "P" : canvas.mode === "RGBA" ? "RGBA" : "RGB",
        data: crop(canvas, width, extent),
      };
    } else if (frameTransparency !== undefined) {
      dispose = { extent, mode: "P", fill: [frameTransparency] };
    }

    // load_prepare + decode + load_end.
    const indices = new Uint8Array(fw * fh).fill(frameTransparency ?? 0);
    decodeLzw(lzw, minCodeSize, indices, source, index);
    const rows = fflags & 0x40 ? interlacedRows(fh) : undefined;
    if (!canvas) {
      // The first frame: a palette canvas pre-filled with the transparent index (else 0).
      const data = new Uint8Array(width * height).fill(frameTransparency ?? 0);
      placeIndices(data, width, indices, fw, rows, extent, () => true);
      canvas = { mode, data, palette: framePalette };
      if (frameTransparency !== undefined) infoTransparency = frameTransparency;
    } else {
      const channels = CHANNELS[canvas.mode];
      const palette = framePalette;
      const target = canvas.data;
      const opaque = (i: number) => i !== frameTransparency;
      placeIndices(undefined, width, indices, fw, rows, extent, (at, i) => {
        if (!opaque(i)) return false;
        if (channels === 1) {
          // An "L" first frame stays L: later frames are decoded into it as indices.
          target[at] = i;
          return true;
        }
        const o = at * channels;
        target[o] = palette ? (palette[i * 3] ?? i) : i;
        target[o + 1] = palette ? (palette[i * 3 + 1] ?? i) : i;
        target[o + 2] = palette ? (palette[i * 3 + 2] ?? i) : i;
        if (channels === 4) target[o + 3] = 255;
        return true;
      });
    }
    frames.push({
      mode: canvas.mode,
      width,
      height,
      data: canvas.data.slice(),
      ...(canvas.mode === "P" && canvas.palette ? { palette: canvas.palette } : {}),
      ...(index === 0 && infoTransparency !== undefined ? { transparency: infoTransparency } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
    });
  }
  if (frames.length === 0) throw corruptImage(source, "no image frames (truncated or empty)");
  return { width, height, frames, ...(loop !== undefined ? { loop } : {}) };
}

/** `_is_palette_needed`: a table that is exactly the grey ramp (i, i, i) makes the frame "L". */
function isPaletteNeeded(table: Uint8Array): boolean {
  for (let i = 0; i < table.length; i += 3) {
    const v = i / 3;
    if (table[i] !== v || table[i + 1] !== v || table[i + 2] !== v) return true;
  }
  return false;
}

/** The first frame's P canvas becomes RGBA (when it had a transparent index) or RGB, with its palette. */
function convertCanvas(canvas: Canvas, transparency: number | undefined): void {
  const n = canvas.data.length;
  const channels = transparency !== undefined ? 4 : 3;
  const out = new Uint8Array(n * channels);
  const palette = canvas.palette;
  for (let p = 0; p < n; p++) {
    const i = canvas.data[p]!;
    const o = p * channels;
    // Entries past the end of a short palette are PIL's initial grey ramp.
    out[o] = palette ? (palette[i * 3] ?? i) : i;
    out[o + 1] = palette ? (palette[i * 3 + 1] ?? i) : i;
    out[o + 2] = palette ? (palette[i * 3 + 2] ?? i) : i;
    if (channels === 4) out[o + 3] = i === transparency ? 0 : 255;
  }
  canvas.mode = channels === 4 ? "RGBA" : "RGB";
  canvas.data = out;
  canvas.palette = undefined;
}

function crop(
  canvas: Canvas,
  width: number,
  [x0, y0, x1, y1]: readonly [number, number, number, number],
): Uint8Array {
  const channels = CHANNELS[canvas.mode];
  const out = new Uint8Array((x1 - x0) * (y1 - y0) * channels);
  for (let y = y0; y < y1; y++) {
    out.set(
      canvas.data.subarray((y * width + x0) * channels, (y * width + x1) * channels),
      (y - y0) * (x1 - x0) * channels,
    );
  }
  return out;
}

/** `im.paste(dispose, extent)`: copies (no mask) into the canvas; an RGBA fill into RGB keeps its RGB. */
function paste(canvas: Canvas, width: number, d: Dispose): void {
  const [x0, y0, x1, y1] = d.extent;
  const channels = CHANNELS[canvas.mode];
  const from = d.mode === "P" ? 1 : d.mode === "RGB" ? 3 : 4;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * width + x) * channels;
      const s = ((y - y0) * (x1 - x0) + (x - x0)) * from;
      for (let c = 0; c < channels; c++) {
        const v = d.data ? d.data[s + c] : d.fill?.[c];
        canvas.data[o + c] = c < from ? (v ?? 0) : 255;
      }
    }
  }
}

/** Writes decoded indices into the extent (rows de-interlaced); `put` returns false to leave a pixel. */
function placeIndices(
  target: Uint8Array | undefined,
  width: number,
  indices: Uint8Array,
  fw: number,
  rows: number[] | undefined,
  [x0, y0, x1, y1]: readonly [number, number, number, number],
  put: (at: number, index: number) => boolean,
): void {
  const fh = indices.length / fw;
  for (let r = 0; r < fh; r++) {
    const y = y0 + (rows ? rows[r]! : r);
    if (y >= y1) continue;
    for (let x = 0; x < fw && x0 + x < x1; x++) {
      const i = indices[r * fw + x]!;
      const at = y * width + x0 + x;
      if (target) target[at] = i;
      else put(at, i);
    }
  }
}

function readSubBlock(bytes: Uint8Array, at: number): Uint8Array {
  const n = bytes[at] ?? 0;
  return bytes.subarray(at + 1, at + 1 + n);
}

function skipSubBlocks(bytes: Uint8Array, at: number): number {
  while (at < bytes.length) {
    const n = bytes[at]!;
    at += 1 + n;
    if (n === 0) break;
  }
  return Math.min(at, bytes.length);
}

function concatSubBlocks(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = start; at < end; ) {
    const n = bytes[at]!;
    if (n === 0) break;
    parts.push(bytes.subarray(at + 1, Math.min(end, at + 1 + n)));
    at += 1 + n;
  }
  return Buffer.concat(parts);
}

function interlacedRows(h: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ] as const) {
    for (let y = start; y < h; y += step) rows.push(y);
  }
  return rows;
}

/**
 * LZW with prefix/suffix tables. Writes as many indices as the data holds into `out` (pre-filled
 * with the frame's fill index, as PIL's canvas is); a code that refers to no entry is corrupt.
 */
function decodeLzw(
  data: Uint8Array,
  minCodeSize: number,
  out: Uint8Array,
  source: string,
  frame: number,
): void {
  if (minCodeSize < 1 || minCodeSize > 11) {
    throw corruptImage(source, `frame ${frame} has an invalid LZW code size ${minCodeSize}`);
  }
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const firstOf = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < clear; i++) {
    suffix[i] = i;
    firstOf[i] = i;
    length[i] = 1;
    prefix[i] = -1;
  }
  let next = clear + 2;
  let codeSize = minCodeSize + 1;
  let previous = -1;
  let bitPos = 0;
  let outPos = 0;
  const total = data.length * 8;
  while (outPos < out.length && bitPos + codeSize <= total) {
    let code = 0;
    for (let i = 0; i < codeSize; i++, bitPos++) code |= ((data[bitPos >> 3]! >> (bitPos & 7)) & 1) << i;
    if (code === clear) {
      next = clear + 2;
      codeSize = minCodeSize + 1;
      previous = -1;
      continue;
    }
    if (code === end) break;
    let entry = code;
    if (code >= next) {
      if (previous < 0 || code > next) {
        throw corruptImage(source, `frame ${frame} has corrupt LZW data (code ${code}, next entry ${next})`);
      }
      entry = previous;
    }
    if (previous >= 0 && next < 4096) {
      prefix[next] = previous;
      suffix[next] = firstOf[entry]!;
      firstOf[next] = firstOf[previous]!;
      length[next] = length[previous]! + 1;
      next++;
      if (next === 1 << codeSize && codeSize < 12) codeSize++;
    }
    // Emit the string of `code` (now defined) backwards from its last symbol.
    const n = length[code]!;
    let at = outPos + n - 1;
    for (let c = code; c >= 0; c = prefix[c]!) {
      if (at < out.length) out[at] = suffix[c]!;
      at--;
    }
    outPos += n;
    previous = code;
  }
}
