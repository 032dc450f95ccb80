export type { Command, CommandIO } from "./command.js";
export { ExitCode } from "./command.js";
export { main, usage } from "./main.js";
