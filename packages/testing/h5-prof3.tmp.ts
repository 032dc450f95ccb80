import { compile } from "@comfy-ts/core";
import { startLocalServer } from "@comfy-ts/local-server";
import { ComfyHarness, connectServer } from "./src/node.js";
import { invertRed } from "./test/fixtures/nodes.js";

const local = await startLocalServer();
const server = await connectServer(local.url);
const harness = new ComfyHarness([server]);
const first = await harness.run(invertRed);
async function t(label: string, fn: () => unknown) {
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`${label}: median ${times[20]!.toFixed(2)} min ${times[0]!.toFixed(2)}\n`);
}
await t("compile(workflow)", () => compile(invertRed()));
await t("client.run prompt", () => server.client.run(first.prompt, { forceExecution: "nonce" }));
await t("harness.run prompt", () => harness.run(first.prompt));
await t("harness.run workflow", () => harness.run(invertRed));
await t("client.run prompt", () => server.client.run(first.prompt, { forceExecution: "nonce" }));
await harness.close();
