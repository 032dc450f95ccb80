/**
 * What comparators compare: the decoded samples of one unit of an output — a still image or one frame
 * (`raster`), the channels of an audio stream (`signal`), one tensor of a latent (`tensor`), or text.
 */

/** Pixels of one image or frame, in the file's own channel layout. */
export interface RasterSamples {
  readonly type: "raster";
  readonly width: number;
  readonly height: number;
  /** Interleaved channels per pixel: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  readonly channels: number;
  /** The largest sample value: 255 for 8-bit samples, 65535 for 16-bit. */
  readonly maxValue: number;
  /** Row-major interleaved samples. */
  readonly data: Uint8Array | Uint16Array;
  /** The same pixels as 8-bit RGBA, for perceptual comparators and pictures (computed once). */
  rgba(): Uint8Array;
}

/** Audio: planar float32 samples (−1…1), one array per channel. */
export interface SignalSamples {
  readonly type: "signal";
  readonly sampleRate: number;
  readonly channels: readonly Float32Array[];
}

/** One tensor of a latent (safetensors), values widened to float64. */
export interface TensorSamples {
  readonly type: "tensor";
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

export interface TextSamples {
  readonly type: "text";
  readonly text: string;
}

export type Samples = RasterSamples | SignalSamples | TensorSamples | TextSamples;
export type SampleType = Samples["type"];
export type SamplesOf<T extends SampleType> = Extract<Samples, { type: T }>;

/** One compared unit of an output: `label` names it in messages ("frame 3", "tensor samples", "" for a still). */
export interface Unit {
  readonly label: string;
  readonly samples: Samples;
}

/** RGBA8 from interleaved samples of any channel count and depth (16-bit rounded to the nearest 8-bit value, as `@comfy-ts/core/png` does). */
export function toRgba8(raster: Omit<RasterSamples, "rgba" | "type">): Uint8Array {
  const { width, height, channels, data, maxValue } = raster;
  const n = width * height;
  if (channels === 4 && maxValue === 255) return data as Uint8Array;
  const out = new Uint8Array(n * 4);
  const to8 = maxValue > 255 ? (v: number) => Math.round((v * 255) / maxValue) : (v: number) => v;
  for (let p = 0, i = 0, o = 0; p < n; p++, i += channels, o += 4) {
    const a = to8(data[i]!);
    if (channels < 3) {
      out[o] = out[o + 1] = out[o + 2] = a;
      out[o + 3] = channels === 2 ? to8(data[i + 1]!) : 255;
    } else {
      out[o] = a;
      out[o + 1] = to8(data[i + 1]!);
      out[o + 2] = to8(data[i + 2]!);
      out[o + 3] = channels === 4 ? to8(data[i + 3]!) : 255;
    }
  }
  return out;
}

/** A raster unit over samples; the RGBA view is made on first use (or given, e.g. by the PNG decoder). */
export function raster(fields: Omit<RasterSamples, "rgba" | "type">, rgba?: () => Uint8Array): RasterSamples {
  let view: Uint8Array | undefined;
  return {
    type: "raster",
    ...fields,
    rgba: () => {
      view ??= rgba ? rgba() : toRgba8(fields);
      return view;
    },
  };
}
