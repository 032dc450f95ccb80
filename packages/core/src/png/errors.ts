import { ComfyError } from "../errors.js";

/**
 * What is wrong with a PNG, for programs that map it to their own messages (the local server answers
 * with the exception PIL would raise for each):
 * - `signature`: not a PNG at all (empty, another format);
 * - `truncated`: the file ends inside a chunk or before IEND;
 * - `incomplete`: the image data inflates to fewer scanlines than the header's size needs;
 * - `checksum`: a chunk's CRC does not match;
 * - `header`: IHDR missing or invalid (size 0, bit depth, methods), PLTE missing for a palette image;
 * - `structure`: no IDAT chunk;
 * - `data`: the zlib stream or a scanline filter byte is corrupt.
 */
export type PngProblem =
  | "signature"
  | "truncated"
  | "incomplete"
  | "checksum"
  | "header"
  | "structure"
  | "data";

/** Bytes that are not a whole, valid PNG. The message names the file (`source`) and what is wrong. */
export class PngDecodeError extends ComfyError {
  /** The file (or label) the bytes came from. */
  readonly source: string;
  readonly problem: PngProblem;
  /** The reason alone, without the file name. */
  readonly reason: string;
  constructor(source: string, problem: PngProblem, reason: string, options?: ErrorOptions) {
    super("ERR_PNG_DECODE", `cannot decode PNG ${source}: ${reason}`, options);
    this.source = source;
    this.problem = problem;
    this.reason = reason;
  }
}

/** Pixels that cannot be written as a PNG: a size that is not a positive integer, data of the wrong length, no frames. */
export class PngEncodeError extends ComfyError {
  constructor(message: string) {
    super("ERR_PNG_ENCODE", message);
  }
}
