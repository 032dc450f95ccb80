import type { CommandIO } from "./command.js";
import { ExitCode } from "./command.js";
import { commands } from "./commands/index.js";
import { runCommand } from "./run-command.js";
import { version } from "./version.js";

export { version };

const USAGE = `comfy-ts — ComfyUI workflows as typed TypeScript, tested like code

Usage: comfy-ts <command> [options]

Commands:
{{commands}}

Options:
  -h, --help     this text (also "comfy-ts <command> --help" for a command's options)
  -v, --version  the comfy-ts version

Examples:
  comfy-ts init my-project                                        # a project: pipeline, golden test, factories
  comfy-ts codegen --url http://127.0.0.1:8188 --out src/comfy   # typed factories of your server
  comfy-ts run src/pipelines/poster.ts --out out                  # run a pipeline, save its images
  comfy-ts serve --port 8188                                      # a model-free ComfyUI stand-in
  comfy-ts import workflow.png --object-info object_info.json -o src/poster.ts

Exit codes: 0 ok, 1 failed (stale files, failed run), 2 usage error, 3 bad input, 4 server error, 130 interrupted.
Colors (on stderr) follow NO_COLOR / FORCE_COLOR; DEBUG=comfy-ts prints stacks of failures.`;

export function usage(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  return USAGE.replace(
    "{{commands}}",
    commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n"),
  );
}

/** Dispatches `argv` (without node and script) to a subcommand and resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(`${usage()}\n`);
    return ExitCode.usage;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${usage()}\n`);
    return ExitCode.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const what = name.startsWith("-") ? `unknown option ${name}` : `unknown command "${name}"`;
    io.stderr.write(
      `comfy-ts: ${what} (commands: ${commands.map((c) => c.name).join(", ")})\nRun "comfy-ts --help" for the commands.\n`,
    );
    return ExitCode.usage;
  }
  return runCommand(command, rest, io);
}
