// The PNG codec of every package (`@comfy-ts/core/png`): chunk walking and writing with CRC-32,
// scanline unfiltering (with the fast Paeth paths), text chunks, the one decoder (native samples and
// an RGBA view; strict for reviewed files, PIL's leniency for LoadImage) and the encoder (PNG, APNG).
export {
  type PngChunk,
  type PngHeader,
  pngChunk,
  pngChunkCrcMatches,
  pngChunks,
  readPngHeader,
} from "./chunks.js";
export {
  type DecodedPng,
  decodePng,
  type PngStructure,
  type ReadPngOptions,
  type RgbaImage,
  readPngStructure,
  samePngPixelStream,
} from "./decode.js";
export {
  type EncodeApngOptions,
  type EncodePngOptions,
  encodeApng,
  encodePng,
  type PilPngWriter,
  type PngPixels,
} from "./encode.js";
export { PngDecodeError, PngEncodeError, type PngProblem } from "./errors.js";
export { hasPngSignature, PNG_SIGNATURE } from "./signature.js";
export { decodePngText, type PngTextChunk, pngTextPayload, readPngTextChunk } from "./text.js";
export {
  ADAM7,
  expectedInflatedLength,
  PNG_CHANNELS,
  pngFilterBpp,
  pngPasses,
  pngStride,
  unfilterRow,
} from "./unfilter.js";
