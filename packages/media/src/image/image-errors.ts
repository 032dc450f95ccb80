import { CorruptMediaError, MissingCodecError } from "../errors.js";

/** A corrupt or truncated image: the message names the file and says what is wrong in it. */
export function corruptImage(file: string, reason: string, cause?: unknown): CorruptMediaError {
  return new CorruptMediaError(
    `cannot decode ${file}: ${reason}`,
    cause === undefined ? { file } : { file, cause },
  );
}

/** A form of an image format that is not read (as PIL does not read it either). */
export function unsupportedImage(file: string, format: string, what: string): MissingCodecError {
  return new MissingCodecError(format, `cannot decode ${file}: ${what}`, { file });
}
