import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { deterministicFields, normalizeHistoryEntry } from "./support/normalize-messages.js";
import {
  type CaseRun,
  listReferenceCases,
  type RecordedFrame,
  runReferenceCase,
  UNSUPPORTED_NODES,
  uploadReferenceInputs,
} from "./support/reference-cases.js";

/**
 * Runs every recorded reference case on the local server and compares the WebSocket message
 * sequence (types and deterministic fields) and the history entry with what ComfyUI 0.3.65 did.
 * Pixels are compared by `reference-outputs.pixels.test.ts`.
 */
describeWithFixture("reference outputs: protocol", ["reference-outputs"], (root) => {
  const cases = listReferenceCases(root);
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer();
    await uploadReferenceInputs(server.url, `${root}/inputs`);
  });
  afterAll(() => server?.close());

  it("finds the recorded cases", () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  const unsupported = (c: (typeof cases)[number]) =>
    (c.meta.node_types ?? []).filter((t) => UNSUPPORTED_NODES.has(t));
  for (const c of cases.filter((c) => unsupported(c).length > 0)) {
    it.skip(`${c.group}/${c.name} [skipped: ${unsupported(c).join(", ")} not implemented]`, () => {});
  }

  const supported = cases.filter((c) => unsupported(c).length === 0);
  it.each(supported.map((c) => [c.group, c.name, c] as const))("%s/%s", async (_group, _name, c) => {
    const run = await runReferenceCase(server.url, c);
    expect(run.status, "HTTP status of POST /prompt").toBe(c.response.status);
    if (run.status !== 200) {
      // ComfyUI lists several errors of one node in Python set order (arbitrary per process).
      expect(sortNodeErrors(run.body)).toEqual(sortNodeErrors(c.response.body));
      return;
    }
    const body = run.body as { prompt_id: string; node_errors: unknown };
    expect(body.prompt_id).toBe(c.prompt.prompt_id);
    expect(body.node_errors).toEqual((c.response.body as { node_errors: unknown }).node_errors);
    compareFrames(run, c.ws.slice(1), outputCount(c.history, c.prompt.prompt_id));
    const recorded = c.history?.[c.prompt.prompt_id];
    const actual = run.history[c.prompt.prompt_id];
    expect(normalizeHistoryEntry(actual)).toEqual(normalizeHistoryEntry(recorded));
  });
});

/** The errors of each node, and the lines of `error.details` that list them, in a canonical order. */
function sortNodeErrors(body: unknown): unknown {
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

function outputCount(history: Record<string, unknown> | undefined, promptId: string): number {
  const entry = history?.[promptId] as { prompt: unknown[] } | undefined;
  return (entry?.prompt[4] as string[] | undefined)?.length ?? 1;
}

/**
 * One output node: the whole sequence must match. Several: ComfyUI ran them in Python's set order
 * (per process), so compare the messages as a multiset, skip progress_state snapshots (they list
 * whatever ran before), and check where the sequence starts and ends.
 */
function compareFrames(run: CaseRun, recorded: RecordedFrame[], outputs: number): void {
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
