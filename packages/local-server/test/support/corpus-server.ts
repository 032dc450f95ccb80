import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/index.js";
import { listedOnlyNodes, nodeImpls } from "../../src/nodes/index.js";

/**
 * A local server with every node for the enclosing describe block, on a temporary root whose input
 * folder starts as a copy of a recorded corpus's `inputs/` (removed afterwards, outputs included).
 */
export function corpusServer(inputs: string, prefix: string): Pick<LocalServer, "url"> {
  let server: LocalServer | undefined;
  let base: string | undefined;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), prefix));
    const inputDir = join(base, "input");
    cpSync(inputs, inputDir, { recursive: true });
    server = await startLocalServer({
      nodes: nodeImpls,
      listedOnlyNodes,
      inputDir,
      outputDir: join(base, "output"),
      tempDir: join(base, "temp"),
    });
  });
  afterAll(async () => {
    await server?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });
  return {
    get url() {
      if (!server)
        throw new Error("the corpus server is not running: use it inside tests of its describe block");
      return server.url;
    },
  };
}
