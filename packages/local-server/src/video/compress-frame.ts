import { decodeVideo, encodeVideo, MediaEncodeError } from "@comfy-ts/media";
import { decodeFailure, pyavError } from "../audio/pyav-errors.js";
import { NodeExecutionError } from "../execution/node-impl.js";
import { type Tensor, tensor } from "../tensor/tensor.js";

/**
 * `preprocess(image, crf)` of ComfyUI's `nodes_lt.py`: the frame cropped to even sides, `(x * 255).byte()`,
 * encoded as one H.264 frame in MP4 (`add_stream("libx264", rate=1, options={crf, preset: veryfast})`,
 * PyAV's other defaults), decoded back and divided by 255 — LTX-Video's "looks like a video frame" step.
 */
export async function compressFrame(images: Tensor, index: number, crf: number): Promise<Tensor> {
  const [, h = 0, w = 0, c = 0] = images.shape;
  const height = Math.floor(h / 2) * 2;
  const width = Math.floor(w / 2) * 2;
  if (c !== 3)
    throw new NodeExecutionError(
      "ValueError",
      `Unexpected numpy array shape \`(${height}, ${width}, ${c})\``,
    );
  const rgb = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width * 3; x++) {
      // torch's float → uint8 conversion truncates (values wrap modulo 256 outside [0, 256)).
      const v = Math.trunc(Math.fround(255 * (images.data[(index * h + y) * w * 3 + x] as number)));
      rgb[y * width * 3 + x] = v & 255;
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await encodeVideo(
      { width, height, fps: { num: 1, den: 1 }, frames: [rgb] },
      { container: "mp4", encoder: "libx264", codecOptions: { crf: String(crf), preset: "veryfast" } },
    );
  } catch (error) {
    if (error instanceof MediaEncodeError) throw pyavError(error);
    throw error;
  }
  let decoded: Awaited<ReturnType<typeof decodeVideo>>;
  try {
    decoded = await decodeVideo(bytes, { name: "LTXVPreprocess frame" });
  } catch (error) {
    throw decodeFailure(error, "<in-memory frame>");
  }
  const frame = decoded.frames[0]!.rgb!;
  const data = new Float32Array(frame.length);
  for (let k = 0; k < frame.length; k++) data[k] = (frame[k] as number) / 255;
  return tensor([1, height, width, 3], data);
}
