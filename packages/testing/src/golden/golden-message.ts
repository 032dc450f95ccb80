import { describeChoice } from "../compare/comparator-choice.js";
import type { Comparison } from "../compare/compare-outputs.js";
import type { FactDifference } from "../outputs/decoded-output.js";
import type { MatchOutcome } from "./match-outcome.js";
import type { WrittenArtifacts } from "./perform-side-effects.js";

/** Paths shown in messages, already made relative to the root. */
export interface MessagePaths {
  readonly golden: string;
  readonly artifacts: { readonly [K in keyof WrittenArtifacts]?: string };
}

const LABELS: ReadonlyArray<[keyof WrittenArtifacts, string]> = [
  ["expected", "expected"],
  ["actual", "actual"],
  ["expectedPicture", "expected picture"],
  ["actualPicture", "actual picture"],
  ["diff", "diff"],
];

function artifactLines(paths: MessagePaths): string {
  const width = Math.max(...LABELS.map(([, label]) => label.length)) + 1;
  const lines = [`  ${"golden:".padEnd(width + 1)} ${paths.golden}`];
  for (const [key, label] of LABELS) {
    const path = paths.artifacts[key];
    if (path) lines.push(`  ${`${label}:`.padEnd(width + 1)} ${path}`);
  }
  return lines.join("\n");
}

const ACCEPT =
  "If the change is intended, accept it with `vitest -u` (locally; goldens are never written in CI) and commit the golden.";

function fact(value: string | number | undefined): string {
  return value === undefined ? "(none)" : String(value);
}

/** "frames 8 → 9; fps 8/1 → 24/1" */
export function describeFactDifferences(differences: readonly FactDifference[]): string {
  return differences.map((d) => `${d.name} ${fact(d.expected)} → ${fact(d.actual)}`).join("; ");
}

/** The failing units (at most 5 named, with how many more), or the one unit of a still / audio / text. */
function failingUnits(comparison: Extract<Comparison, { kind: "compared" }>): string {
  const failing = comparison.units.filter((u) => !u.verdict.pass);
  const shown = failing.slice(0, 5).map((u) => `  ${u.label ? `${u.label}: ` : ""}${u.verdict.summary}`);
  const more = failing.length > 5 ? `\n  … and ${failing.length - 5} more` : "";
  const of =
    comparison.units.length > 1
      ? `${failing.length} of ${comparison.units.length} ${comparison.units[0]!.label.split(" ")[0]}s differ beyond tolerance:\n`
      : "";
  return `${of}${shown.join("\n")}${more}`;
}

/**
 * The assertion message of an outcome: what differs and by how much (which frame, sample, tensor
 * index), the comparator and tolerances that decided, every path, and `notes` (what changed since the
 * golden was accepted: the graph, or the server).
 */
export function goldenMessage(
  name: string,
  outcome: MatchOutcome,
  paths: MessagePaths,
  notes: readonly string[] = [],
): string {
  const tail = `${notes.length ? `\n${notes.join("\n")}` : ""}\n${artifactLines(paths)}\n${ACCEPT}`;
  switch (outcome.kind) {
    case "missing-golden":
      return outcome.ci
        ? `golden "${name}" does not exist and was not written: CI is set, and goldens are never written in CI.\n${artifactLines(paths)}\nCreate it locally with \`vitest -u\`, review the output and commit it.`
        : `golden "${name}" does not exist.\n${artifactLines(paths)}\nCreate it with \`vitest -u\` (or COMFY_TS_UPDATE_GOLDENS=new), review the output and commit it.`;
    case "golden-written":
      return `golden "${name}" written: ${paths.golden}`;
    case "golden-updated":
      return `golden "${name}" updated: ${paths.golden}`;
    case "matched": {
      const c = outcome.comparison;
      if (c.kind === "compared") {
        return `golden "${name}" matched within tolerance (${describeChoice(c.choice)})`;
      }
      return `golden "${name}" matched (identical ${c.kind === "identical" ? c.via : "samples"})`;
    }
    case "kind-mismatch": {
      const { expected, actual } = outcome.comparison;
      return `golden "${name}" is ${article(expected.kind)} ${expected.kind} (${expected.format}), but the output is ${article(actual.kind)} ${actual.kind} (${actual.format}): they cannot be compared.${tail}`;
    }
    case "facts-mismatch":
      return `golden "${name}" differs in its ${outcome.comparison.expected.kind} facts: ${describeFactDifferences(outcome.comparison.differences)}.${tail}`;
    case "mismatch": {
      const c = outcome.comparison;
      return `golden "${name}" does not match (${describeChoice(c.choice)}):\n${failingUnits(c)}${tail}`;
    }
    case "golden-conflict":
      return `golden "${name}" was already written in this run by test "${outcome.writtenBy}" with other content: two tests share this golden name but produce different outputs. Neither is kept silently — give each test its own golden name.\n${artifactLines(paths)}`;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}
