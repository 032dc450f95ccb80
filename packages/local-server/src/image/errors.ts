/** An input file that is not a decodable image (ComfyUI reports PIL's `UnidentifiedImageError`/`OSError`). */
export class ImageDecodeError extends Error {
  readonly code = "IMAGE_DECODE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImageDecodeError";
  }
}
