import { defineComparator } from "../comparator.js";
import { shown } from "./sample-deltas.js";

/**
 * Signal-to-noise ratio of audio: the expected signal's power over the power of the difference, over
 * every channel, in dB — the usual measure of a lossy codec's error (+∞ for identical samples).
 */
export const snrComparator = defineComparator({
  name: "snr",
  description: "signal-to-noise ratio (dB) of audio: expected power over the power of the difference",
  accepts: ["signal"],
  options: {
    minDb: {
      type: "number",
      min: Number.NEGATIVE_INFINITY,
      max: Number.POSITIVE_INFINITY,
      default: 30,
      doc: "lowest SNR in dB that passes",
    },
  },
  compare(expected, actual, options) {
    let signal = 0;
    let noise = 0;
    for (const [c, a] of expected.channels.entries()) {
      const b = actual.channels[c]!;
      for (let i = 0; i < a.length; i++) {
        const d = a[i]! - b[i]!;
        signal += a[i]! * a[i]!;
        noise += d * d;
      }
    }
    const db =
      noise === 0
        ? Number.POSITIVE_INFINITY
        : signal === 0
          ? Number.NEGATIVE_INFINITY
          : 10 * Math.log10(signal / noise);
    return {
      pass: db >= options.minDb,
      metrics: { snrDb: db },
      summary: `SNR ${Number.isFinite(db) ? `${shown(Math.round(db * 100) / 100)} dB` : db > 0 ? "∞ (identical)" : "−∞ (silent expected audio, differing actual)"} (lowest passing ${options.minDb} dB)`,
    };
  },
});
