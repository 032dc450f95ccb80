/**
 * What a media file is, read from its own bytes (its signature), never from its name: ComfyUI writes
 * `.png` for both stills and APNG, `.webp` for stills and animations, and a user may rename anything.
 */
export type MediaFormat =
  | "png"
  | "apng"
  | "jpeg"
  | "gif"
  | "webp"
  | "bmp"
  | "tiff"
  | "mp4"
  | "webm"
  | "matroska"
  | "flac"
  | "wav"
  | "mp3"
  | "opus"
  | "vorbis"
  | "safetensors";

/** How a format is compared: pixels of one or more frames, a video stream, audio samples, tensors. */
export type MediaFamily = "image" | "video" | "audio" | "latent";

export interface MediaSignature {
  readonly format: MediaFormat;
  readonly family: MediaFamily;
  /**
   * For image formats: whether the header declares an animation (APNG `acTL`, WebP `VP8X` animation
   * flag, GIF with more than one image). A one-frame APNG is still an animation (SaveAnimatedPNG writes those).
   */
  readonly animated: boolean;
}

const FAMILY: Record<MediaFormat, MediaFamily> = {
  png: "image",
  apng: "image",
  jpeg: "image",
  gif: "image",
  webp: "image",
  bmp: "image",
  tiff: "image",
  mp4: "video",
  webm: "video",
  matroska: "video",
  flac: "audio",
  wav: "audio",
  mp3: "audio",
  opus: "audio",
  vorbis: "audio",
  safetensors: "latent",
};

const ascii = (bytes: Uint8Array, start: number, text: string): boolean => {
  if (bytes.length < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
};

const indexOfAscii = (bytes: Uint8Array, text: string, from: number, to: number): number => {
  const end = Math.min(to, bytes.length) - text.length;
  for (let i = from; i <= end; i++) if (ascii(bytes, i, text)) return i;
  return -1;
};

const u32be = (b: Uint8Array, i: number): number =>
  ((b[i] ?? 0) * 0x1000000 + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0))) >>> 0;

/** PNG: an `acTL` chunk before the first `IDAT` makes it an APNG. */
function pngIsAnimated(bytes: Uint8Array): boolean {
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = u32be(bytes, offset);
    if (ascii(bytes, offset + 4, "acTL")) return true;
    if (ascii(bytes, offset + 4, "IDAT")) return false;
    offset += 12 + length;
  }
  return false;
}

/** GIF: more than one image descriptor. Walks the block structure (header, colour tables, extensions). */
function gifIsAnimated(bytes: Uint8Array): boolean {
  if (bytes.length < 13) return false;
  let offset = 13;
  const packed = bytes[10] ?? 0;
  if (packed & 0x80) offset += 3 * (1 << ((packed & 7) + 1));
  let images = 0;
  const skipSubBlocks = (): void => {
    while (offset < bytes.length) {
      const size = bytes[offset] ?? 0;
      offset += 1 + size;
      if (size === 0) return;
    }
  };
  while (offset < bytes.length) {
    const introducer = bytes[offset];
    if (introducer === 0x3b) break;
    if (introducer === 0x21) {
      offset += 2;
      skipSubBlocks();
    } else if (introducer === 0x2c) {
      if (++images > 1) return true;
      const local = bytes[offset + 9] ?? 0;
      offset += 10;
      if (local & 0x80) offset += 3 * (1 << ((local & 7) + 1));
      offset += 1; // LZW minimum code size
      skipSubBlocks();
    } else {
      break;
    }
  }
  return false;
}

function signature(format: MediaFormat, animated = false): MediaSignature {
  return { format, family: FAMILY[format], animated };
}

/**
 * Classifies a file by its signature. Returns undefined for bytes no supported format starts with
 * (text outputs, truncated files): the caller decides what that means and names the file.
 */
export function sniffMedia(bytes: Uint8Array): MediaSignature | undefined {
  if (bytes.length >= 8 && u32be(bytes, 0) === 0x89504e47 && u32be(bytes, 4) === 0x0d0a1a0a) {
    return pngIsAnimated(bytes) ? signature("apng", true) : signature("png");
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return signature("jpeg");
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return signature("gif", gifIsAnimated(bytes));
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) {
    const animated = ascii(bytes, 12, "VP8X") && ((bytes[20] ?? 0) & 0x02) !== 0;
    return signature("webp", animated);
  }
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WAVE")) return signature("wav");
  if (ascii(bytes, 0, "BM") && bytes.length >= 26) return signature("bmp");
  if (ascii(bytes, 0, "II*\0") || ascii(bytes, 0, "MM\0*")) return signature("tiff");
  if (ascii(bytes, 4, "ftyp")) return signature("mp4");
  if (u32be(bytes, 0) === 0x1a45dfa3) {
    // EBML: the DocType element says "webm" or "matroska" within the header.
    return signature(indexOfAscii(bytes, "webm", 4, 64) >= 0 ? "webm" : "matroska");
  }
  if (ascii(bytes, 0, "fLaC")) return signature("flac");
  if (ascii(bytes, 0, "OggS")) {
    if (indexOfAscii(bytes, "OpusHead", 28, 64) >= 0) return signature("opus");
    if (indexOfAscii(bytes, "vorbis", 28, 64) >= 0) return signature("vorbis");
    return undefined;
  }
  if (
    ascii(bytes, 0, "ID3") ||
    (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0 && bytes.length >= 4)
  ) {
    return signature("mp3");
  }
  // safetensors (ComfyUI's .latent files too): u64 little-endian header length, then a JSON object.
  if (bytes.length >= 10 && bytes[8] === 0x7b) {
    const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
    if (headerLength >= 2 && 8 + headerLength <= bytes.length) return signature("safetensors");
  }
  return undefined;
}
