import type { Frame, Stream } from "node-av/lib";
import { CorruptMediaError, MissingCodecError, MissingStreamError } from "../errors.js";
import { truncatedContainer } from "./declared-length.js";
import type { OpenInput } from "./input.js";
import { ffmpegError, type NodeAv } from "./native.js";

/** Which stream to decode: the first of its kind (as PyAV's `decode(video=0)` / `streams.audio[0]`), or an index. */
export interface StreamChoice {
  readonly stream?: number;
}

/** The stream of `kind` a decode is about: `stream` when given (and of that kind), else the first. */
export function pickStream(
  av: NodeAv,
  input: OpenInput,
  kind: "video" | "audio",
  choice: StreamChoice,
  file: string | undefined,
): Stream {
  const type = kind === "video" ? av.c.AVMEDIA_TYPE_VIDEO : av.c.AVMEDIA_TYPE_AUDIO;
  const streams = input.fmt.streams;
  const stream =
    choice.stream === undefined
      ? streams.find((s) => s.codecpar.codecType === type)
      : streams.find((s) => s.index === choice.stream && s.codecpar.codecType === type);
  if (stream) return stream;
  const present =
    streams.length === 0
      ? "no streams"
      : streams
          .map((s) =>
            `#${s.index} ${av.lib.avGetMediaTypeString(s.codecpar.codecType) ?? "unknown"} ${av.lib.avGetCodecName(s.codecpar.codecId) ?? ""}`.trim(),
          )
          .join(", ");
  const which = choice.stream === undefined ? `no ${kind} stream` : `no ${kind} stream #${choice.stream}`;
  throw new MissingStreamError(kind, `${input.label} has ${which} (it has ${present})`, { file });
}

/**
 * Decodes every frame of `stream`, in order, handing each to `onFrame` (the frame is reused afterwards:
 * copy what you keep). Packets are sent as PyAV's `container.decode(stream)` sends them, then the decoder
 * is drained. Decoder and demuxer errors become a
 * `CorruptMediaError` that says at which frame.
 */
export async function decodeStream(
  av: NodeAv,
  input: OpenInput,
  stream: Stream,
  file: string | undefined,
  onFrame: (frame: Frame, index: number) => void,
): Promise<number> {
  const { Codec, CodecContext, Packet, Frame } = av.lib;
  const { AVERROR_EOF, AVERROR_EAGAIN } = av.c;
  const codecName = av.lib.avGetCodecName(stream.codecpar.codecId) ?? `codec id ${stream.codecpar.codecId}`;
  const codec = Codec.findDecoder(stream.codecpar.codecId);
  if (!codec) {
    throw new MissingCodecError(
      codecName,
      `${input.label}: stream #${stream.index} is ${codecName}, and node-av's FFmpeg has no decoder for it. ` +
        `Convert the file to a supported codec (H.264, VP9, AV1, FLAC, MP3, Opus, AAC, PCM) or install a node-av build with a ${codecName} decoder.`,
      { file },
    );
  }
  const ctx = new CodecContext();
  const packet = new Packet();
  const frame = new Frame();
  let count = 0;
  const fail = (what: string, ret: number): never => {
    throw new CorruptMediaError(
      `${input.label}: ${what} of stream #${stream.index} (${codecName}) after ${count} decoded frame(s): ${ffmpegError(av, ret)}. The file is corrupt or truncated.`,
      { file },
    );
  };
  try {
    ctx.allocContext3(codec);
    ctx.parametersToContext(stream.codecpar);
    ctx.pktTimebase = stream.timeBase;
    let ret = ctx.open2Sync(codec, null);
    if (ret < 0) fail("cannot open the decoder", ret);
    packet.alloc();
    frame.alloc();
    const drain = (): void => {
      for (;;) {
        const got = ctx.receiveFrameSync(frame);
        if (got === AVERROR_EAGAIN || got === AVERROR_EOF) return;
        if (got < 0) fail("decoding failed", got);
        onFrame(frame, count++);
        frame.unref();
      }
    };
    for (;;) {
      ret = input.fmt.readFrameSync(packet);
      if (ret === AVERROR_EOF) break;
      if (ret < 0) fail("reading a packet failed", ret);
      if (packet.streamIndex === stream.index) {
        let sent = ctx.sendPacketSync(packet);
        while (sent === AVERROR_EAGAIN) {
          drain();
          sent = ctx.sendPacketSync(packet);
        }
        packet.unref();
        if (sent < 0) fail("decoding failed", sent);
        drain();
      } else {
        packet.unref();
      }
    }
    ctx.sendPacketSync(null);
    drain();
    const cut = truncatedContainer(input.bytes);
    if (cut) throw new CorruptMediaError(`${input.label}: ${cut}: the file is truncated`, { file });
    return count;
  } finally {
    frame.free();
    packet.free();
    ctx.freeContext();
  }
}
