import type { Command } from "../command.js";
import { calibrateCommand } from "./calibrate.js";
import { codegenCommand } from "./codegen/codegen-command.js";
import { compareCommand } from "./compare.js";
import { exportCommand } from "./export.js";
import { importCommand } from "./import.js";
import { initCommand } from "./init/init-command.js";
import { runCommand } from "./run.js";
import { serveCommand } from "./serve.js";

/** Every subcommand, in the order `--help` lists them. Add new commands here. */
export const commands: readonly Command[] = [
  initCommand,
  codegenCommand,
  runCommand,
  serveCommand,
  importCommand,
  exportCommand,
  calibrateCommand,
  compareCommand,
];
