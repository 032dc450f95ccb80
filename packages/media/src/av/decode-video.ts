import type { AVPixelFormat } from "node-av/constants";
import type { Frame } from "node-av/lib";
import { CorruptMediaError } from "../errors.js";
import { decodeStream, pickStream, type StreamChoice } from "./decoder.js";
import { openInput } from "./input.js";
import { loadNodeAv, type NodeAv } from "./native.js";
import { packedBytes, VideoReformatter } from "./reformatter.js";
import {
  type MediaInfo,
  mediaInfo,
  type Rational,
  type VideoStreamInfo,
  videoStreamInfo,
} from "./stream-info.js";

export interface DecodeVideoOptions extends StreamChoice {
  /** The file's name, for messages. */
  readonly name?: string;
  /** Convert each frame to rgb24 as PyAV's `frame.to_ndarray(format="rgb24")` does (default true). */
  readonly rgb?: boolean;
  /** Keep the decoder's own planes (default false). */
  readonly native?: boolean;
}

/** One plane of a native picture inside `NativePicture.data`: `rows` rows of `rowBytes` bytes, no padding. */
export interface PlaneLayout {
  readonly offset: number;
  readonly rowBytes: number;
  readonly rows: number;
}

/**
 * A decoded picture in the decoder's pixel format: every plane, rows without padding, one after the other
 * (FFmpeg's `av_image_copy_to_buffer` with alignment 1; 10-bit formats little-endian 16-bit samples).
 */
export interface NativePicture {
  readonly pixFmt: string;
  readonly data: Uint8Array;
  readonly planes: readonly PlaneLayout[];
}

export interface DecodedVideoFrame {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** Presentation timestamp in the stream's time base, when the file has one. */
  readonly pts: number | undefined;
  /** `pts` in seconds. */
  readonly timeS: number | undefined;
  readonly keyFrame: boolean;
  /** rgb24 samples, `height × width × 3` row-major (with `rgb: true`, the default). */
  readonly rgb: Uint8Array | undefined;
  /** The decoder's planes (with `native: true`). */
  readonly native: NativePicture | undefined;
}

export interface DecodedVideo {
  /** The container and all its streams. */
  readonly media: MediaInfo;
  /** The decoded stream as its headers describe it. */
  readonly stream: VideoStreamInfo;
  /** Size of the first frame. */
  readonly width: number;
  readonly height: number;
  /** Frames actually decoded. */
  readonly frameCount: number;
  /** The average frame rate (ComfyUI's GetVideoComponents fps), when the stream declares one. */
  readonly fps: Rational | undefined;
  /** `frameCount / fps` when both are known. */
  readonly durationS: number | undefined;
  readonly frames: readonly DecodedVideoFrame[];
}

/**
 * Decodes every frame of a video stream (H.264/H.265 in MP4, VP9/AV1 in WebM/Matroska, anything
 * FFmpeg reads) with node-av's FFmpeg. rgb24 conversion is swscale's, configured as PyAV does it
 * (`SWS_BILINEAR`, default BT.601 coefficients and range): for 8-bit 4:2:0 video this is bit-exact with
 * the frames ComfyUI's GetVideoComponents makes (see the README for high bit depths).
 */
export async function decodeVideo(
  bytes: Uint8Array,
  options: DecodeVideoOptions = {},
): Promise<DecodedVideo> {
  const av = await loadNodeAv();
  const input = await openInput(av, bytes, options.name);
  const wantRgb = options.rgb ?? true;
  const wantNative = options.native ?? false;
  const reformatter = new VideoReformatter(av);
  const toRgb24 = (frame: Frame): Uint8Array => {
    const rgb = reformatter.reformat(frame, av.c.AV_PIX_FMT_RGB24);
    try {
      return packedBytes(rgb, frame.width * 3);
    } finally {
      if (rgb !== frame) rgb.free();
    }
  };
  try {
    const media = mediaInfo(av, input.fmt);
    const stream = pickStream(av, input, "video", options, options.name);
    const info = videoStreamInfo(av, stream);
    const tb = info.timeBase;
    const frames: DecodedVideoFrame[] = [];
    const count = await decodeStream(av, input, stream, options.name, (frame, index) => {
      const pts = frame.pts === av.c.AV_NOPTS_VALUE ? frame.bestEffortTimestamp : frame.pts;
      const ptsN = pts === av.c.AV_NOPTS_VALUE ? undefined : Number(pts);
      frames.push({
        index,
        width: frame.width,
        height: frame.height,
        pts: ptsN,
        timeS: ptsN === undefined ? undefined : (ptsN * tb.num) / tb.den,
        keyFrame: frame.keyFrame !== 0,
        rgb: wantRgb ? toRgb24(frame) : undefined,
        native: wantNative ? nativePicture(av, frame) : undefined,
      });
    });
    if (info.frameCount !== undefined && count < info.frameCount) {
      throw new CorruptMediaError(
        `${input.label}: the container declares ${info.frameCount} frames in video stream #${info.index}, but only ${count} decode: the file is truncated`,
        { file: options.name },
      );
    }
    const first = frames[0];
    return {
      media,
      stream: info,
      width: first?.width ?? info.width,
      height: first?.height ?? info.height,
      frameCount: count,
      fps: info.fps,
      durationS: info.fps ? (count * info.fps.den) / info.fps.num : undefined,
      frames,
    };
  } finally {
    reformatter.free();
    input.close();
  }
}

const CHROMA_SHIFT: Record<string, [number, number]> = {
  "420": [1, 1],
  "422": [1, 0],
  "444": [0, 0],
  "440": [0, 1],
  "411": [2, 0],
  "410": [2, 2],
};

/** The decoder's picture without row padding, and where each plane starts. */
function nativePicture(av: NodeAv, frame: Frame): NativePicture {
  const { width, height } = frame;
  const format = frame.format as AVPixelFormat;
  const pixFmt = av.lib.avGetPixFmtName(format) ?? "unknown";
  const size = av.lib.avImageGetBufferSize(format, width, height, 1);
  const data = Buffer.alloc(size);
  av.lib.avImageCopyToBuffer(data, size, frame.data, frame.linesize, format, width, height, 1);
  return { pixFmt, data, planes: planeLayout(pixFmt, width, height, size) };
}

/** Plane geometry of planar YUV/gray formats by name; any other format is described as one plane. */
export function planeLayout(pixFmt: string, width: number, height: number, size: number): PlaneLayout[] {
  const yuv = /^yuv(a?)j?(4[0-4][0-9])p(\d+)?(le|be)?$/.exec(pixFmt);
  const shift = yuv ? CHROMA_SHIFT[yuv[2]!] : undefined;
  if (yuv && shift) {
    const bytes = Number(yuv[3] ?? 8) > 8 ? 2 : 1;
    const cw = -(-width >> shift[0]);
    const ch = -(-height >> shift[1]);
    const dims: [number, number][] = [
      [width, height],
      [cw, ch],
      [cw, ch],
    ];
    if (yuv[1]) dims.push([width, height]);
    let offset = 0;
    const planes = dims.map(([w, h]) => {
      const plane = { offset, rowBytes: w * bytes, rows: h };
      offset += w * bytes * h;
      return plane;
    });
    if (offset === size) return planes;
  }
  return [{ offset: 0, rowBytes: height > 0 ? size / height : size, rows: height }];
}
