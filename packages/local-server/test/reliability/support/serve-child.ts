// Runs a local server in its own process for the reliability suites, so a crash is seen as the
// process ending (not caught by the test runner). Prints {"url": …} on stdout once listening; logs
// server errors on stderr; closes on SIGTERM.
import { startLocalServer } from "../../../src/index.js";

const [inputDir, outputDir, tempDir] = process.argv.slice(2);
if (!inputDir || !outputDir || !tempDir) {
  process.stderr.write("usage: serve-child INPUT_DIR OUTPUT_DIR TEMP_DIR\n");
  process.exit(2);
}
const server = await startLocalServer({
  inputDir,
  outputDir,
  tempDir,
  logger: { info: () => {}, error: (message) => process.stderr.write(`${message}\n`) },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
