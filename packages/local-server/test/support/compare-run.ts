import { expect } from "vitest";
import { deterministicFields } from "./normalize-messages.js";
import type { CaseRun, RecordedFrame } from "./reference-cases.js";

/** The errors of each node, and the lines of `error.details` that list them, in a canonical order. */
export function sortNodeErrors(body: unknown): unknown {
  const { node_errors: nodeErrors, error } = body as {
    node_errors?: Record<string, { errors: unknown[] }>;
    error?: { details?: unknown };
  };
  if (!nodeErrors || Array.isArray(nodeErrors)) return body;
  const details =
    typeof error?.details === "string" ? error.details.split("\n").sort().join("\n") : error?.details;
  const sorted = Object.fromEntries(
    Object.entries(nodeErrors).map(([id, entry]) => [
      id,
      {
        ...entry,
        errors: [...entry.errors].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      },
    ]),
  );
  return { ...(body as object), error: { ...error, details }, node_errors: sorted };
}

/** How many output nodes the recorded prompt ran (history `prompt[4]`). */
export function outputCount(history: Record<string, unknown> | undefined, promptId: string): number {
  const entry = history?.[promptId] as { prompt: unknown[] } | undefined;
  return (entry?.prompt[4] as string[] | undefined)?.length ?? 1;
}

/**
 * One output node: the whole sequence must match. Several: ComfyUI ran them in Python's set order
 * (per process), so compare the messages as a multiset, skip progress_state snapshots (they list
 * whatever ran before), and check where the sequence starts and ends.
 */
export function compareFrames(run: CaseRun, recorded: RecordedFrame[], outputs: number): void {
  const actual = run.frames.map(deterministicFields);
  const expected = recorded.map(deterministicFields);
  if (outputs <= 1) {
    expect(actual).toEqual(expected);
    return;
  }
  const isSnapshot = (f: unknown) => (f as { type?: string }).type === "progress_state";
  const key = (f: unknown) => JSON.stringify(f);
  expect(
    actual
      .filter((f) => !isSnapshot(f))
      .map(key)
      .sort(),
  ).toEqual(
    expected
      .filter((f) => !isSnapshot(f))
      .map(key)
      .sort(),
  );
  expect(actual.filter(isSnapshot)).toHaveLength(expected.filter(isSnapshot).length);
  expect(actual.at(-1)).toEqual(expected.at(-1));
  expect(actual.slice(0, 4)).toEqual(expected.slice(0, 4));
}
