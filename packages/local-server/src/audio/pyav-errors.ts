import { CorruptMediaError, type MediaEncodeError, MediaError } from "@comfy-ts/media";
import { NodeExecutionError } from "../execution/node-impl.js";

/** PyAV's exception class for an FFmpeg error code (`av.error.*`, by errno as PyAV 10 maps them). */
const PYAV_CLASSES: ReadonlyMap<number, string> = new Map([
  [-22, "av.error.ValueError"],
  [-12, "av.error.MemoryError"],
  [-2, "av.error.FileNotFoundError"],
  [-1094995529, "av.error.InvalidDataError"],
  [-542398533, "av.error.ExternalError"],
  [-541478725, "av.error.EOFError"],
]);

/**
 * The `execution_error` ComfyUI reports when PyAV raises for an FFmpeg error: `av.error.ValueError`,
 * `"[Errno 22] Invalid argument"`, plus `"; last error log: [libx264] …"` when FFmpeg logged why. The
 * log line is the encoder's own words (`said`), given by the caller that knows the condition: this
 * server does not read FFmpeg's log (see @comfy-ts/media's README).
 */
export function pyavError(
  error: MediaEncodeError,
  said?: { readonly from: string; readonly line: string },
): NodeExecutionError {
  const errno = error.errno ?? -22;
  const type = PYAV_CLASSES.get(errno) ?? "av.error.FFmpegError";
  const reason = error.reason ?? error.message;
  const log = said ? `; last error log: [${said.from}] ${said.line}` : "";
  return new NodeExecutionError(type, `[Errno ${-errno}] ${reason}${log}`);
}

/**
 * A media error from decoding an input file, as the node reports it: corrupt bytes as PyAV's
 * `InvalidDataError` naming the file, anything else of `@comfy-ts/media` with its own message.
 */
export function decodeFailure(error: unknown, path: string): unknown {
  if (error instanceof CorruptMediaError) {
    return new NodeExecutionError(
      "av.error.InvalidDataError",
      `[Errno 1094995529] Invalid data found when processing input: '${path}' (${error.message})`,
    );
  }
  if (error instanceof MediaError) return new NodeExecutionError(error.name, error.message);
  return error;
}
