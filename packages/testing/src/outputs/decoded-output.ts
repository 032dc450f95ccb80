import type { Unit } from "../compare/samples.js";
import type { GoldenFormat, GoldenKind } from "./output-kind.js";

/** A fact about an output compared exactly before any sample: size, frame count, fps, sample rate, shape … */
export interface Fact {
  readonly name: string;
  readonly value: string | number;
}

/** An output decoded for comparison: its facts, and the units comparators see (frames, audio, tensors, text). */
export interface DecodedOutput {
  readonly kind: GoldenKind;
  readonly format: GoldenFormat;
  readonly facts: readonly Fact[];
  readonly units: readonly Unit[];
}

/** A fact that differs between golden and actual, or exists on one side only. */
export interface FactDifference {
  readonly name: string;
  readonly expected: string | number | undefined;
  readonly actual: string | number | undefined;
}

/** The facts that differ, in the expected output's order (then facts only the actual has). */
export function factDifferences(expected: readonly Fact[], actual: readonly Fact[]): FactDifference[] {
  const theirs = new Map(actual.map((f) => [f.name, f.value]));
  const out: FactDifference[] = [];
  for (const fact of expected) {
    const value = theirs.get(fact.name);
    if (value !== fact.value) out.push({ name: fact.name, expected: fact.value, actual: value });
    theirs.delete(fact.name);
  }
  for (const [name, value] of theirs) out.push({ name, expected: undefined, actual: value });
  return out;
}

/** The value of one fact, if the output has it. */
export function factValue(output: Pick<DecodedOutput, "facts">, name: string): string | number | undefined {
  return output.facts.find((f) => f.name === name)?.value;
}
