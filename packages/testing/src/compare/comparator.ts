import { GoldenOptionsError } from "../errors.js";
import type { SamplesOf, SampleType } from "./samples.js";

/** A numeric option: its range, and the value used when the user sets none (`undefined`: no limit). */
export interface NumberOption {
  readonly type: "number";
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  readonly default: number | undefined;
  /** One line for documentation and `comfy-ts compare --help`. */
  readonly doc: string;
}

export interface BooleanOption {
  readonly type: "boolean";
  readonly default: boolean;
  readonly doc: string;
}

export type OptionSpec = NumberOption | BooleanOption;
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/** The value type of one option (distributes over a union of specs). */
export type OptionValue<O extends OptionSpec> = O extends BooleanOption
  ? boolean
  : O extends { default: number }
    ? number
    : number | undefined;

/** The resolved options of a schema: every option has a value (numbers without a default may be `undefined`). */
export type OptionsOf<S extends OptionSchema> = { readonly [K in keyof S]: OptionValue<S[K]> };

/** How one unit (an image, a frame, an audio stream, a tensor, a text) compared. */
export interface UnitVerdict {
  readonly pass: boolean;
  /** What was measured, for records and reports: `{ maxDelta: 26, exceeding: 4096 }`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The measurement in words, naming where the worst difference is: "max |Δ| 26 (channel G at x 3, y 4); …". */
  readonly summary: string;
}

/**
 * A comparator: decides whether an actual unit is close enough to the expected one. Pure and
 * synchronous; it never sees files. Define one with `defineComparator` and register it with
 * `configureGoldens({ comparators: [...] })`.
 */
export interface Comparator<
  Name extends string = string,
  Schema extends OptionSchema = OptionSchema,
  Accepts extends SampleType = SampleType,
> {
  readonly name: Name;
  /** One line: what it measures. */
  readonly description: string;
  /** The sample types it can compare. */
  readonly accepts: readonly Accepts[];
  readonly options: Schema;
  /** Compares two units of equal shape (sizes, channel counts and lengths were checked before). */
  compare(expected: SamplesOf<Accepts>, actual: SamplesOf<Accepts>, options: OptionsOf<Schema>): UnitVerdict;
}

/** Declares a comparator; the object is returned as is, typed for `GoldenComparators` and option checking. */
export function defineComparator<
  const Name extends string,
  const Schema extends OptionSchema,
  const Accepts extends SampleType,
>(comparator: Comparator<Name, Schema, Accepts>): Comparator<Name, Schema, Accepts> {
  return comparator;
}

/** Checks one option value against its spec, with a message naming the option and the comparator. */
function checkOption(comparator: string, name: string, spec: OptionSpec, value: unknown): void {
  const where = `\`${name}\` option of comparator "${comparator}"`;
  if (spec.type === "boolean") {
    if (typeof value !== "boolean") {
      throw new GoldenOptionsError(name, `${where} must be a boolean, got ${JSON.stringify(value)}`);
    }
    return;
  }
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new GoldenOptionsError(name, `${where} must be a number, got ${JSON.stringify(value)}`);
  }
  if (value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
    const what = spec.integer ? "an integer" : "a number";
    const range =
      spec.max === Number.POSITIVE_INFINITY ? `≥ ${spec.min}` : `between ${spec.min} and ${spec.max}`;
    throw new GoldenOptionsError(name, `${where} must be ${what} ${range}, got ${value}`);
  }
}

/**
 * Checks user-given options of a comparator eagerly: unknown keys (typos), types and ranges.
 * `undefined` values are allowed (they keep the default).
 */
export function validateComparatorOptions(
  comparator: Comparator,
  input: Readonly<Record<string, unknown>>,
): void {
  for (const [key, value] of Object.entries(input)) {
    const spec = comparator.options[key];
    if (!spec) {
      const known = Object.keys(comparator.options);
      throw new GoldenOptionsError(
        key,
        `unknown option \`${key}\` for comparator "${comparator.name}" (${known.length ? `its options: ${known.join(", ")}` : "it takes no options"})`,
      );
    }
    if (value !== undefined) checkOption(comparator.name, key, spec, value);
  }
}

/** The options in effect: the schema's defaults, overridden by every defined value of `input`. */
export function resolveComparatorOptions<S extends OptionSchema>(
  comparator: Comparator<string, S>,
  input: Readonly<Record<string, unknown>>,
): OptionsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(comparator.options)) out[key] = input[key] ?? spec.default;
  return out as OptionsOf<S>;
}
