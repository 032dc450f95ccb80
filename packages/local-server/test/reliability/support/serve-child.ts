// Runs a local server in its own process for the reliability suites, so a crash is seen as the
// process ending (not caught by the test runner). Prints {"url": …} on stdout once listening; logs
// server errors on stderr; closes on SIGTERM. Besides ComfyUI's nodes it has `TestSleep`, a node
// that takes `ms` milliseconds (with progress and interrupt checks), for faults in the middle of a job.
import { type NodeImpl, startLocalServer } from "../../../src/index.js";
import { nodeImpls } from "../../../src/nodes/index.js";

const [inputDir, outputDir, tempDir, port] = process.argv.slice(2);
if (!inputDir || !outputDir || !tempDir) {
  process.stderr.write("usage: serve-child INPUT_DIR OUTPUT_DIR TEMP_DIR [PORT]\n");
  process.exit(2);
}

const sleep: NodeImpl = {
  classType: "TestSleep",
  define: () => ({
    input: { required: { image: ["IMAGE", {}], ms: ["INT", { default: 100, min: 0, max: 600_000 }] } },
    input_order: { required: ["image", "ms"] },
    output: ["IMAGE"],
    output_is_list: [false],
    output_name: ["IMAGE"],
    name: "TestSleep",
    display_name: "TestSleep",
    description: "",
    python_module: "tests",
    category: "tests",
    output_node: false,
  }),
  async execute(inputs, ctx) {
    const steps = 10;
    for (let i = 0; i < steps; i++) {
      await new Promise((done) => setTimeout(done, Number(inputs.ms) / steps));
      ctx.progress(i + 1, steps);
    }
    return { outputs: [inputs.image] };
  },
};

const server = await startLocalServer({
  inputDir,
  outputDir,
  tempDir,
  ...(port ? { port: Number(port) } : {}),
  nodes: [...nodeImpls, sleep],
  logger: { info: () => {}, error: (message) => process.stderr.write(`${message}\n`) },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
