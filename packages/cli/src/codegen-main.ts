import type { CommandIO } from "./command.js";
import { codegenCommand } from "./commands/codegen/codegen-command.js";
import { runCommand } from "./run-command.js";

/**
 * `comfy-ts codegen …` without loading the other commands (run, serve, … pull in the client, the
 * local server and image codecs: ~0.2 s of CPU on every codegen run). `bin.ts` routes here.
 */
export async function codegenMain(argv: readonly string[], io: CommandIO): Promise<number> {
  return runCommand(codegenCommand, argv.slice(1), io);
}
