export {
  type DecodeAudioOptions,
  type DecodedAudio,
  decodeAudio,
  type NativeSamples,
  type SampleArray,
  type SampleFormat,
} from "./av/decode-audio.js";
export {
  type DecodedVideo,
  type DecodedVideoFrame,
  type DecodeVideoOptions,
  decodeVideo,
  type NativePicture,
  type PlaneLayout,
} from "./av/decode-video.js";
export {
  type AudioFileFormat,
  type AudioSamples,
  type EncodeAudioOptions,
  encodeAudio,
} from "./av/encode-audio.js";
export {
  type EncodeVideoOptions,
  encodeVideo,
  type VideoContainerFormat,
  type VideoEncoderName,
  type VideoFrames,
} from "./av/encode-video.js";
export { probeMedia } from "./av/probe.js";
export { type RemuxOptions, remuxMedia } from "./av/remux.js";
export type {
  AudioStreamInfo,
  MediaInfo,
  OtherStreamInfo,
  Rational,
  StreamInfo,
  VideoStreamInfo,
} from "./av/stream-info.js";
export {
  CorruptMediaError,
  MediaEncodeError,
  MediaError,
  type MediaErrorCode,
  MediaInputError,
  MediaLibraryMissingError,
  MissingCodecError,
  MissingStreamError,
} from "./errors.js";
export { type DecodeImageOptions, decodeImage } from "./image/decode-image.js";
export {
  type DecodedImage,
  type ImageFormat,
  type ImageFrame,
  LAYOUT_CHANNELS,
  type SampleLayout,
} from "./image/decoded-image.js";
export { encodeJpeg, type JpegPixels } from "./image/encode-jpeg.js";
export { type EncodeWebpOptions, encodeWebp, type WebpFrames } from "./image/encode-webp.js";
export { type DecodedGif, decodeGif, type GifFrame } from "./image/gif.js";
export { orientedSize, orientImage, orientSamples } from "./image/orientation.js";
export {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorInput,
  type Safetensors,
  type SafetensorsDtype,
  type SafetensorTensor,
} from "./safetensors.js";
export { type MediaFamily, type MediaFormat, type MediaSignature, sniffMedia } from "./sniff.js";
