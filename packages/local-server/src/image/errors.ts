/** An input file that is not a decodable image (ComfyUI reports PIL's `UnidentifiedImageError`/`OSError`). */
export class ImageDecodeError extends Error {
  readonly code = "IMAGE_DECODE";
  /** The Python exception PIL raises for this file (with ComfyUI's truncated-image retry), if known. */
  readonly pythonType: string | undefined;
  constructor(message: string, options?: { cause?: unknown; pythonType?: string }) {
    super(message, options);
    this.name = "ImageDecodeError";
    this.pythonType = options?.pythonType;
  }
}
