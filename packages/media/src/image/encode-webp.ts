import { MediaInputError } from "../errors.js";
import { loadSharp } from "./sharp-loader.js";

/** Frames to encode: 8-bit interleaved RGB or RGBA, all of one size. */
export interface WebpFrames {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly frames: readonly Uint8Array[];
}

export interface EncodeWebpOptions {
  readonly lossless: boolean;
  /** 0–100, as libwebp's `quality`. */
  readonly quality: number;
  /** libwebp's `method` 0 (fastest) – 6 (slowest). */
  readonly method: number;
  /** Per-frame duration of an animation, in milliseconds. */
  readonly durationMs?: number;
  /** Animation loop count (0 = forever). Default 0. */
  readonly loop?: number;
  /** The payload of an `EXIF` chunk, written after the image data (the VP8X exif flag is set). */
  readonly exif?: Uint8Array;
}

/**
 * Encodes a still (one frame) or an animated WebP with libwebp through sharp: libwebp's default
 * config with the given lossless/quality/method (alpha quality 100, no `exact`, no sharp YUV),
 * WebPAnimEncoder for animations. The file is then muxed as libwebp's WebPMux assembles it: VP8X
 * (always, with the exif/alpha/animation flags), ANIM (background transparent black, as PIL writes
 * it) and ANMF frames or the still bitstream, EXIF.
 */
export async function encodeWebp(images: WebpFrames, options: EncodeWebpOptions): Promise<Uint8Array> {
  const { width, height, channels, frames } = images;
  const frameBytes = width * height * channels;
  if (frames.length === 0) throw new MediaInputError("encodeWebp needs at least one frame");
  for (const [i, f] of frames.entries()) {
    if (f.length !== frameBytes) {
      throw new MediaInputError(
        `encodeWebp: frame ${i} has ${f.length} bytes, ${width}×${height}×${channels} needs ${frameBytes}`,
      );
    }
  }
  const sharp = await loadSharp("Encoding WebP");
  const animated = frames.length > 1;
  // sharp takes delays up to 65535 ms; longer ones (fps < 0.016) are written into the ANMF chunks after.
  const duration = options.durationMs ?? 0;
  const delay = Math.min(duration, 65535);
  const pixels = animated ? Buffer.concat(frames) : frames[0]!;
  const raw = {
    width,
    height: height * frames.length,
    channels,
    ...(animated ? { pageHeight: height } : {}),
  };
  const encoded = await sharp(pixels, { raw })
    .webp({
      lossless: options.lossless,
      quality: options.quality,
      effort: options.method,
      ...(animated ? { loop: options.loop ?? 0, delay: frames.map(() => delay) } : {}),
    })
    .toBuffer();
  const webp = new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  return remux(webp, width, height, options.exif, delay > 0 && duration !== delay ? duration / delay : 1);
}

const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
const u32le = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

function chunk(type: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length + (payload.length & 1));
  for (let i = 0; i < 4; i++) out[i] = type.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, payload.length, true);
  out.set(payload, 8);
  return out;
}

/** Rebuilds the RIFF container with a VP8X header whose flags match its chunks, and the EXIF chunk last. */
function remux(
  webp: Uint8Array,
  width: number,
  height: number,
  exif: Uint8Array | undefined,
  durationScale: number,
): Uint8Array {
  const body: Uint8Array[] = [];
  let flags = 0;
  for (let at = 12; at + 8 <= webp.length; ) {
    const type = fourcc(webp, at);
    const size = u32le(webp, at + 4);
    const whole = webp.subarray(at, at + 8 + size + (size & 1));
    if (type === "VP8X")
      flags = webp[at + 8]! & 0x12; // keep animation and alpha
    else if (type === "ANIM") {
      // The background colour PIL (and ComfyUI) write: transparent black; libvips writes its own.
      const anim = whole.slice();
      anim.fill(0, 8, 12);
      body.push(anim);
    } else if (type === "ANMF" && durationScale !== 1) {
      // A frame WebPAnimEncoder merged with identical followers lasts a multiple of the delay.
      const frame = whole.slice();
      const at = 8 + 12;
      const ms = Math.round((frame[at]! | (frame[at + 1]! << 8) | (frame[at + 2]! << 16)) * durationScale);
      frame.set([ms & 255, (ms >> 8) & 255, (ms >> 16) & 255], at);
      body.push(frame);
    } else if (type !== "EXIF" && type !== "XMP " && type !== "ICCP") body.push(whole);
    if (type === "ALPH") flags |= 0x10;
    if (type === "VP8L" && ((u32le(webp, at + 9) >>> 28) & 1) === 1) flags |= 0x10;
    at += 8 + size + (size & 1);
  }
  if (exif) flags |= 0x08;
  const vp8x = new Uint8Array(10);
  vp8x[0] = flags;
  const w = width - 1;
  const h = height - 1;
  vp8x.set([w & 255, (w >> 8) & 255, (w >> 16) & 255, h & 255, (h >> 8) & 255, (h >> 16) & 255], 4);
  const parts = [chunk("VP8X", vp8x), ...body, ...(exif ? [chunk("EXIF", exif)] : [])];
  const size = parts.reduce((n, p) => n + p.length, 4);
  const out = new Uint8Array(8 + size);
  out.set([0x52, 0x49, 0x46, 0x46], 0);
  new DataView(out.buffer).setUint32(4, size, true);
  out.set([0x57, 0x45, 0x42, 0x50], 8);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
