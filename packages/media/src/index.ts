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
export { probeMedia } from "./av/probe.js";
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
export {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorInput,
  type Safetensors,
  type SafetensorsDtype,
  type SafetensorTensor,
} from "./safetensors.js";
export { type MediaFamily, type MediaFormat, type MediaSignature, sniffMedia } from "./sniff.js";
