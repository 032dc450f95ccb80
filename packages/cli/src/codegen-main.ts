import { type CommandIO, ExitCode } from "./command.js";
import { codegenCommand } from "./commands/codegen.js";

/**
 * `comfy-ts codegen …` without loading the other commands (run, serve, … pull in the client, the
 * local server and image codecs: ~0.2 s of CPU on every codegen run). `bin.ts` routes here.
 */
export async function codegenMain(argv: readonly string[], io: CommandIO): Promise<number> {
  const [, ...rest] = argv;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${codegenCommand.help}\n`);
    return ExitCode.ok;
  }
  return codegenCommand.run(rest, io);
}
