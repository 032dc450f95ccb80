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
 * (with the exif/alpha/animation flags; a plain still has none), ANIM (background transparent black, as PIL writes
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
  if (animated && !options.lossless) return encodeLossyAnimation(sharp, images, options);
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
  // WebPMux writes the simple format (no VP8X) for a still without alpha or metadata.
  if (flags === 0) return riff(body);
  const vp8x = new Uint8Array(10);
  vp8x[0] = flags;
  const w = width - 1;
  const h = height - 1;
  vp8x.set([w & 255, (w >> 8) & 255, (w >> 16) & 255, h & 255, (h >> 8) & 255, (h >> 16) & 255], 4);
  return riff([chunk("VP8X", vp8x), ...body, ...(exif ? [chunk("EXIF", exif)] : [])]);
}

function riff(parts: readonly Uint8Array[]): Uint8Array {
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

/**
 * A lossy animation as PIL's WebPAnimEncoder (keyframes every 3–5 frames) writes one whose frames
 * change everywhere: every frame a full-canvas VP8 bitstream — the same bytes as a still of it —
 * the first without blending, the others alpha-blended, identical consecutive frames merged into one
 * longer frame. libvips's own animated path disables keyframes, which changes every lossy frame; a
 * frame that changes only in part is stored whole here, where WebPAnimEncoder would store the changed
 * rectangle.
 */
async function encodeLossyAnimation(
  sharp: Awaited<ReturnType<typeof loadSharp>>,
  images: WebpFrames,
  options: EncodeWebpOptions,
): Promise<Uint8Array> {
  const { width, height, channels, frames } = images;
  const duration = options.durationMs ?? 0;
  const runs: Array<{ frame: Uint8Array; duration: number }> = [];
  for (const frame of frames) {
    const last = runs.at(-1);
    if (last && Buffer.from(last.frame.buffer, last.frame.byteOffset, last.frame.byteLength).equals(frame)) {
      last.duration += duration;
    } else runs.push({ frame, duration });
  }
  const anmf: Uint8Array[] = [];
  let alpha = 0;
  for (const [i, run] of runs.entries()) {
    const still = await sharp(run.frame, { raw: { width, height, channels } })
      .webp({ lossless: false, quality: options.quality, effort: options.method })
      .toBuffer();
    const payload: Uint8Array[] = [];
    for (let at = 12; at + 8 <= still.length; ) {
      const type = fourcc(still, at);
      const size = u32le(still, at + 4);
      if (type === "ALPH" || type === "VP8 ") payload.push(still.subarray(at, at + 8 + size + (size & 1)));
      if (type === "ALPH") alpha = 0x10;
      at += 8 + size + (size & 1);
    }
    const header = new Uint8Array(16);
    const w = width - 1;
    const h = height - 1;
    header.set([
      0,
      0,
      0,
      0,
      0,
      0,
      w & 255,
      (w >> 8) & 255,
      (w >> 16) & 255,
      h & 255,
      (h >> 8) & 255,
      (h >> 16) & 255,
    ]);
    header.set([run.duration & 255, (run.duration >> 8) & 255, (run.duration >> 16) & 255], 12);
    header[15] = i === 0 ? 0x02 : 0x00; // bit 1: do not blend
    anmf.push(chunk("ANMF", Buffer.concat([header, ...payload])));
  }
  const anim = new Uint8Array(6);
  anim.set([(options.loop ?? 0) & 255, ((options.loop ?? 0) >> 8) & 255], 4);
  const vp8x = new Uint8Array(10);
  vp8x[0] = 0x02 | alpha;
  const riff = [chunk("VP8X", vp8x), chunk("ANIM", anim), ...anmf];
  const size = riff.reduce((n, p) => n + p.length, 4);
  const out = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBP"), ...riff]);
  out.writeUInt32LE(size, 4);
  return remux(out, width, height, options.exif, 1);
}
