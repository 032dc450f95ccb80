import type { SignalSamples } from "../compare/samples.js";
import type { Picture } from "./raster-pictures.js";

const WIDTH = 1024;
const LANE = 128;

function fill(
  out: Uint8Array,
  width: number,
  x: number,
  y0: number,
  y1: number,
  rgb: readonly number[],
): void {
  for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++) {
    const o = (y * width + x) * 4;
    out[o] = rgb[0]!;
    out[o + 1] = rgb[1]!;
    out[o + 2] = rgb[2]!;
  }
}

/**
 * A waveform per channel (one lane of 128 px each): per pixel column, the minimum and maximum sample.
 * `scale` maps the largest magnitude shown to the lane's edge (1 for audio; the largest |Δ| for a diff).
 */
export function waveformPicture(
  channels: readonly Float32Array[],
  scale = 1,
  rgb: readonly number[] = [40, 90, 200],
): Picture {
  const lanes = Math.max(1, channels.length);
  const height = lanes * LANE;
  const out = new Uint8Array(WIDTH * height * 4);
  for (let i = 0; i < out.length; i += 4) {
    out[i] = out[i + 1] = out[i + 2] = 250;
    out[i + 3] = 255;
  }
  channels.forEach((samples, c) => {
    const mid = c * LANE + LANE / 2;
    for (let x = 0; x < WIDTH; x++) fill(out, WIDTH, x, mid, mid, [200, 200, 200]);
    if (samples.length === 0) return;
    for (let x = 0; x < WIDTH; x++) {
      const start = Math.floor((x * samples.length) / WIDTH);
      const end = Math.max(start + 1, Math.floor(((x + 1) * samples.length) / WIDTH));
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = start; i < end && i < samples.length; i++) {
        const v = samples[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!Number.isFinite(lo)) continue;
      const y = (v: number) => Math.round(mid - Math.max(-1, Math.min(1, v / scale)) * (LANE / 2 - 2));
      fill(out, WIDTH, x, y(hi), y(lo), rgb);
    }
  });
  return { width: WIDTH, height, data: out };
}

/** The difference actual − expected as a red waveform scaled to its own largest magnitude. */
export function signalDiffPicture(expected: SignalSamples, actual: SignalSamples): Picture {
  let peak = 0;
  const channels = expected.channels.map((a, c) => {
    const b = actual.channels[c]!;
    const d = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) {
      d[i] = b[i]! - a[i]!;
      if (Math.abs(d[i]!) > peak) peak = Math.abs(d[i]!);
    }
    return d;
  });
  return waveformPicture(channels, peak || 1, [210, 30, 30]);
}
