import { decodePng, type PngStructure } from "@comfy-ts/core/png";
import { raster, type Unit } from "../compare/samples.js";
import { UnrecognizedOutputError } from "../errors.js";
import type { DecodedOutput, Fact } from "./decoded-output.js";
import type { Classified } from "./output-kind.js";

/** The media decoders, loaded on first use (sharp and FFmpeg are large; a PNG comparison needs neither). */
const media = () => import("@comfy-ts/media");

const fact = (name: string, value: string | number): Fact => ({ name, value });

/** A PNG still: native samples (8 or 16 bits), or the RGBA view for palettes and sub-byte gray. */
export function decodePngOutput(bytes: Uint8Array | PngStructure, source: string): DecodedOutput {
  const png = decodePng(bytes, { source });
  const native = png.colorType !== 3 && png.bitDepth >= 8;
  const samples = native
    ? raster(
        {
          width: png.width,
          height: png.height,
          channels: png.channels,
          maxValue: png.bitDepth === 16 ? 65535 : 255,
          data: png.samples,
        },
        () => png.toRgba().data,
      )
    : raster({ width: png.width, height: png.height, channels: 4, maxValue: 255, data: png.toRgba().data });
  return {
    kind: "image",
    format: "png",
    facts: [
      fact("size", `${png.width}×${png.height}`),
      fact("channels", samples.channels),
      fact("bit depth", native ? png.bitDepth : 8),
    ],
    units: [{ label: "", samples }],
  };
}

/**
 * Stills other than PNG, and animations (APNG, animated WebP, GIF), through `@comfy-ts/media`'s
 * `decodeImage`: the file's own samples (CMYK stays CMYK), every frame composited on the canvas.
 * Animations add their frame count, per-frame durations and loop count to the facts.
 */
async function decodeImageOutput(
  bytes: Uint8Array,
  classified: Classified,
  source: string,
): Promise<DecodedOutput> {
  const { decodeImage } = await media();
  const image = await decodeImage(bytes, { name: source });
  const maxValue = image.bitDepth === 16 ? 65535 : 255;
  const units: Unit[] = image.frames.map((frame, i) => ({
    label: classified.kind === "animation" ? `frame ${i}` : "",
    samples: raster({
      width: image.width,
      height: image.height,
      channels: image.channels,
      maxValue,
      data: frame.data,
    }),
  }));
  const facts: Fact[] = [
    fact("size", `${image.width}×${image.height}`),
    fact("layout", image.layout),
    fact("bit depth", image.bitDepth),
  ];
  if (classified.kind === "animation") {
    facts.push(
      fact("frames", image.frames.length),
      fact("durations (ms)", image.frames.map((f) => f.durationMs ?? 0).join(", ")),
      fact("loop", image.loop ?? 0),
    );
  }
  return { kind: classified.kind, format: classified.format, facts, units };
}

async function decodeVideoOutput(bytes: Uint8Array, source: string): Promise<DecodedOutput> {
  const { decodeVideo } = await media();
  const video = await decodeVideo(bytes, { name: source, rgb: true });
  const units: Unit[] = video.frames.map((frame) => ({
    label: `frame ${frame.index}`,
    samples: raster({
      width: frame.width,
      height: frame.height,
      channels: 3,
      maxValue: 255,
      data: frame.rgb!,
    }),
  }));
  const fps = video.fps ? `${video.fps.num}/${video.fps.den}` : "unknown";
  return {
    kind: "video",
    format: "mp4",
    facts: [
      fact("codec", video.stream.codec),
      fact("size", `${video.width}×${video.height}`),
      fact("pixel format", video.stream.pixFmt),
      fact("frames", video.frameCount),
      fact("fps", fps),
    ],
    units,
  };
}

async function decodeAudioOutput(bytes: Uint8Array, source: string): Promise<DecodedOutput> {
  const { decodeAudio } = await media();
  const audio = await decodeAudio(bytes, { name: source });
  return {
    kind: "audio",
    format: "flac",
    facts: [
      fact("codec", audio.stream.codec),
      fact("sample rate", audio.sampleRate),
      fact("channels", audio.channels),
      fact("samples", audio.sampleCount),
    ],
    units: [
      { label: "", samples: { type: "signal", sampleRate: audio.sampleRate, channels: audio.samples } },
    ],
  };
}

async function decodeLatentOutput(bytes: Uint8Array, source: string): Promise<DecodedOutput> {
  const { decodeSafetensors } = await media();
  const { tensors } = decodeSafetensors(bytes, { name: source });
  const facts: Fact[] = [fact("tensors", [...tensors.keys()].join(", "))];
  const units: Unit[] = [];
  for (const [name, tensor] of tensors) {
    facts.push(fact(`${name} dtype`, tensor.dtype), fact(`${name} shape`, `[${tensor.shape.join(", ")}]`));
    units.push({
      label: `tensor "${name}"`,
      samples: { type: "tensor", dtype: tensor.dtype, shape: tensor.shape, values: tensor.values() },
    });
  }
  return { kind: "latent", format: "safetensors", facts, units };
}

function decodeTextOutput(bytes: Uint8Array, source: string): DecodedOutput {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new UnrecognizedOutputError(source, `${source} is not UTF-8 text (${(error as Error).message})`);
  }
  return { kind: "text", format: "text", facts: [], units: [{ label: "", samples: { type: "text", text } }] };
}

/**
 * Decodes an output of a known class for comparison. Corrupt or truncated files throw the decoder's
 * typed error naming `source` (`PngDecodeError`, `CorruptMediaError`); a missing codec library throws
 * `MediaLibraryMissingError` saying what to install.
 */
export async function decodeOutput(
  bytes: Uint8Array,
  classified: Classified,
  source: string,
  png?: PngStructure,
): Promise<DecodedOutput> {
  const withFormat = (decoded: DecodedOutput): DecodedOutput => ({ ...decoded, format: classified.format });
  switch (classified.kind) {
    case "video":
      return withFormat(await decodeVideoOutput(bytes, source));
    case "audio":
      return withFormat(await decodeAudioOutput(bytes, source));
    case "latent":
      return decodeLatentOutput(bytes, source);
    case "text":
      return decodeTextOutput(bytes, source);
    default:
      if (classified.format === "png") return decodePngOutput(png ?? bytes, source);
      return decodeImageOutput(bytes, classified, source);
  }
}
