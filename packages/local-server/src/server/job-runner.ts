import type { JobResult } from "../execution/executor.js";
import type { QueueItem } from "../queue/queue-item.js";

/** What runs the server's jobs, one at a time (the prompt worker's executor). */
export interface JobRunner {
  /** Prepares for the first job (starts what it needs in the background). */
  warmUp(): void;
  /** Runs one job to its end; node failures and interrupts end it with their message, never a throw. */
  execute(item: QueueItem): Promise<JobResult>;
  /** `POST /interrupt`: the running job stops at its next check (the next job clears the flag). */
  interrupt(): void;
  /** `POST /free {"free_memory": true}`, between jobs: drops the output cache. */
  freeMemory(): void;
  /** The running job's client and the node it runs (for a reconnecting socket's `executing`). */
  readonly running: { readonly clientId: string | null; readonly nodeId: string | undefined } | undefined;
  /** Ends the running job and stops executing. */
  close(): Promise<void>;
}
