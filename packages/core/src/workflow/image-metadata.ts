import { decodePngText, hasPngSignature, pngChunks, readPngTextChunk } from "../png/index.js";
import { ImageFormatError, NoWorkflowMetadataError, type WorkflowErrorOptions } from "./errors.js";

/** Text metadata ComfyUI stores in the images it saves (PNG text chunks, WebP EXIF). */
export interface ImageMetadata {
  readonly format: "png" | "webp";
  /** Every text entry by key: `prompt` (API prompt JSON), `workflow` (UI workflow JSON), other `extra_pnginfo` keys. */
  readonly entries: ReadonlyMap<string, string>;
}

/** True for bytes that start like a PNG or WebP file. */
export function isImageBytes(bytes: Uint8Array): boolean {
  return imageFormat(bytes) !== undefined;
}

function imageFormat(bytes: Uint8Array): "png" | "webp" | undefined {
  if (hasPngSignature(bytes)) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  return undefined;
}

/**
 * Reads the text metadata of a PNG (`tEXt`, `iTXt`, `zTXt` chunks, and the `comf` chunks of animated
 * PNGs) or WebP (`EXIF` chunk whose
 * tags hold `"<key>:<json>"`, as ComfyUI's WebP savers write them). Async because compressed
 * chunks are inflated with the platform's `DecompressionStream`.
 *
 * @throws ImageFormatError for bytes that are not PNG/WebP or are cut short;
 *   NoWorkflowMetadataError when the image holds neither a `prompt` nor a `workflow` entry.
 */
export async function readImageMetadata(
  bytes: Uint8Array,
  options: WorkflowErrorOptions = {},
): Promise<ImageMetadata> {
  const format = imageFormat(bytes);
  if (!format) {
    throw new ImageFormatError(
      "not a PNG or WebP image (unknown file signature); ComfyUI stores workflows in PNG and WebP files",
      options,
    );
  }
  const entries = format === "png" ? await pngText(bytes, options) : webpText(bytes, options);
  if (!entries.has("prompt") && !entries.has("workflow")) {
    const found =
      entries.size === 0
        ? "no text metadata at all"
        : `only ${[...entries.keys()].map((k) => `"${k}"`).join(", ")}`;
    throw new NoWorkflowMetadataError(
      `this ${format.toUpperCase()} has no ComfyUI workflow (${found}): it was not saved by ComfyUI, was saved with ` +
        "--disable-metadata, or its metadata was stripped by another program (image hosts and editors often do)",
      options,
    );
  }
  return { format, entries };
}

async function pngText(bytes: Uint8Array, options: WorkflowErrorOptions): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  let ended = false;
  for (const chunk of pngChunks(bytes)) {
    const { type, offset } = chunk;
    if (!chunk.whole)
      throw new ImageFormatError(
        `PNG chunk "${type}" at byte ${offset} runs past the end of the file (truncated?)`,
        options,
      );
    if (type === "IEND") {
      ended = true;
      break;
    }
    // tEXt, zTXt, iTXt, and the private `comf` chunks SaveAnimatedPNG writes after the frames.
    const text = readPngTextChunk(type, chunk.data);
    if (text) {
      const data = text.compressed ? await inflate(text.text, options) : text.text;
      entries.set(text.keyword, decodePngText(data, text.encoding));
    }
  }
  // Metadata before the cut is still usable; without it, say the file is cut short.
  if (!ended && !entries.has("prompt") && !entries.has("workflow")) {
    throw new ImageFormatError(
      `the PNG ends at byte ${bytes.length} before its IEND chunk (truncated download?)`,
      options,
    );
  }
  return entries;
}

function webpText(bytes: Uint8Array, options: WorkflowErrorOptions): Map<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = new Map<string, string>();
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const type = ascii(bytes, pos, 4);
    const length = view.getUint32(pos + 4, true);
    const start = pos + 8;
    if (start + length > bytes.length)
      throw new ImageFormatError(
        `WebP chunk "${type}" at byte ${pos} runs past the end of the file (truncated?)`,
        options,
      );
    if (type === "EXIF") readExif(bytes.subarray(start, start + length), entries);
    pos = start + length + (length % 2);
  }
  return entries;
}

/** ASCII/UNDEFINED tags of IFD0 whose text is `"<key>:<value>"` (ComfyUI: 0x0110 `prompt:…`, 0x010F `workflow:…`). */
function readExif(exif: Uint8Array, entries: Map<string, string>): void {
  let tiff = exif;
  if (ascii(tiff, 0, 6) === "Exif\0\0") tiff = tiff.subarray(6);
  const order = ascii(tiff, 0, 2);
  if (order !== "II" && order !== "MM") return;
  const little = order === "II";
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (tiff.length < 8) return;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return;
    const type = view.getUint16(entry + 2, little);
    const n = view.getUint32(entry + 4, little);
    if (type !== 2 && type !== 7) continue;
    const offset = n <= 4 ? entry + 8 : view.getUint32(entry + 8, little);
    if (offset + n > tiff.length) continue;
    let text = utf8(tiff.subarray(offset, offset + n));
    if (text.endsWith("\0")) text = text.slice(0, -1);
    const colon = text.indexOf(":");
    if (colon > 0) entries.set(text.slice(0, colon), text.slice(colon + 1));
  }
}

async function inflate(data: Uint8Array, options: WorkflowErrorOptions): Promise<Uint8Array> {
  try {
    const stream = new Blob([data as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new ImageFormatError("a compressed PNG text chunk could not be inflated (damaged file?)", {
      ...options,
      cause: error,
    });
  }
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}
