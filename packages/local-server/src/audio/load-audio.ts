import { readFileSync } from "node:fs";
import { decodeAudio, MissingStreamError } from "@comfy-ts/media";
import { NodeExecutionError } from "../execution/node-impl.js";
import type { Audio } from "../nodes/socket-types.js";
import { tensor } from "../tensor/tensor.js";
import { decodeFailure } from "./pyav-errors.js";

/**
 * ComfyUI's `load(filepath)` behind LoadAudio and RecordAudio: the first audio stream, every frame,
 * converted to float32 as `f32_pcm` does, as a `[1, channels, samples]` waveform at the stream's rate.
 */
export async function loadAudioFile(path: string): Promise<Audio> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new NodeExecutionError("FileNotFoundError", `[Errno 2] No such file or directory: '${path}'`);
  }
  let decoded: Awaited<ReturnType<typeof decodeAudio>>;
  try {
    decoded = await decodeAudio(bytes, { name: path });
  } catch (error) {
    if (error instanceof MissingStreamError)
      throw new NodeExecutionError("ValueError", "No audio stream found in the file.");
    throw decodeFailure(error, path);
  }
  if (decoded.sampleCount === 0) throw new NodeExecutionError("ValueError", "No audio frames decoded.");
  const n = decoded.sampleCount;
  const data = new Float32Array(decoded.channels * n);
  decoded.samples.forEach((channel, c) => {
    data.set(channel, c * n);
  });
  return { waveform: tensor([1, decoded.channels, n], data), sample_rate: decoded.stream.sampleRate };
}
