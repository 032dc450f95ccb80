import { type MediaFormat, sniffMedia } from "@comfy-ts/media/sniff";
import { UnrecognizedOutputError } from "../errors.js";

/**
 * What a golden is, as a user means it: a still image, an animation (APNG, animated WebP, GIF), a
 * video, audio, a latent (safetensors) or text. Each kind has its own facts, comparators and pictures.
 */
export type GoldenKind = "image" | "animation" | "video" | "audio" | "latent" | "text";

export const GOLDEN_KINDS: readonly GoldenKind[] = ["image", "animation", "video", "audio", "latent", "text"];

/** The file formats goldens are kept in: a media format, or `text`. */
export type GoldenFormat = MediaFormat | "text";

export interface Classified {
  readonly kind: GoldenKind;
  readonly format: GoldenFormat;
  /** The file extension the golden is kept under (its real one; `.txt` for text outputs). */
  readonly extension: string;
}

const EXTENSIONS: Record<GoldenFormat, string> = {
  png: "png",
  apng: "png",
  jpeg: "jpg",
  gif: "gif",
  webp: "webp",
  bmp: "bmp",
  tiff: "tiff",
  mp4: "mp4",
  webm: "webm",
  matroska: "mkv",
  flac: "flac",
  wav: "wav",
  mp3: "mp3",
  opus: "opus",
  vorbis: "ogg",
  safetensors: "latent",
  text: "txt",
};

/** What ComfyUI's UI output key says about the kind, where the signature alone cannot: audio-only MP4, latents. */
const KIND_BY_OUTPUT_KEY: Readonly<Record<string, GoldenKind>> = { audio: "audio", latents: "latent" };

/**
 * Classifies an output by its own bytes (`sniffMedia`: never by its name — ComfyUI writes `.png` for
 * stills and APNG) and, where the signature leaves it open, by ComfyUI's output key. `filename` only
 * gives the extension of a file whose name has a more specific one (`.jpeg`, `.m4a`).
 */
export function classifyOutput(
  value: { readonly bytes: Uint8Array; readonly filename?: string; readonly outputKey?: string },
  source: string,
): Classified {
  const signature = sniffMedia(value.bytes);
  if (!signature) {
    const head = [...value.bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new UnrecognizedOutputError(
      source,
      value.bytes.length === 0
        ? `${source} is empty`
        : `${source} is not a format comfy-ts compares (first bytes ${head}): images (PNG, APNG, JPEG, WebP, GIF, BMP, TIFF), video (MP4, WebM, Matroska), audio (FLAC, WAV, MP3, Opus, Vorbis), latents (safetensors) — or pass text as a string`,
    );
  }
  const byKey = value.outputKey ? KIND_BY_OUTPUT_KEY[value.outputKey] : undefined;
  const kind: GoldenKind =
    byKey ?? (signature.family === "image" ? (signature.animated ? "animation" : "image") : signature.family);
  const own = value.filename ? /\.([A-Za-z0-9]{1,8})$/.exec(value.filename)?.[1]?.toLowerCase() : undefined;
  const extension = own && sameFormatExtension(signature.format, own) ? own : EXTENSIONS[signature.format];
  return { kind, format: signature.format, extension };
}

/** Text outputs (PreviewAny and friends) are kept as UTF-8 `.txt` files. */
export const TEXT_CLASS: Classified = { kind: "text", format: "text", extension: "txt" };

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  jpeg: ["jpg", "jpeg"],
  tiff: ["tif", "tiff"],
  mp4: ["mp4", "m4a", "m4v", "mov"],
  matroska: ["mkv", "mka"],
  vorbis: ["ogg", "oga"],
  opus: ["opus", "ogg"],
  safetensors: ["latent", "safetensors"],
};

function sameFormatExtension(format: GoldenFormat, extension: string): boolean {
  return (ALIASES[format] ?? [EXTENSIONS[format]]).includes(extension);
}
