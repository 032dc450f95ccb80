import type { FFEncoderCodec } from "node-av/constants";
import type { Codec, CodecContext, Frame, Packet, Stream } from "node-av/lib";
import { MediaEncodeError, MissingCodecError } from "../errors.js";
import { ffmpegError, type NodeAv } from "./native.js";
import { setOptions } from "./options.js";
import type { MemoryOutput } from "./output.js";

/** An encoder whose packets go to one stream of a `MemoryOutput`. */
export interface StreamEncoder {
  readonly codec: Codec;
  readonly ctx: CodecContext;
  readonly stream: Stream;
  /** Opens the codec with `options` (as PyAV does on the first encode) and copies its parameters to the stream. */
  open(options: Readonly<Record<string, string>>): void;
  /** Sends a frame (null flushes) and returns the packets it completes, in the codec's time base. */
  encode(frame: Frame | null): Packet[];
  /** Rescales packets to the stream's time base (fixed by the muxer's header) and muxes them. */
  mux(output: MemoryOutput, packets: readonly Packet[]): void;
  free(): void;
}

/** The name FFmpeg gives an encoder, or a `MissingCodecError` saying what to install. */
export function findEncoder(av: NodeAv, name: string, label: string): Codec {
  const codec = av.lib.Codec.findEncoderByName(name as FFEncoderCodec);
  if (codec) return codec;
  throw new MissingCodecError(
    name,
    `${label}: node-av's FFmpeg has no ${name} encoder. Install a node-av build whose FFmpeg includes ${name} ` +
      `(the prebuilt node-av packages for Linux, macOS and Windows include libx264, libvpx, SVT-AV1, LAME and libopus).`,
  );
}

/**
 * A new stream of `output` with an encoder context set up by `setup` (PyAV's `add_stream` defaults are
 * applied by the callers). Muxers that want global headers (MP4, Matroska) get them, as PyAV does.
 */
export function addStream(
  av: NodeAv,
  output: MemoryOutput,
  codec: Codec,
  label: string,
  setup: (ctx: CodecContext) => void,
): StreamEncoder {
  const { lib, c } = av;
  const ctx = new lib.CodecContext();
  ctx.allocContext3(codec);
  setup(ctx);
  if ((output.fmt.oformat?.flags ?? 0) & c.AVFMT_GLOBALHEADER) ctx.setFlags(c.AV_CODEC_FLAG_GLOBAL_HEADER);
  const stream = output.fmt.newStream(null);
  const name = codec.name ?? "encoder";
  const fail = (what: string, code: number): never => {
    throw new MediaEncodeError(name, `${label}: ${what}: ${ffmpegError(av, code)}`, {
      errno: code,
      reason: ffmpegError(av, code),
    });
  };
  return {
    codec,
    ctx,
    stream,
    open(options) {
      setOptions(ctx, options, (key, code) =>
        fail(`setting ${name}'s option ${key}=${JSON.stringify(options[key])}`, code),
      );
      const ret = ctx.open2Sync(codec, null);
      if (ret < 0) fail(`${name} refused its parameters`, ret);
      stream.timeBase = ctx.timeBase;
      const copied = stream.codecpar.fromContext(ctx);
      if (copied < 0) fail(`copying ${name}'s parameters to the stream`, copied);
    },
    encode(frame) {
      const sent = ctx.sendFrameSync(frame);
      if (sent < 0) fail(`${name} failed to encode`, sent);
      const packets: Packet[] = [];
      for (;;) {
        const packet = new lib.Packet();
        packet.alloc();
        const got = ctx.receivePacketSync(packet);
        if (got < 0) {
          packet.free();
          if (got === c.AVERROR_EAGAIN || got === c.AVERROR_EOF) return packets;
          fail(`${name} failed to encode`, got);
        }
        packets.push(packet);
      }
    },
    mux(output, packets) {
      for (const packet of packets) {
        packet.streamIndex = stream.index;
        packet.rescaleTs(ctx.timeBase, stream.timeBase);
        try {
          output.write(packet);
        } finally {
          packet.free();
        }
      }
    },
    free() {
      ctx.freeContext();
    },
  };
}
