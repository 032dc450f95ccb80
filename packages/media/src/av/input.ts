import type { FormatContext } from "node-av/lib";
import { CorruptMediaError, describeInput } from "../errors.js";
import { ffmpegError, type NodeAv } from "./native.js";

/** An open FFmpeg demuxer over bytes in memory; `close()` frees it (always call it). */
export interface OpenInput {
  readonly fmt: FormatContext;
  readonly label: string;
  readonly bytes: Uint8Array;
  close(): void;
}

const IO_BUFFER = 1 << 16;

/**
 * Opens `bytes` with FFmpeg's demuxers (format probed from the content, as `av.open` does) and reads the
 * stream headers. Unreadable bytes give a `CorruptMediaError` naming the input with FFmpeg's own reason.
 */
export async function openInput(av: NodeAv, bytes: Uint8Array, name: string | undefined): Promise<OpenInput> {
  const label = describeInput(name, bytes);
  if (bytes.length === 0) throw new CorruptMediaError(`${label} is empty (0 bytes)`, { file: name });
  const { FormatContext, IOContext } = av.lib;
  const { AVSEEK_SIZE, AVSEEK_SET, AVSEEK_CUR } = av.c;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = 0;
  const io = new IOContext();
  io.allocContextWithCallbacks(
    IO_BUFFER,
    0,
    (size) => {
      if (position >= buffer.length) return null;
      const chunk = buffer.subarray(position, Math.min(position + size, buffer.length));
      position += chunk.length;
      return chunk;
    },
    null,
    (offset, whence) => {
      if (whence & AVSEEK_SIZE) return BigInt(buffer.length);
      const at = Number(offset);
      const base = (whence & 3) === AVSEEK_SET ? 0 : (whence & 3) === AVSEEK_CUR ? position : buffer.length;
      position = Math.max(0, Math.min(base + at, buffer.length));
      return BigInt(position);
    },
  );
  const fmt = new FormatContext();
  fmt.allocContext();
  fmt.pb = io;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    fmt.pb = null;
    fmt.closeInputSync();
    io.freeContext();
  };
  let step = "open";
  let ret = fmt.openInputSync("", null, null);
  if (ret >= 0) {
    step = "read the stream headers of";
    ret = fmt.findStreamInfoSync(null);
  }
  if (ret < 0) {
    close();
    throw new CorruptMediaError(
      `cannot ${step} ${label} as audio/video: ${ffmpegError(av, ret)} (FFmpeg). The file is corrupt, truncated or not a media file.`,
      { file: name },
    );
  }
  return { fmt, label, bytes, close };
}
