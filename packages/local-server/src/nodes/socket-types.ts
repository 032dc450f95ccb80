import type { Tensor } from "../tensor/tensor.js";

/**
 * What each socket type carries from one node to the next on this server: the TypeScript type of a
 * linked input declared as `T("IMAGE")`, `T("LATENT")`, …. Types not listed here arrive as `unknown`.
 *
 * Custom node packs add their own types by declaration merging:
 *
 * @example
 * declare module "@comfy-ts/local-server" {
 *   interface SocketValues { MY_POINTS: readonly [number, number][] }
 * }
 */
export interface SocketValues {
  /** `[batch, height, width, channels]` in [0, 1]. */
  IMAGE: Tensor;
  /** `[batch, height, width]` in [0, 1]. */
  MASK: Tensor;
  LATENT: Latent;
  AUDIO: Audio;
  VIDEO: VideoObject;
  /** ComfyUI's only model-free VAE. */
  VAE: PixelSpaceVae;
  /** A 1-D tensor of noise levels. */
  SIGMAS: Tensor;
  SAMPLER: SamplerObject;
  NOISE: NoiseObject;
  HOOKS: HookGroup;
  HOOK_KEYFRAMES: HookKeyframeGroup;
  LATENT_OPERATION: LatentOperation;
  /** ComfyUI's `"*"`: any type fits, so nothing is known of the value. */
  "*": unknown;
}

/** A latent as ComfyUI passes it between nodes. */
export interface Latent {
  readonly samples: Tensor;
  readonly noise_mask?: Tensor;
  readonly batch_index?: readonly number[];
  readonly type?: string;
  readonly downscale_ratio_spacial?: number;
}

/** ComfyUI's AUDIO value: a `[batch, channels, samples]` waveform and its rate. */
export interface Audio {
  readonly waveform: Tensor;
  readonly sample_rate: number;
}

/**
 * ComfyUI's VIDEO value: frames (`VideoFromComponents`, made by CreateVideo) or a file
 * (`VideoFromFile`, made by LoadVideo; decoded only when a node needs its frames).
 */
export type VideoObject = VideoFromComponents | VideoFromFile;

/** `VideoFromComponents`: `[batch, height, width, channels]` frames, the frame rate, optional audio. */
export interface VideoFromComponents {
  readonly kind: "components";
  readonly images: Tensor;
  /** ComfyUI's `Fraction(fps)` of the float it was given, kept as that float. */
  readonly fps: number;
  readonly audio: Audio | null;
}

/** `VideoFromFile`: a video file of the input folder, read when its components or bytes are needed. */
export interface VideoFromFile {
  readonly kind: "file";
  readonly path: string;
}

/** The only VAE this server has: ComfyUI's built-in `pixel_space` (latent = pixels × 2 − 1, NCHW). */
export interface PixelSpaceVae {
  readonly kind: "pixel_space";
}

/** A sampler choice with its options: data only, since this server runs no models. */
export interface SamplerObject {
  readonly kind: "sampler";
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A noise source (`RandomNoise`, `DisableNoise`). */
export interface NoiseObject {
  readonly kind: "noise";
  readonly seed: bigint | undefined;
}

/** `comfy.hooks.HookGroup`: this server runs no models, so a group holds no hook it could apply. */
export interface HookGroup {
  readonly kind: "hooks";
  readonly hooks: readonly unknown[];
}

/** One hook keyframe (`comfy.hooks.HookKeyframe`). */
export interface HookKeyframe {
  readonly strength: number;
  readonly start_percent: number;
  readonly guarantee_steps: number;
}

/** `HookKeyframeGroup`: keyframes kept sorted by start_percent (stable). */
export interface HookKeyframeGroup {
  readonly kind: "hook_keyframes";
  readonly keyframes: readonly HookKeyframe[];
}

/** A latent operation (`LATENT_OPERATION`): a function of the samples. */
export type LatentOperation = (latent: Tensor) => Tensor;
