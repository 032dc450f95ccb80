import { f32, fmaf } from "../tensor/float32.js";
import { sleefCosf, sleefSinf } from "../tensor/sleef-trig.js";
import { type Tensor, tensor } from "../tensor/tensor.js";

/**
 * `torchaudio.functional.resample(waveform, orig_freq, new_freq)` with its defaults (sinc interpolation,
 * Hann window, `lowpass_filter_width=6`, `rolloff=0.99`), as torchaudio 0.13 computes it on torch 1.13's
 * CPU in float32: the kernel from float32 tensor ops (SLEEF's sin/cos), then `conv1d` over the padded
 * signal with stride `orig`, cut to `ceil(new * length / orig)` samples. ComfyUI resamples this way in
 * SaveAudioOpus, AudioConcat and AudioMerge. No library computes it bit for bit.
 */
export function torchaudioResample(waveform: Tensor, origFreq: number, newFreq: number): Tensor {
  if (origFreq === newFreq) return waveform;
  const gcd = greatestCommonDivisor(origFreq, newFreq);
  const orig = origFreq / gcd;
  const next = newFreq / gcd;
  const { kernel, width } = sincKernel(orig, next);
  const length = waveform.shape.at(-1) ?? 0;
  const rows = length === 0 ? 0 : waveform.data.length / length;
  const taps = 2 * width + orig;
  const padded = length + 2 * width + orig;
  const frames = Math.floor((padded - taps) / orig) + 1;
  const target = Math.min(Math.ceil((next * length) / orig), frames * next);
  const fused = conv1dBackend(rows, padded) === "onednn";
  const out = new Float32Array(rows * target);
  const signal = new Float32Array(padded);
  for (let r = 0; r < rows; r++) {
    signal.fill(0);
    signal.set(waveform.data.subarray(r * length, (r + 1) * length), width);
    for (let o = 0; o < target; o++) {
      const start = Math.floor(o / next) * orig;
      const row = (o % next) * taps;
      out[r * target + o] = fused
        ? fmaChain(signal, start, kernel, row, taps)
        : productSumChain(signal, start, kernel, row, taps);
    }
  }
  return tensor([...waveform.shape.slice(0, -1), target], out);
}

/** oneDNN's order: `acc = fmaf(x[k], w[k], acc)` for k = 0, 1, … (one rounding per tap). */
function fmaChain(x: Float32Array, xAt: number, w: Float32Array, wAt: number, taps: number): number {
  let acc = 0;
  for (let k = 0; k < taps; k++) acc = fmaf(x[xAt + k] as number, w[wAt + k] as number, acc);
  return acc;
}

/** The native im2col + reference-BLAS order: `acc = acc + x[k]·w[k]`, each product and sum rounded. */
function productSumChain(x: Float32Array, xAt: number, w: Float32Array, wAt: number, taps: number): number {
  let acc = 0;
  for (let k = 0; k < taps; k++) acc = f32(acc + f32((x[xAt + k] as number) * (w[wAt + k] as number)));
  return acc;
}

/**
 * Which conv1d torch 1.13 runs (the `use_mkldnn` rule of ATen's Convolution.cpp): oneDNN (AVX2: each
 * output one FMA chain over the taps in order) unless the input is a single row of at most 20480 padded
 * samples, which goes to the native im2col + sgemm path and sums in the order of the BLAS torch calls.
 * The reference BLAS (Debian's libblas3) is reproduced there: a product then a sum per tap, in order.
 * OpenBLAS, which the recordings' torch used (python3-scipy brings it; see tensor/conv2d-path.ts),
 * sums in its own kernels' orders, not reproduced: those outputs can differ in the last float32 bit.
 */
export function conv1dBackend(rows: number, paddedLength: number): "onednn" | "native" {
  return rows > 1 || paddedLength > 20480 ? "onednn" : "native";
}

/** The padded length conv1d sees for `length` samples resampled from `origFreq` to `newFreq`. */
export function paddedLength(length: number, origFreq: number, newFreq: number): number {
  const gcd = greatestCommonDivisor(origFreq, newFreq);
  const orig = origFreq / gcd;
  const next = newFreq / gcd;
  return length + 2 * Math.ceil((6 * orig) / (Math.min(orig, next) * 0.99)) + orig;
}

function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

const KERNELS = new Map<string, { kernel: Float32Array; width: number }>();
const KERNELS_KEPT = 8;

/** `_get_sinc_resample_kernel` in float32 (`dtype=waveform.dtype`), the last few kept (a saver resamples every item). */
function sincKernel(orig: number, next: number): { kernel: Float32Array; width: number } {
  const key = `${orig}/${next}`;
  const known = KERNELS.get(key);
  if (known) return known;
  const made = computeKernel(orig, next);
  if (KERNELS.size >= KERNELS_KEPT) KERNELS.delete(KERNELS.keys().next().value as string);
  KERNELS.set(key, made);
  return made;
}

/** `next` rows of `2·width + orig` taps. */
function computeKernel(orig: number, next: number): { kernel: Float32Array; width: number } {
  const lowpassWidth = 6;
  const baseFreq = Math.min(orig, next) * 0.99;
  const width = Math.ceil((lowpassWidth * orig) / baseFreq);
  const taps = 2 * width + orig;
  const kernel = new Float32Array(next * taps);
  const base = f32(baseFreq);
  const pi = f32(Math.PI);
  const scale = f32(baseFreq / orig);
  for (let j = 0; j < next; j++) {
    const shift = f32(-j / next);
    for (let i = 0; i < taps; i++) {
      let t = f32(shift + f32((i - width) / orig));
      t = Math.min(lowpassWidth, Math.max(-lowpassWidth, f32(t * base)));
      const half = sleefCosf(f32(f32(f32(t * pi) / lowpassWidth) / 2));
      const window = f32(half * half);
      const x = f32(t * pi);
      const sinc = x === 0 ? 1 : f32(sleefSinf(x) / x);
      kernel[j * taps + i] = f32(sinc * f32(window * scale));
    }
  }
  return { kernel, width };
}
