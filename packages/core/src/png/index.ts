// PNG building blocks shared by the packages (`@comfy-ts/core/png`): chunk walking and writing with
// CRC-32, scanline unfiltering (with the fast Paeth paths) and text chunks. Pixel formats and error
// classes stay with the users (PIL modes in local-server, RGBA in testing, metadata in workflow).
export {
  type PngChunk,
  type PngHeader,
  pngChunk,
  pngChunkCrcMatches,
  pngChunks,
  readPngHeader,
} from "./chunks.js";
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
