import type { FormatContext, Packet } from "node-av/lib";
import { MediaEncodeError } from "../errors.js";
import { ffmpegError, type NodeAv } from "./native.js";
import { setOptions } from "./options.js";

/**
 * A muxer writing into memory, seekable as the `io.BytesIO` ComfyUI hands PyAV (MP4 rewrites its `mdat`
 * size, Matroska its duration, FLAC its STREAMINFO). `finish()` writes the trailer and returns the bytes;
 * `close()` frees everything (always call it).
 */
export interface MemoryOutput {
  readonly fmt: FormatContext;
  /** Writes the header with the muxer `options` (e.g. `movflags`) and the container `metadata`. */
  writeHeader(options: Readonly<Record<string, string>>, metadata: Readonly<Record<string, string>>): void;
  /** `av_interleaved_write_frame`, as PyAV's `container.mux(packet)`. */
  write(packet: Packet): void;
  finish(): Uint8Array;
  close(): void;
}

const IO_BUFFER = 1 << 15;

export function openMemoryOutput(av: NodeAv, format: string, label: string): MemoryOutput {
  const { FormatContext, IOContext, Dictionary } = av.lib;
  const { AVSEEK_SIZE, AVSEEK_SET, AVSEEK_CUR } = av.c;
  let store = new Uint8Array(1 << 16);
  let size = 0;
  let position = 0;
  const io = new IOContext();
  io.allocContextWithCallbacks(
    IO_BUFFER,
    1,
    null,
    (chunk) => {
      const end = position + chunk.length;
      if (end > store.length) {
        const grown = new Uint8Array(Math.max(end, store.length * 2));
        grown.set(store.subarray(0, size));
        store = grown;
      }
      store.set(chunk, position);
      position = end;
      size = Math.max(size, end);
      return chunk.length;
    },
    (offset, whence) => {
      if (whence & AVSEEK_SIZE) return BigInt(size);
      const base = (whence & 3) === AVSEEK_SET ? 0 : (whence & 3) === AVSEEK_CUR ? position : size;
      position = Math.max(0, base + Number(offset));
      return BigInt(position);
    },
  );
  const fmt = new FormatContext();
  const ret = fmt.allocOutputContext2(null, format, null);
  if (ret < 0) {
    io.freeContext();
    throw new MediaEncodeError(format, `${label}: FFmpeg has no ${format} muxer (${ffmpegError(av, ret)})`, {
      errno: ret,
      reason: ffmpegError(av, ret),
    });
  }
  fmt.pb = io;
  let closed = false;
  const check = (what: string, code: number): void => {
    if (code >= 0) return;
    throw new MediaEncodeError(format, `${label}: ${what} failed: ${ffmpegError(av, code)}`, {
      errno: code,
      reason: ffmpegError(av, code),
    });
  };
  return {
    fmt,
    writeHeader(options, metadata) {
      const tags = Dictionary.fromObject({ ...metadata });
      fmt.metadata = tags; // copied by the setter
      tags.free();
      setOptions(fmt, options, (key, code) => {
        throw new MediaEncodeError(
          format,
          `${label}: setting the ${format} muxer option ${key}=${JSON.stringify(options[key])} failed: ${ffmpegError(av, code)}`,
          { errno: code, reason: ffmpegError(av, code) },
        );
      });
      check(`writing the ${format} header`, fmt.writeHeaderSync(null));
    },
    write(packet) {
      check(`muxing into ${format}`, fmt.interleavedWriteFrameSync(packet));
    },
    finish() {
      check(`writing the ${format} trailer`, fmt.writeTrailerSync());
      io.flushSync();
      return store.slice(0, size);
    },
    close() {
      if (closed) return;
      closed = true;
      fmt.pb = null;
      fmt.freeContext();
      io.freeContext();
    },
  };
}
