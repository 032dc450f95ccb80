import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCatalog } from "@comfy-ts/core";
import { apiToUi } from "@comfy-ts/core/workflow";
import { startLocalServer } from "@comfy-ts/local-server";
import { afterAll, describe, expect, test } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

async function calibrate(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const c = captureIo(cwd, env);
  const code = await main(["calibrate", ...argv], c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

const dir = mkdtempSync(join(tmpdir(), "comfy-ts-calibrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Seeded noise on a gray square: the local server renders it the same way every time.
writeFileSync(
  join(dir, "noise.json"),
  JSON.stringify({
    "1": { class_type: "EmptyImage", inputs: { width: 16, height: 16, batch_size: 1, color: 0x808080 } },
    "2": { class_type: "ImageAddNoise", inputs: { image: ["1", 0], seed: 5, strength: 0.5 } },
    "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: "n" } },
  }),
);

describe("comfy-ts calibrate", () => {
  test("runs a pipeline N times on the embedded server and reports the spread as JSON", async () => {
    const { code, stdout, stderr } = await calibrate(
      ["noise.json", "--runs", "3", "--seed", "7", "--json"],
      dir,
    );
    expect(stderr).toContain("using the embedded local server");
    expect(code).toBe(ExitCode.ok);
    const report = JSON.parse(stdout);
    expect(report.runsPerServer).toBe(3);
    expect(report.spreads).toEqual([
      expect.objectContaining({
        output: "3",
        kind: "image",
        format: "png",
        runs: 2,
        identicalRuns: 2,
        maxDelta: 0,
      }),
    ]);
    expect(report.keyByEnvironment).toBe(false);
    expect(report.environments).toEqual({ "cpu_torchnone_comfy0.3.65": { image: { comparator: "exact" } } });
    expect(report.summary).toContain("keep strict goldens (exact)");
    expect(report.config).toContain("configureGoldens(");
  });

  test("writes the tolerance config as a setup module with --write", async () => {
    const { code, stderr } = await calibrate(["noise.json", "--runs", "2", "--write", "tolerances.ts"], dir);
    expect(code).toBe(ExitCode.ok);
    expect(stderr).toContain("wrote the tolerance config to tolerances.ts");
    const written = readFileSync(join(dir, "tolerances.ts"), "utf8");
    expect(written).toContain('import { configureGoldens } from "@comfy-ts/testing";');
    expect(written).toContain('"cpu_torchnone_comfy0.3.65": {');
  });

  test("prints a table by default", async () => {
    const { code, stdout } = await calibrate(["noise.json", "--runs", "2"], dir);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toMatch(/^output\s+kind\s+server\s+runs\s+identical/);
    expect(stdout).toContain("Tolerance config (paste into a vitest setup file, or use --write FILE):");
  });

  test("a UI workflow naming a node type the server lacks is a bad FILE: exit 3", async () => {
    const local = await startLocalServer();
    const catalog = parseCatalog(await (await fetch(`${local.url}/object_info`)).json());
    await local.close();
    const prompt = JSON.parse(readFileSync(join(dir, "noise.json"), "utf8"));
    const ui = apiToUi(prompt, catalog) as { nodes: { type: string }[] };
    ui.nodes[0]!.type = "NodeThisServerLacks";
    writeFileSync(join(dir, "ui.json"), JSON.stringify(ui));
    const { code, stderr } = await calibrate(["ui.json", "--runs", "1"], dir);
    expect(stderr).toMatch(/comfy-ts calibrate: .*NodeThisServerLacks/);
    expect(code).toBe(ExitCode.input);
  });

  test.each([
    [["noise.json", "--runs", "0"], ExitCode.usage, "--runs must be an integer ≥ 1"],
    [["noise.json", "--seed", "x1"], ExitCode.usage, "--seed must be a non-negative integer"],
    [[], ExitCode.usage, "give the workflow FILE to calibrate"],
    [["missing.json"], ExitCode.input, "cannot read"],
    [["noise.json", "--server", "http://127.0.0.1:9"], ExitCode.server, "is unreachable"],
  ])("%j exits %i with a clear message", async (argv, exit, message) => {
    const { code, stderr } = await calibrate(argv, dir);
    expect(code).toBe(exit);
    expect(stderr).toContain(message);
  });
});

describe("comfy-ts calibrate and Ctrl-C", () => {
  test("an interrupt during the runs ends with exit 130 and leaves nothing on the server", async () => {
    const server = await startLocalServer();
    try {
      const controller = new AbortController();
      const c = captureIo(dir, {}, controller.signal);
      const running = main(["calibrate", "noise.json", "--runs", "50", "--server", server.url], c.io);
      // Interrupt once the runs have begun.
      for (let i = 0; i < 200 && !/run 1\//.test(c.stderr()); i++)
        await new Promise((r) => setTimeout(r, 25));
      controller.abort(new Error("received SIGINT"));
      expect(await running).toBe(ExitCode.interrupted);
      expect(c.stderr()).not.toMatch(/run 50\/50/);
      const queue = (await (await fetch(`${server.url}/queue`)).json()) as {
        queue_running: unknown[];
        queue_pending: unknown[];
      };
      expect(queue.queue_running.length + queue.queue_pending.length).toBe(0);
    } finally {
      await server.close();
    }
  });
});
