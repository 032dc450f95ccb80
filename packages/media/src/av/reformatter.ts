import type { AVPixelFormat } from "node-av/constants";
import type { Frame, SoftwareScaleContext } from "node-av/lib";
import { MediaEncodeError } from "../errors.js";
import { ffmpegError, type NodeAv } from "./native.js";

/**
 * PyAV 10's `VideoReformatter` for a change of pixel format at the same size (`frame.reformat(format=…)`,
 * `to_ndarray(format="rgb24")`, and the implicit reformat in `stream.encode`): swscale's legacy
 * `sws_scale` with `SWS_BILINEAR` and the default colorspace (BT.601 coefficients, range from the pixel
 * format), one context cached per geometry.
 */
export class VideoReformatter {
  private context: SoftwareScaleContext | undefined;
  private key = "";

  constructor(private readonly av: NodeAv) {}

  /** `frame` in `format`: a new frame (the caller frees it), or `frame` itself when it already is (PyAV's shortcut). */
  reformat(frame: Frame, format: AVPixelFormat): Frame {
    if (frame.format === format) return frame;
    const { width, height } = frame;
    const key = `${width}x${height}:${frame.format}>${format}`;
    if (key !== this.key) {
      this.free();
      const context = new this.av.lib.SoftwareScaleContext();
      context.getContext(
        width,
        height,
        frame.format as AVPixelFormat,
        width,
        height,
        format,
        this.av.c.SWS_BILINEAR,
      );
      this.context = context;
      this.key = key;
    }
    const out = new this.av.lib.Frame();
    out.alloc();
    out.width = width;
    out.height = height;
    out.format = format;
    const allocated = out.getBuffer(0);
    if (allocated < 0) {
      out.free();
      throw new MediaEncodeError("swscale", `allocating a ${width}×${height} frame failed`, {
        errno: allocated,
        reason: ffmpegError(this.av, allocated),
      });
    }
    out.pts = frame.pts;
    const scaled = this.context!.scaleSync(
      frame.data ?? [],
      frame.linesize,
      0,
      height,
      out.data ?? [],
      out.linesize,
    );
    if (scaled < 0) {
      out.free();
      throw new MediaEncodeError("swscale", `converting a ${width}×${height} frame failed`, {
        errno: scaled,
        reason: ffmpegError(this.av, scaled),
      });
    }
    return out;
  }

  free(): void {
    this.context?.freeContext();
    this.context = undefined;
    this.key = "";
  }
}

/** Copies the first plane of a packed frame without its row padding (`rowBytes` per row). */
export function packedBytes(frame: Frame, rowBytes: number): Uint8Array {
  const { height } = frame;
  const stride = frame.linesize[0] ?? rowBytes;
  const plane = frame.data?.[0];
  const out = new Uint8Array(rowBytes * height);
  if (!plane) return out;
  if (stride === rowBytes) out.set(plane.subarray(0, rowBytes * height));
  else
    for (let y = 0; y < height; y++) out.set(plane.subarray(y * stride, y * stride + rowBytes), y * rowBytes);
  return out;
}
