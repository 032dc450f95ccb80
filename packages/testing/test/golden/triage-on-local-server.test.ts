// Triage end to end: real runs on two servers with different environment keys — a local server, and a
// local server behind a proxy that reports other versions and renders one sample differently — and
// goldens accepted, then compared, through the same matcher the vitest assertion uses.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalServer } from "@comfy-ts/local-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComfyHarness, connectServer } from "../../src/harness.js";
import { type GoldenConfig, matchGolden } from "../../src/node.js";
import { noisy } from "../fixtures/nodes.js";
import { type OtherBuildProxy, startOtherBuildProxy } from "../support/other-build-proxy.js";

let harness: ComfyHarness;
let proxy: OtherBuildProxy;
let dir: string;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  const local = await startLocalServer();
  proxy = await startOtherBuildProxy(local.url, {
    comfyuiVersion: "0.3.66",
    pytorchVersion: "2.6.0+cpu",
    deviceName: "cpu",
  });
  const servers = [await connectServer(local.url, {}, () => local.close()), await connectServer(proxy.url)];
  harness = new ComfyHarness(servers);
  [keyA, keyB] = servers.map((s) => s.environmentKey) as [string, string];
  dir = await mkdtemp(join(tmpdir(), "comfy-ts-triage-e2e-"));
});

afterAll(async () => {
  await harness?.close();
  await proxy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Both environment keys configured, as `comfy-ts calibrate` writes them; keyB's table given per test. */
const config = (tableB: GoldenConfig["environments"][string]): GoldenConfig => ({
  compare: {},
  environments: { [keyA]: { image: { comparator: "exact" } }, [keyB]: tableB },
  keyByEnvironment: false,
  resultsDir: join(dir, "results"),
  root: dir,
  report: "failures",
});

const match = (
  image: ReturnType<Awaited<ReturnType<ComfyHarness["run"]>>["image"]>,
  golden: string,
  updateMode: "all" | "none",
  tableB: GoldenConfig["environments"][string] = { image: { comparator: "exact" } },
) =>
  matchGolden({
    image,
    name: golden,
    options: undefined,
    testFile: join(dir, "triage.test.ts"),
    testName: "triage",
    callIndex: 0,
    updateMode,
    ci: false,
    config: config(tableB),
  });

describe("a failing golden says whether the graph or the server changed (two servers, two environment keys)", () => {
  it("the servers have different environment keys", () => {
    expect(keyA).toBe("cpu_torchnone_comfy0.3.65");
    expect(keyB).toBe("cpu_torch2.6.0-cpu_comfy0.3.66");
  });

  it("graph edited since the golden was accepted: the failure names the changed input", async () => {
    const accepted = await harness.run(noisy, { seeds: 42n, environmentKey: keyA });
    expect((await match(accepted.image("out"), "graph-edit", "all")).outcome.kind).toBe("golden-written");

    const edited = await harness.run(noisy, { seeds: 7n, environmentKey: keyA });
    const result = await match(edited.image("out"), "graph-edit", "none");
    expect(result.pass).toBe(false);
    expect(result.message).toContain("The graph changed since the golden was accepted (1 change):");
    expect(result.message).toContain('  ImageAddNoise "2".seed 42 → 7');
    expect(result.message).not.toContain("server side changed");
  });

  it("graph unchanged, another environment: the failure names the environment difference", async () => {
    const accepted = await harness.run(noisy, { seeds: 42n, environmentKey: keyA });
    await match(accepted.image("out"), "env-change", "all");

    const elsewhere = await harness.run(noisy, { seeds: 42n, environmentKey: keyB });
    expect(elsewhere.environmentKey).toBe(keyB);
    const result = await match(elsewhere.image("out"), "env-change", "none");
    expect(result.pass).toBe(false);
    expect(result.message).toContain("1 of 1728 samples differ, max |Δ| 1 (channel R at x 0, y 0");
    expect(result.message).toContain(
      `The graph is unchanged since the golden was accepted; the server side changed: environment key ${keyA} → ${keyB}; ComfyUI 0.3.65 → 0.3.66; torch none → 2.6.0+cpu.`,
    );
    expect(result.message).toContain(`  then: ${keyA}: ComfyUI 0.3.65, torch none, cpu`);
    expect(result.message).toContain(`  now:  ${keyB}: ComfyUI 0.3.66, torch 2.6.0+cpu, cpu`);

    // The tolerance configured for that environment decides: one level of difference is admitted there.
    const tolerated = await match(elsewhere.image("out"), "env-change", "none", {
      image: { comparator: "channel-delta", maxDelta: 1 },
    });
    expect(tolerated.pass).toBe(true);
  });
});
