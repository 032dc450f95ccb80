import { type Command, type CommandIO, ExitCode } from "./command.js";
import { UsageError, usageError } from "./usage-error.js";

/**
 * Runs one subcommand: `--help` / `-h` anywhere prints its help; a `UsageError` it throws becomes
 * `comfy-ts CMD: reason` with the `--help` hint and exit code 2.
 */
export async function runCommand(command: Command, argv: readonly string[], io: CommandIO): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(`${command.help}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, command.name, error.message);
    throw error;
  }
}
