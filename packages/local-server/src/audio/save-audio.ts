import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pyJsonDumps } from "@comfy-ts/core/python";
import { type AudioFileFormat, encodeAudio, MediaEncodeError, MediaInputError } from "@comfy-ts/media";
import { type NodeContext, NodeExecutionError, type NodeResult } from "../execution/node-impl.js";
import { saveImagePath } from "../files/save-images.js";
import type { Audio } from "../nodes/socket-types.js";
import { narrow } from "../tensor/ops.js";
import { pyavError } from "./pyav-errors.js";
import { torchaudioResample } from "./torchaudio-resample.js";

export interface SaveAudioOptions {
  readonly format: AudioFileFormat;
  /** SaveAudioMP3's / SaveAudioOpus's `quality` combo value. */
  readonly quality?: string;
  readonly type: "output" | "temp";
  /** PreviewAudio's `_temp_xxxxx`. */
  readonly prefixAppend?: string;
}

/** The sample rates libopus takes. */
const OPUS_RATES = [8000, 12000, 16000, 24000, 48000] as const;

/** SaveAudioOpus's rate: 48 kHz above it, else the next Opus rate at or above the audio's. */
export function opusRate(rate: number): number {
  if (rate > 48000) return 48000;
  return OPUS_RATES.find((r) => r >= rate) ?? 48000;
}

/** The encoder settings ComfyUI's `quality` value selects (any other value keeps PyAV's 128 kb/s). */
function qualitySettings(
  format: AudioFileFormat,
  quality: string | undefined,
): { bitRate?: number; vbr?: boolean } {
  if (format === "mp3" && quality === "V0") return { vbr: true };
  const rates: Record<AudioFileFormat, readonly string[]> = {
    mp3: ["128k", "320k"],
    opus: ["64k", "96k", "128k", "192k", "320k"],
    flac: [],
  };
  const kbps = rates[format];
  return quality !== undefined && kbps.includes(quality)
    ? { bitRate: Number.parseInt(quality, 10) * 1000 }
    : {};
}

/**
 * ComfyUI's `save_audio` (SaveAudio, SaveAudioMP3, SaveAudioOpus, PreviewAudio): one file per batch item
 * named `<prefix>_<counter>_.<format>` with the prompt and extra_pnginfo as container tags; Opus resampled
 * with torchaudio to the next rate libopus takes. UI output `{ audio: [{ filename, subfolder, type }] }`.
 */
export async function saveAudio(
  audio: Audio,
  prefix: string,
  ctx: NodeContext,
  options: SaveAudioOptions,
): Promise<NodeResult> {
  const dir = options.type === "output" ? ctx.dirs.output : ctx.dirs.temp;
  const path = saveImagePath(prefix + (options.prefixAppend ?? ""), dir, 0, 0);
  const metadata: Record<string, string> = { prompt: pyJsonDumps(ctx.prompt) };
  for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {})) metadata[key] = pyJsonDumps(value);
  const { waveform } = audio;
  const [batch = 0, channels = 0, length = 0] = waveform.shape;
  const settings = qualitySettings(options.format, options.quality);
  const results: Array<{ filename: string; subfolder: string; type: string }> = [];
  let counter = path.counter;
  for (let b = 0; b < batch; b++) {
    const name = path.filename.replaceAll("%batch_num%", String(b));
    const file = `${name}_${String(counter).padStart(5, "0")}_.${options.format}`;
    let item = narrow(waveform, 0, b, 1);
    item = { shape: [channels, length], data: item.data };
    let rate = audio.sample_rate;
    if (options.format === "opus") {
      rate = opusRate(audio.sample_rate);
      if (rate !== audio.sample_rate) item = torchaudioResample(item, audio.sample_rate, rate);
    }
    const n = item.shape[1] ?? 0;
    const planar = Array.from({ length: channels }, (_, c) => item.data.subarray(c * n, (c + 1) * n));
    let bytes: Uint8Array;
    try {
      bytes = await encodeAudio(
        { sampleRate: rate, channels: planar },
        { format: options.format, ...settings, metadata, name: file },
      );
    } catch (error) {
      if (error instanceof MediaInputError) throw new NodeExecutionError("ValueError", error.message);
      if (!(error instanceof MediaEncodeError)) throw error;
      throw pyavError(error, libopusRefusal(options.format, settings.bitRate, channels));
    }
    writeFileSync(join(path.folder, file), bytes);
    results.push({ filename: file, subfolder: path.subfolder, type: options.type });
    counter++;
  }
  return { ui: { audio: results } };
}

/** libopus's own message for a bit rate it refuses (it allows 500 … 256000 per channel). */
function libopusRefusal(
  format: AudioFileFormat,
  bitRate: number | undefined,
  channels: number,
): { from: string; line: string } | undefined {
  const rate = bitRate ?? 128000;
  const most = 256000 * (channels === 1 ? 1 : 2);
  if (format !== "opus" || (rate >= 500 && rate <= most)) return undefined;
  return {
    from: "libopus",
    line: `The bit rate ${rate} bps is unsupported. Please choose a value between 500 and ${most}.`,
  };
}
