import { InterruptedError } from "./execution-errors.js";

/**
 * ComfyUI's `interrupt_processing` flag. It lives in shared memory, so `POST /interrupt` on the
 * server's thread reaches a node running on the execution thread at its next check, even while
 * that thread never yields. Checking consumes it, as `throw_exception_if_processing_interrupted` does.
 */
export class InterruptFlag {
  readonly #cell: Int32Array;

  /** A flag over `buffer` (shared with another thread), or a fresh one. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.#cell = new Int32Array(buffer, 0, 1);
  }

  set(): void {
    Atomics.store(this.#cell, 0, 1);
  }

  clear(): void {
    Atomics.store(this.#cell, 0, 0);
  }

  /** Throws `InterruptedError` (and clears the flag) when the job was interrupted. */
  throwIfSet(): void {
    if (Atomics.exchange(this.#cell, 0, 0) === 1) throw new InterruptedError();
  }
}
