import { ComfyError } from "@comfy-ts/core";
/** An input file that is not a decodable image (ComfyUI reports PIL's `UnidentifiedImageError`/`OSError`). */
export class ImageDecodeError extends ComfyError {
  /** The Python exception PIL raises for this file (with ComfyUI's truncated-image retry), if known. */
  readonly pythonType: string | undefined;
  constructor(message: string, options?: { cause?: unknown; pythonType?: string }) {
    super("IMAGE_DECODE", message, { cause: options?.cause });
    this.pythonType = options?.pythonType;
  }
}
