import { CorruptMediaError } from "../errors.js";
import { truncatedContainer } from "./declared-length.js";
import { openInput } from "./input.js";
import { ffmpegError, loadNodeAv } from "./native.js";
import { openMemoryOutput } from "./output.js";

export interface RemuxOptions {
  /** FFmpeg's muxer: `mp4`, `webm`, `matroska`. */
  readonly container: string;
  readonly muxerOptions?: Readonly<Record<string, string>>;
  /** Tags to set; the source's other container tags are kept (as ComfyUI's `VideoFromFile.save_to`). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The source's name, for messages. */
  readonly name?: string;
}

/**
 * Copies the video, audio and subtitle streams of a file into another container without re-encoding
 * (PyAV ≥ 14's `add_stream_from_template(opaque=True)` + `mux`, what ComfyUI's SaveVideo does with a
 * LoadVideo whose codec and container already fit): packets keep their bytes; timestamps are rescaled
 * to the new streams' time bases; packets without a dts are dropped, as ComfyUI drops them.
 */
export async function remuxMedia(bytes: Uint8Array, options: RemuxOptions): Promise<Uint8Array> {
  const av = await loadNodeAv();
  const { c } = av;
  const input = await openInput(av, bytes, options.name);
  const output = openMemoryOutput(av, options.container, input.label);
  const packet = new av.lib.Packet();
  try {
    const copied = new Map<number, { out: number; from: { num: number; den: number } }>();
    for (const stream of input.fmt.streams) {
      const type = stream.codecpar.codecType;
      if (type !== c.AVMEDIA_TYPE_VIDEO && type !== c.AVMEDIA_TYPE_AUDIO && type !== c.AVMEDIA_TYPE_SUBTITLE)
        continue;
      const out = output.fmt.newStream(null);
      stream.codecpar.copy(out.codecpar);
      out.codecpar.codecTag = 0;
      out.timeBase = stream.timeBase;
      if (stream.avgFrameRate.num > 0) out.avgFrameRate = stream.avgFrameRate;
      copied.set(stream.index, {
        out: out.index,
        from: { num: stream.timeBase.num, den: stream.timeBase.den },
      });
    }
    const tags = { ...(input.fmt.metadata?.getAll() ?? {}), ...options.metadata };
    output.writeHeader(options.muxerOptions ?? {}, tags);
    packet.alloc();
    for (;;) {
      const ret = input.fmt.readFrameSync(packet);
      if (ret === c.AVERROR_EOF) break;
      if (ret < 0) {
        throw new CorruptMediaError(
          `${input.label}: reading a packet failed: ${ffmpegError(av, ret)}. The file is corrupt or truncated.`,
          {
            file: options.name,
          },
        );
      }
      const target = copied.get(packet.streamIndex);
      if (target && packet.dts !== c.AV_NOPTS_VALUE) {
        const to = output.fmt.streams[target.out]!.timeBase;
        packet.rescaleTs(target.from, to);
        packet.streamIndex = target.out;
        packet.pos = -1n;
        output.write(packet);
      }
      packet.unref();
    }
    const cut = truncatedContainer(bytes);
    if (cut)
      throw new CorruptMediaError(`${input.label}: ${cut}: the file is truncated`, { file: options.name });
    return output.finish();
  } finally {
    packet.free();
    output.close();
    input.close();
  }
}
