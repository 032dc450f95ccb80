import type { TimeoutStage } from "./errors.js";

/**
 * A bound shared by every step of one stage (attempts, pauses between them, searches), so that it
 * is the total a caller waits, not a bound per step.
 */
export interface Deadline {
  readonly stage: TimeoutStage;
  /** The whole bound, for messages. */
  readonly timeoutMs: number;
  /** `performance.now()` when it runs out. */
  readonly at: number;
}

export function startDeadline(stage: TimeoutStage, timeoutMs: number): Deadline {
  return { stage, timeoutMs, at: performance.now() + timeoutMs };
}

/** Milliseconds left (0 once it ran out). */
export function msLeft(deadline: Deadline): number {
  return Math.max(0, deadline.at - performance.now());
}
