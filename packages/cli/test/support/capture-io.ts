import { Writable } from "node:stream";
import type { CommandIO } from "../../src/command.js";

/** A command's IO whose stdout and stderr are collected as text (not TTYs). */
export interface CapturedIo {
  readonly io: CommandIO;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
}

function sink(into: string[]): Writable {
  return Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        into.push(String(chunk));
        done();
      },
    }),
    { isTTY: false },
  );
}

/** IO for running a command in `cwd` with only `env` set, collecting what it writes. */
export function captureIo(
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  signal: AbortSignal = new AbortController().signal,
): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: sink(out), stderr: sink(err), env, cwd, signal };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}
