import { type CommandIO, ExitCode } from "./command.js";
import { compareCommand } from "./commands/compare.js";

/**
 * `comfy-ts compare …` without loading the other commands (the client, the local server, codegen):
 * a comparison loads only `@comfy-ts/testing/node` and the codecs its files need. `bin.ts` routes here.
 */
export async function compareMain(argv: readonly string[], io: CommandIO): Promise<number> {
  const [, ...rest] = argv;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${compareCommand.help}\n`);
    return ExitCode.ok;
  }
  return compareCommand.run(rest, io);
}
