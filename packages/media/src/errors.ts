import { ComfyError } from "@comfy-ts/core/errors";

/** Stable codes of the errors this package throws. */
export type MediaErrorCode =
  | "media_corrupt"
  | "media_no_stream"
  | "media_codec_missing"
  | "media_library_missing"
  | "media_encode_failed"
  | "media_invalid_input";

/** The base of every error `@comfy-ts/media` throws; `file` names the input or output when one was given. */
export class MediaError extends ComfyError {
  declare readonly code: MediaErrorCode;
  readonly file: string | undefined;

  constructor(code: MediaErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
  }
}

/** The bytes are not a readable file of their format: corrupt, truncated, or not media at all. */
export class CorruptMediaError extends MediaError {
  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super("media_corrupt", message, options);
  }
}

/**
 * The file has no stream of the kind asked for (an audio decode of a file without audio, an image
 * decode of an audio file).
 */
export class MissingStreamError extends MediaError {
  readonly kind: "video" | "audio" | "image";

  constructor(kind: "video" | "audio" | "image", message: string, options: { file?: string } = {}) {
    super("media_no_stream", message, options);
    this.kind = kind;
  }
}

/** A codec (decoder or encoder) the file or the request needs is not in the codec library that is installed. */
export class MissingCodecError extends MediaError {
  readonly codec: string;

  constructor(codec: string, message: string, options: { file?: string } = {}) {
    super("media_codec_missing", message, options);
    this.codec = codec;
  }
}

/** An optional native library (sharp, node-av) is not installed or cannot load on this platform. */
export class MediaLibraryMissingError extends MediaError {
  readonly library: string;

  constructor(library: string, message: string, options: { cause?: unknown } = {}) {
    super("media_library_missing", message, options);
    this.library = library;
  }
}

/**
 * An encoder or muxer refused its input or parameters. `errno` is FFmpeg's negative error code (e.g.
 * AVERROR_EXTERNAL when libx264 refuses an odd width, AVERROR(EINVAL) for an empty audio frame) and
 * `reason` FFmpeg's text for it ("Generic error in an external library").
 */
export class MediaEncodeError extends MediaError {
  readonly encoder: string;
  readonly errno: number | undefined;
  readonly reason: string | undefined;

  constructor(
    encoder: string,
    message: string,
    options: { file?: string; errno?: number; reason?: string; cause?: unknown } = {},
  ) {
    super("media_encode_failed", message, options);
    this.encoder = encoder;
    this.errno = options.errno;
    this.reason = options.reason;
  }
}

/** Samples, frames or options handed to an encoder are not usable (wrong shape, empty, out of range). */
export class MediaInputError extends MediaError {
  constructor(message: string, options: { file?: string } = {}) {
    super("media_invalid_input", message, options);
  }
}

/** `name` for messages: the file's name when the caller gave one, else a description of the bytes. */
export function describeInput(name: string | undefined, bytes: Uint8Array): string {
  return name ?? `<${bytes.length} bytes>`;
}
