/** One `comfy-ts` subcommand. Each lives in `commands/<name>.ts` and is listed in `commands/index.ts`. */
export interface Command {
  readonly name: string;
  /** One line for `comfy-ts --help`. */
  readonly summary: string;
  /** Full `--help` text of the subcommand. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

/** Streams and environment, injected so commands can be tested in process. */
export interface CommandIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
}

/** Exit codes shared by every subcommand (documented in the CLI README). */
export const ExitCode = {
  ok: 0,
  /** The command ran and found a problem: `--check` found stale files, a run failed, a test failed. */
  failed: 1,
  /** Bad usage: unknown flag, missing argument. */
  usage: 2,
  /** Input could not be read or parsed (file, catalog, workflow). */
  input: 3,
  /** The server could not be reached or answered with an HTTP error. */
  server: 4,
  /** Interrupted by the user (SIGINT). */
  interrupted: 130,
} as const;
