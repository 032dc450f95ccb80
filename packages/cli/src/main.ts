import type { CommandIO } from "./command.js";
import { ExitCode } from "./command.js";
import { commands } from "./commands/index.js";

const USAGE = `comfy-ts — ComfyUI workflows as typed TypeScript, tested like code

Usage: comfy-ts <command> [options]

Commands:
{{commands}}

Run "comfy-ts <command> --help" for a command's options.
Exit codes: 0 ok, 1 failed (stale files, failed run), 2 usage error, 3 bad input, 4 server error, 130 interrupted.
Colors follow NO_COLOR / FORCE_COLOR.`;

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
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write("0.1.0\n");
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`comfy-ts: unknown command "${name}"\n\n${usage()}\n`);
    return ExitCode.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${command.help}\n`);
    return ExitCode.ok;
  }
  return command.run(rest, io);
}
