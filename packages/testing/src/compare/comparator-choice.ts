import { GoldenOptionsError } from "../errors.js";
import {
  type Comparator,
  type OptionSchema,
  type OptionsOf,
  type OptionValue,
  resolveComparatorOptions,
  validateComparatorOptions,
} from "./comparator.js";
import { BUILT_IN_COMPARATORS } from "./comparators/index.js";

type BuiltInComparators = typeof BUILT_IN_COMPARATORS;

/**
 * Every comparator `toMatchGolden` and `configureGoldens` know by name, with its options' types. Add
 * yours by declaration merging, next to its `defineComparator`:
 *
 * @example
 * declare module "@comfy-ts/testing" {
 *   interface GoldenComparators { "mean-delta": typeof meanDelta }
 * }
 */
export interface GoldenComparators extends BuiltInComparators {}

type SchemaOf<C> = C extends Comparator<string, infer S> ? S : OptionSchema;

/** A comparator by name with some of its options: `{ comparator: "channel-delta", maxDelta: 2 }`. */
export type ComparatorChoice = {
  [N in keyof GoldenComparators]: { readonly comparator: N } & Partial<
    OptionsOf<SchemaOf<GoldenComparators[N]>>
  >;
}[keyof GoldenComparators];

/** One comparator's options with its name optional, as one object type (so a non-object is rejected). */
type OptionalChoice<N, S extends OptionSchema> = {
  readonly [K in "comparator" | keyof S]?: K extends "comparator"
    ? N
    : K extends keyof S
      ? OptionValue<S[K]>
      : never;
};

/** Options with or without a comparator name: without, they refine the comparator already chosen for the output. */
export type ComparatorOptions = {
  [N in keyof GoldenComparators]: OptionalChoice<N, SchemaOf<GoldenComparators[N]>>;
}[keyof GoldenComparators];

const builtIn = new Map<string, Comparator>(Object.entries(BUILT_IN_COMPARATORS));
const registered = new Map<string, Comparator>();

/** Adds comparators (`configureGoldens({ comparators })` calls this). A built-in name cannot be taken. */
export function registerComparators(comparators: readonly Comparator[]): void {
  for (const comparator of comparators) {
    if (typeof comparator?.name !== "string" || typeof comparator.compare !== "function") {
      throw new GoldenOptionsError(
        "comparators",
        "a comparator must be made with defineComparator({ name, compare, … })",
      );
    }
    if (builtIn.has(comparator.name)) {
      throw new GoldenOptionsError(
        "comparators",
        `"${comparator.name}" is a built-in comparator; give yours another name`,
      );
    }
    registered.set(comparator.name, comparator);
  }
}

/** Forgets registered comparators (tests of this package). */
export function resetRegisteredComparators(): void {
  registered.clear();
}

/** Every comparator name known now: built-ins, then registered ones. */
export function comparatorNames(): string[] {
  return [...builtIn.keys(), ...registered.keys()];
}

/** The comparator of a name, or a `GoldenOptionsError` listing the known ones. */
export function comparatorNamed(name: unknown): Comparator {
  if (typeof name === "string") {
    const found = builtIn.get(name) ?? registered.get(name);
    if (found) return found;
  }
  throw new GoldenOptionsError(
    "comparator",
    `unknown comparator ${JSON.stringify(name)} (known: ${comparatorNames().join(", ")}; register your own with configureGoldens({ comparators }))`,
  );
}

/** A comparator with every option resolved: what decided a comparison (recorded in the sidecar). */
export interface ResolvedChoice {
  readonly comparator: Comparator;
  readonly options: OptionsOf<OptionSchema>;
}

/** Splits `{ comparator, ...options }` after checking it is an object. */
function parts(layer: unknown, where: string): { name: unknown; options: Record<string, unknown> } {
  if (typeof layer !== "object" || layer === null || Array.isArray(layer)) {
    throw new GoldenOptionsError(
      where,
      `${where} must be an object like { comparator: "exact" }, got ${JSON.stringify(layer)}`,
    );
  }
  const { comparator: name, ...options } = layer as Record<string, unknown>;
  return { name, options };
}

/** Checks one layer eagerly: a known comparator (when named) and its options. */
export function validateChoice(layer: unknown, where: string, inherited?: Comparator): void {
  const { name, options } = parts(layer, where);
  const comparator = name === undefined ? inherited : comparatorNamed(name);
  if (comparator) validateComparatorOptions(comparator, options);
}

/**
 * Layers choices: each layer that names a comparator starts over with it; a layer without a name
 * refines the options of the comparator chosen so far. Every layer is validated.
 */
export function resolveChoice(
  layers: readonly (unknown | undefined)[],
  where: readonly string[] = [],
): ResolvedChoice {
  let comparator: Comparator | undefined;
  let options: Record<string, unknown> = {};
  layers.forEach((layer, i) => {
    if (layer === undefined) return;
    const label = where[i] ?? "golden options";
    const { name, options: own } = parts(layer, label);
    if (name !== undefined) {
      comparator = comparatorNamed(name);
      options = {};
    }
    if (!comparator)
      throw new GoldenOptionsError("comparator", `${label} sets options but no comparator was chosen`);
    validateComparatorOptions(comparator, own);
    for (const [key, value] of Object.entries(own)) if (value !== undefined) options[key] = value;
  });
  if (!comparator) throw new GoldenOptionsError("comparator", "no comparator was chosen");
  return { comparator, options: resolveComparatorOptions(comparator, options) };
}

/** "channel-delta (maxDelta 2, maxExceeding 0)" — the decision in words, for messages and reports. */
export function describeChoice(choice: ResolvedChoice): string {
  const options = Object.entries(choice.options).map(([k, v]) => `${k} ${v === undefined ? "unset" : v}`);
  return options.length ? `${choice.comparator.name} (${options.join(", ")})` : choice.comparator.name;
}
