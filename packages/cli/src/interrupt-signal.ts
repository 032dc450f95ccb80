/** What `abortOnInterrupt` needs of the process (injected in tests). */
export interface InterruptHost {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  exit(code: number): never;
  readonly stderr: { write(text: string): unknown };
  now(): number;
  /**
   * Signals this long after the first are taken as a new Ctrl-C (default 2 s). Within it they are
   * the first one again: a terminal sends Ctrl-C to the whole process group, and wrappers (tsx,
   * pnpm) relay it once more, so one key press can arrive two or three times in a few milliseconds.
   */
  readonly graceMs?: number;
}

/**
 * SIGINT and SIGTERM as one AbortSignal: the first aborts it (a command then cancels its job on the
 * server and exits 130). Repeats within the grace time are ignored, so they cannot skip that cancel;
 * a later one exits at once with 130, saying the server may still have the job.
 */
export function abortOnInterrupt(host: InterruptHost): AbortSignal {
  const controller = new AbortController();
  const grace = host.graceMs ?? 2_000;
  let first: number | undefined;
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    host.on(name, () => {
      const now = host.now();
      if (first === undefined) {
        first = now;
        controller.abort(new Error(`received ${name}`));
        return;
      }
      if (now - first <= grace) return;
      host.stderr.write(
        "comfy-ts: interrupted again: exiting now, without waiting for the server to confirm the cancel " +
          "(a job may still be queued or running there)\n",
      );
      host.exit(130);
    });
  }
  return controller.signal;
}
