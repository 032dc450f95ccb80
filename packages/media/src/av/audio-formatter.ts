import type { AVSampleFormat } from "node-av/constants";
import type { Filter, FilterContext, FilterGraph, Frame } from "node-av/lib";
import { MediaEncodeError } from "../errors.js";
import type { NodeAv } from "./native.js";

/** What an encoder wants its frames in. `frameSize` 0: any size (codecs with variable frame sizes). */
export interface AudioTarget {
  readonly format: AVSampleFormat;
  readonly layout: string;
  readonly rate: number;
  readonly frameSize: number;
}

/**
 * PyAV 10's `AudioResampler`, which its `stream.encode(frame)` puts in front of every audio encoder: an
 * FFmpeg filter graph `abuffer → aformat → abuffersink` (aformat inserts swresample for the sample format,
 * layout and rate), cutting frames to the encoder's frame size (PyAV sets it on the sink; here
 * `asetnsamples` with no padding does the same). Using FFmpeg's own graph keeps the float → s16 rounding,
 * the mono → stereo matrix and the frame boundaries exactly as ComfyUI's files have them.
 */
export class AudioFormatter {
  private graph: FilterGraph | undefined;
  private source: FilterContext | undefined;
  private sink: FilterContext | undefined;
  private passthrough = false;

  constructor(
    private readonly av: NodeAv,
    private readonly target: AudioTarget,
    private readonly label: string,
  ) {}

  /** Converted frames for `frame` (null flushes). Returned frames belong to the caller (free them). */
  push(frame: Frame | null): Frame[] {
    if (!this.graph && !this.passthrough) {
      if (frame === null) return [];
      this.setup(frame);
    }
    if (this.passthrough) return frame ? [frame.clone()!] : [];
    const ret = this.source!.buffersrcAddFrameSync(frame);
    if (ret < 0) this.fail("feeding the audio converter", ret);
    const out: Frame[] = [];
    for (;;) {
      const next = new this.av.lib.Frame();
      next.alloc();
      const got = this.sink!.buffersinkGetFrameSync(next);
      if (got < 0) {
        next.free();
        if (got === this.av.c.AVERROR_EAGAIN || got === this.av.c.AVERROR_EOF) return out;
        this.fail("converting audio", got);
      }
      out.push(next);
    }
  }

  free(): void {
    this.graph?.free();
    this.graph = undefined;
  }

  private setup(frame: Frame): void {
    const { lib } = this.av;
    const inFormat = lib.avGetSampleFmtName(frame.format as AVSampleFormat) ?? "flt";
    const inLayout = lib.avChannelLayoutDescribe(frame.channelLayout) ?? "stereo";
    const { target } = this;
    const outFormat = lib.avGetSampleFmtName(target.format) ?? "";
    if (
      frame.format === target.format &&
      inLayout === target.layout &&
      frame.sampleRate === target.rate &&
      target.frameSize === 0
    ) {
      this.passthrough = true;
      return;
    }
    const graph = new lib.FilterGraph();
    graph.alloc();
    this.graph = graph;
    const add = (filter: string, name: string, args: string | null): FilterContext => {
      const found: Filter | null = lib.Filter.getByName(filter);
      const context = found ? graph.createFilter(found, name, args) : null;
      if (!context) this.fail(`creating FFmpeg's ${filter} filter (${args ?? ""})`, this.av.c.AVERROR_EINVAL);
      return context!;
    };
    const chain = [
      add(
        "abuffer",
        "in",
        `sample_rate=${frame.sampleRate}:sample_fmt=${inFormat}:channel_layout=${inLayout}`,
      ),
      add(
        "aformat",
        "format",
        `sample_rates=${target.rate}:sample_fmts=${outFormat}:channel_layouts=${target.layout}`,
      ),
      ...(target.frameSize > 0 ? [add("asetnsamples", "frames", `n=${target.frameSize}:p=0`)] : []),
      add("abuffersink", "out", null),
    ];
    for (let i = 1; i < chain.length; i++) {
      const ret = chain[i - 1]!.link(0, chain[i]!, 0);
      if (ret < 0) this.fail("linking the audio converter", ret);
    }
    const ret = graph.configSync();
    if (ret < 0) this.fail("configuring the audio converter", ret);
    this.source = chain[0];
    this.sink = chain.at(-1);
  }

  private fail(what: string, code: number): never {
    throw new MediaEncodeError(
      "aformat",
      `${this.label}: ${what} failed: ${this.av.lib.FFmpegError.strerror(code)}`,
      {
        errno: code,
      },
    );
  }
}
