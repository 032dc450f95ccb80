import type { RasterSamples, SignalSamples, TensorSamples } from "../samples.js";

/** Where a difference is, for messages: a pixel's channel, an audio sample, a tensor element. */
export interface SampleLocation {
  /** "channel G at x 3, y 4" / "channel 1, sample 12000 (0.2500 s)" / "index [0, 3, 7, 2]" */
  readonly text: string;
  readonly expected: number;
  readonly actual: number;
}

/** The differences of two units, sample by sample. */
export interface DeltaScan {
  readonly samples: number;
  /** Samples whose |Δ| exceeds the threshold the scan was asked for. */
  readonly exceeding: number;
  readonly maxDelta: number;
  /** The largest |Δ| of each channel (rasters and signals; one entry for tensors). */
  readonly perChannel: readonly number[];
  /** Where the largest |Δ| is (first occurrence); undefined when nothing differs. */
  readonly worst: SampleLocation | undefined;
}

const RGBA_NAMES = ["R", "G", "B", "A"];
const GRAY_NAMES = ["L", "A"];

function channelName(channels: number, c: number): string {
  return (channels <= 2 ? GRAY_NAMES : RGBA_NAMES)[c] ?? String(c);
}

/** Counts samples of two equal-shape rasters whose |Δ| exceeds `threshold`, tracking the largest. */
export function scanRaster(expected: RasterSamples, actual: RasterSamples, threshold: number): DeltaScan {
  const a = expected.data;
  const b = actual.data;
  const { channels, width } = expected;
  const perChannel = new Array<number>(channels).fill(0);
  let exceeding = 0;
  let maxDelta = 0;
  let worstAt = -1;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d === 0) continue;
    const abs = d < 0 ? -d : d;
    if (abs > threshold) exceeding++;
    const c = i % channels;
    if (abs > perChannel[c]!) perChannel[c] = abs;
    if (abs > maxDelta) {
      maxDelta = abs;
      worstAt = i;
    }
  }
  let worst: SampleLocation | undefined;
  if (worstAt >= 0) {
    const pixel = Math.floor(worstAt / channels);
    const c = worstAt % channels;
    worst = {
      text: `channel ${channelName(channels, c)} at x ${pixel % width}, y ${Math.floor(pixel / width)}`,
      expected: a[worstAt]!,
      actual: b[worstAt]!,
    };
  }
  return { samples: a.length, exceeding, maxDelta, perChannel, worst };
}

/** The same for audio: per channel, locations as sample index and time. */
export function scanSignal(expected: SignalSamples, actual: SignalSamples, threshold: number): DeltaScan {
  const perChannel: number[] = [];
  let samples = 0;
  let exceeding = 0;
  let maxDelta = 0;
  let worst: SampleLocation | undefined;
  for (const [c, a] of expected.channels.entries()) {
    const b = actual.channels[c]!;
    samples += a.length;
    let channelMax = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      if (d === 0) continue;
      if (d > threshold) exceeding++;
      if (d > channelMax) channelMax = d;
      if (d > maxDelta) {
        maxDelta = d;
        worst = {
          text: `channel ${c}, sample ${i} (${(i / expected.sampleRate).toFixed(4)} s)`,
          expected: a[i]!,
          actual: b[i]!,
        };
      }
    }
    perChannel.push(channelMax);
  }
  return { samples, exceeding, maxDelta, perChannel, worst };
}

/** The index of a flat position in a tensor of `shape`, as `[i, j, …]`. */
export function tensorIndex(shape: readonly number[], flat: number): string {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index.unshift(flat % size);
    flat = Math.floor(flat / size);
  }
  return `[${index.join(", ")}]`;
}

/** The same for tensors. Two NaNs at one position count as equal; NaN against a number as infinitely far. */
export function scanTensor(
  expected: TensorSamples,
  actual: TensorSamples,
  allowed: (expected: number, delta: number) => boolean,
): DeltaScan {
  const a = expected.values;
  const b = actual.values;
  let exceeding = 0;
  let maxDelta = 0;
  let worstAt = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Object.is(x, y) || x === y) continue;
    const d = Number.isNaN(x) || Number.isNaN(y) ? Number.POSITIVE_INFINITY : Math.abs(x - y);
    if (!allowed(x, d)) exceeding++;
    if (d > maxDelta || worstAt < 0) {
      maxDelta = d;
      worstAt = i;
    }
  }
  const worst =
    worstAt < 0
      ? undefined
      : { text: `index ${tensorIndex(expected.shape, worstAt)}`, expected: a[worstAt]!, actual: b[worstAt]! };
  return { samples: a.length, exceeding, maxDelta, perChannel: [maxDelta], worst };
}

/** A number for messages: integers as they are, others with enough digits to see small differences. */
export function shown(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Number.parseFloat(value.toPrecision(6)).toString();
}

/** "max |Δ| 26 (channel G at x 3, y 4: expected 100, got 126)" or "no sample differs". */
export function describeWorst(scan: DeltaScan): string {
  if (!scan.worst) return "no sample differs";
  const w = scan.worst;
  return `max |Δ| ${shown(scan.maxDelta)} (${w.text}: expected ${shown(w.expected)}, got ${shown(w.actual)})`;
}
