import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalServer } from "@comfy-ts/local-server";
import { afterAll, bench, describe } from "vitest";
import { ComfyHarness, connectServer } from "../src/harness.js";
import { type GoldenConfig, matchGolden } from "../src/node.js";
import { invertRed } from "../test/fixtures/nodes.js";

// One embedded server, as a vitest worker has. The trivial graph: EmptyImage → ImageInvert → SaveImage (32×32).
const local = await startLocalServer();
const server = await connectServer(local.url, {}, () => local.close());
const harness = new ComfyHarness([server]);
const dir = await mkdtemp(join(tmpdir(), "comfy-ts-bench-"));
const config: GoldenConfig = {
  compare: {},
  environments: {},
  keyByEnvironment: false,
  resultsDir: join(dir, "results"),
  root: dir,
  report: "all",
};
const testFile = join(dir, "bench.test.ts");
const lean: GoldenConfig = { ...config, report: "failures" };
/** The "cyan" golden of this bench file, matched against `image`. */
const matchCyan = (
  image: Parameters<typeof matchGolden>[0]["image"],
  updateMode: "all" | "none",
  golden: GoldenConfig = config,
) =>
  matchGolden({
    image,
    name: "cyan",
    options: undefined,
    testFile,
    testName: "bench",
    callIndex: 0,
    updateMode,
    ci: false,
    config: golden,
  });
const first = await harness.run(invertRed);
await matchCyan(first.image(), "all");
const rawPrompt = first.prompt;

afterAll(async () => {
  await harness.close();
});

describe("per-test overhead on a trivial graph, embedded local server", () => {
  bench("baseline: client.run(prompt), forced (nonce)", async () => {
    await server.client.run(rawPrompt, { forceExecution: "nonce" });
  });
  bench("golden test: comfy.run(workflow) + toMatchGolden (report images kept)", async () => {
    const result = await harness.run(invertRed);
    const outcome = await matchCyan(result.image("out"), "none");
    if (!outcome.pass) throw new Error(outcome.message);
  });
  bench("toMatchGolden alone (report images kept)", async () => {
    await matchCyan(first.image(), "none");
  });
  bench("toMatchGolden alone (report: failures; GoldenReporter writes the HTML)", async () => {
    process.env.COMFY_TS_GOLDEN_REPORTER = "1";
    try {
      await matchCyan(first.image(), "none", lean);
    } finally {
      delete process.env.COMFY_TS_GOLDEN_REPORTER;
    }
  });
});
