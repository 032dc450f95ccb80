import type { Command } from "../command.js";

/** Every subcommand, in the order `--help` lists them. Add new commands here. */
export const commands: readonly Command[] = [];
