import { GoldenOptionsError } from "../errors.js";

/** How two images are compared. Every field has a default in `DEFAULT_COMPARE_OPTIONS`. */
export interface CompareOptions {
  /**
   * pixelmatch's per-pixel color distance (YIQ) above which a pixel counts as different, 0–1.
   * 0 counts every changed pixel.
   */
  readonly threshold: number;
  /** Most differing pixels allowed. `undefined`: no limit from this option. */
  readonly maxDiffPixels: number | undefined;
  /** Most differing pixels allowed as a fraction of the image area, 0–1. `undefined`: no limit from this option. */
  readonly maxDiffPixelRatio: number | undefined;
  /**
   * Count pixels pixelmatch takes for anti-aliasing as different. True by default: generated images
   * have no anti-aliasing to forgive, and a changed edge is a change.
   */
  readonly includeAA: boolean;
}

/**
 * The defaults, in one place. With neither tolerance set, no pixel may differ beyond `threshold`.
 */
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = Object.freeze({
  threshold: 0.1,
  maxDiffPixels: undefined,
  maxDiffPixelRatio: undefined,
  includeAA: true,
});

/** What a user may pass: any subset. */
export type CompareOptionsInput = Partial<CompareOptions>;

const KNOWN = Object.keys(DEFAULT_COMPARE_OPTIONS) as (keyof CompareOptions)[];

function checkRange(name: string, value: unknown, min: number, max: number, integer = false): void {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new GoldenOptionsError(
      name,
      `\`${name}\` option value must be a number, got ${JSON.stringify(value)}`,
    );
  }
  if (value < min || value > max || (integer && !Number.isInteger(value))) {
    const what = integer ? "an integer" : "a number";
    const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new GoldenOptionsError(name, `\`${name}\` option value must be ${what} ${range}, got ${value}`);
  }
}

/**
 * Checks a partial options object eagerly, with a message naming the option: unknown keys (typos),
 * wrong types and out-of-range values. `extraKeys` are allowed and left to the caller.
 */
export function validateCompareOptions(
  input: unknown,
  extraKeys: readonly string[] = [],
): CompareOptionsInput {
  if (input === undefined) return {};
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new GoldenOptionsError("options", `golden options must be an object, got ${JSON.stringify(input)}`);
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KNOWN as string[]).includes(key) && !extraKeys.includes(key)) {
      const known = [...KNOWN, ...extraKeys].join(", ");
      throw new GoldenOptionsError(key, `unknown golden option \`${key}\` (known options: ${known})`);
    }
  }
  if (record.threshold !== undefined) checkRange("threshold", record.threshold, 0, 1);
  if (record.maxDiffPixels !== undefined) {
    checkRange("maxDiffPixels", record.maxDiffPixels, 0, Number.POSITIVE_INFINITY, true);
  }
  if (record.maxDiffPixelRatio !== undefined) checkRange("maxDiffPixelRatio", record.maxDiffPixelRatio, 0, 1);
  if (record.includeAA !== undefined && typeof record.includeAA !== "boolean") {
    throw new GoldenOptionsError(
      "includeAA",
      `\`includeAA\` option value must be a boolean, got ${JSON.stringify(record.includeAA)}`,
    );
  }
  return record as CompareOptionsInput;
}

/** Layers options: defaults, then each override in order (project, then test). `undefined` fields do not override. */
export function resolveCompareOptions(
  ...layers: readonly (CompareOptionsInput | undefined)[]
): CompareOptions {
  const out: { -readonly [K in keyof CompareOptions]: CompareOptions[K] } = { ...DEFAULT_COMPARE_OPTIONS };
  for (const layer of layers) {
    if (!layer) continue;
    const valid = validateCompareOptions(
      layer,
      Object.keys(layer).filter((k) => !(KNOWN as string[]).includes(k)),
    );
    for (const key of KNOWN) {
      const value = valid[key];
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
  }
  return Object.freeze(out);
}

/** The number of differing pixels allowed for an image of `area` pixels: min of both tolerances, 0 when neither is set. */
export function allowedDiffPixels(options: CompareOptions, area: number): number {
  const { maxDiffPixels, maxDiffPixelRatio } = options;
  if (maxDiffPixels === undefined && maxDiffPixelRatio === undefined) return 0;
  const byCount = maxDiffPixels ?? Number.POSITIVE_INFINITY;
  const byRatio =
    maxDiffPixelRatio === undefined ? Number.POSITIVE_INFINITY : Math.floor(maxDiffPixelRatio * area);
  return Math.min(byCount, byRatio);
}
