import { Writable } from "node:stream";
import { describeWithFixture, repoRoot } from "@comfy-ts/test-support";
import type { CommandIO } from "comfy-ts";
import { describe, expect, test } from "vitest";
import { regenerateInstall2025, regenerateLocal } from "../src/regenerate-factories.js";

// The committed factory modules under src/generated/ are what codegen gives today (the CI gate:
// `pnpm --filter @comfy-ts/examples codegen --check`).
function capture() {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const io: CommandIO = {
    stdout: sink,
    stderr: sink,
    env: {},
    cwd: repoRoot,
    signal: new AbortController().signal,
  };
  return { io, text: () => chunks.join("") };
}

describe("src/generated/local", () => {
  test("is current with the local server's /object_info", async () => {
    const { io, text } = capture();
    const code = await regenerateLocal(["--check"], io);
    expect(text()).toBe("");
    expect(code).toBe(0);
  }, 60_000);
});

describeWithFixture("src/generated/install-2025", ["object-info", "install-2025-568-nodes.json"], () => {
  test("is current with install-2025-568-nodes.json", async () => {
    const { io, text } = capture();
    const code = await regenerateInstall2025(["--check"], io);
    expect(text()).toBe("");
    expect(code).toBe(0);
  }, 60_000);
});
