import { PythonHeap } from "./heap.js";
import { type QueueItem, type QueueTuple, queueItemLess, toTuple } from "./queue-item.js";

/**
 * ComfyUI's `PromptQueue`: pending jobs in a priority heap, at most one running job, and a
 * `changed` callback fired on every change (the server broadcasts a WS `status` there).
 */
export class PromptQueue {
  readonly #pending = new PythonHeap<QueueItem>(queueItemLess);
  readonly #running = new Map<number, QueueItem>();
  readonly #waiters: (() => void)[] = [];
  #nextTaskId = 0;

  constructor(private readonly changed: () => void) {}

  put(item: QueueItem): void {
    this.#pending.push(item);
    this.changed();
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Takes the next job (waits when none is pending) and marks it running. */
  async get(signal?: AbortSignal): Promise<{ taskId: number; item: QueueItem } | undefined> {
    while (this.#pending.size === 0) {
      if (signal?.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#waiters.push(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    }
    const item = this.#pending.pop() as QueueItem;
    const taskId = this.#nextTaskId++;
    this.#running.set(taskId, item);
    this.changed();
    return { taskId, item };
  }

  /** Ends a running job (the caller writes history first), then notifies. */
  taskDone(taskId: number): QueueItem | undefined {
    const item = this.#running.get(taskId);
    this.#running.delete(taskId);
    this.changed();
    return item;
  }

  /** `queue_remaining`: pending plus running. */
  get remaining(): number {
    return this.#pending.size + this.#running.size;
  }

  running(): QueueItem[] {
    return [...this.#running.values()];
  }

  /** `GET /queue`: running tuples and the pending heap in its array order (unsorted, as ComfyUI sends it). */
  snapshot(): { queue_running: QueueTuple[]; queue_pending: QueueTuple[] } {
    return {
      queue_running: this.running().map(toTuple),
      queue_pending: this.#pending.items.map(toTuple),
    };
  }

  /** Removes one pending job by prompt id; running jobs are never touched. */
  deletePending(promptId: string): boolean {
    const index = this.#pending.items.findIndex((item) => item.promptId === promptId);
    if (index < 0) return false;
    if (this.#pending.size === 1) this.#pending.clear();
    else this.#pending.removeAt(index);
    this.changed();
    return true;
  }

  clearPending(): void {
    this.#pending.clear();
    this.changed();
  }

  isRunning(promptId: string): boolean {
    return this.running().some((item) => item.promptId === promptId);
  }

  /** Wakes a waiting `get()` so a stopping worker can exit. */
  wakeAll(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
