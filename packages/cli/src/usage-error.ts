import { ComfyError } from "@comfy-ts/core/errors";
import type { CommandIO } from "./command.js";
import { ExitCode } from "./command.js";

/**
 * The command line was wrong (unknown flag, missing or bad value). Every command throws this one
 * class; `runCommand` prints `comfy-ts CMD: reason` with the `--help` hint and exits 2.
 */
export class UsageError extends ComfyError {
  declare readonly code: "usage";
  constructor(message: string) {
    super("usage", message);
  }
}

/** Writes `comfy-ts CMD: reason` and the `--help` hint to stderr; resolves to exit code 2. */
export function usageError(io: CommandIO, command: string, reason: string): number {
  io.stderr.write(`comfy-ts ${command}: ${reason}\nRun "comfy-ts ${command} --help" for the options.\n`);
  return ExitCode.usage;
}
