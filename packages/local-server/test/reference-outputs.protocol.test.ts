import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { compareFrames, outputCount, sortNodeErrors } from "./support/compare-run.js";
import { normalizeHistoryEntry } from "./support/normalize-messages.js";
import {
  listReferenceCases,
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
