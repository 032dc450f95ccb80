import { allclose } from "./allclose.js";
import { channelDelta } from "./channel-delta.js";
import { exact } from "./exact.js";
import { normalizedText } from "./normalized-text.js";
import { pixelmatchComparator } from "./pixelmatch.js";
import { psnrComparator } from "./psnr.js";
import { snrComparator } from "./snr.js";
import { ssimComparator } from "./ssim.js";

/** The built-in comparators by name. A new built-in is one file and one line here. */
export const BUILT_IN_COMPARATORS = {
  exact,
  "channel-delta": channelDelta,
  pixelmatch: pixelmatchComparator,
  ssim: ssimComparator,
  psnr: psnrComparator,
  snr: snrComparator,
  allclose,
  "normalized-text": normalizedText,
} as const;
