// Regenerates the committed factory modules under src/generated/ (or, with --check, verifies them):
//   install-2025/  from ../shared/fixtures/object-info/install-2025-568-nodes.json (skipped when absent)
//   local/         from the /object_info of the local server (startLocalServer)
// Usage: pnpm --filter @comfy-ts/examples codegen [--check]
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalServer } from "@comfy-ts/local-server";
import { sharedFixture } from "@comfy-ts/test-support";
import { type CommandIO, main } from "comfy-ts";

export const REGENERATE_COMMAND = "pnpm --filter @comfy-ts/examples codegen";

const generatedDir = join(dirname(fileURLToPath(import.meta.url)), "generated");

/** Codegen for `install-2025/` from the shared 568-node catalog; undefined when the fixtures are absent. */
export async function regenerateInstall2025(
  extraArgs: readonly string[],
  io: CommandIO,
): Promise<number | undefined> {
  const catalog = sharedFixture("object-info", "install-2025-568-nodes.json");
  if (!catalog) return undefined;
  const out = join(generatedDir, "install-2025");
  return main(["codegen", "--input", relative(io.cwd, catalog), "--out", out, ...common(extraArgs)], io);
}

/** Codegen for `local/` from the `/object_info` of a local server started for the purpose. */
export async function regenerateLocal(extraArgs: readonly string[], io: CommandIO): Promise<number> {
  const server = await startLocalServer();
  try {
    const out = join(generatedDir, "local");
    return await main(["codegen", "--url", server.url, "--out", out, ...common(extraArgs)], io);
  } finally {
    await server.close();
  }
}

function common(extraArgs: readonly string[]): string[] {
  return ["--regenerate-command", REGENERATE_COMMAND, "--quiet", ...extraArgs];
}

/** Runs codegen for both modules; resolves to the worst exit code. */
export async function regenerateFactories(extraArgs: readonly string[], io: CommandIO): Promise<number> {
  const install = await regenerateInstall2025(extraArgs, io);
  if (install === undefined) {
    io.stderr.write(
      "install-2025: skipped, ../shared/fixtures/object-info/install-2025-568-nodes.json not found\n",
    );
  }
  const local = await regenerateLocal(extraArgs, io);
  return Math.max(install ?? 0, local);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const controller = new AbortController();
  process.exitCode = await regenerateFactories(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
}
