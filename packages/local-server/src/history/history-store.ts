import type { QueueTuple } from "../queue/queue-item.js";

/** `status` of a history entry. */
export interface HistoryStatus {
  status_str: "success" | "error";
  completed: boolean;
  messages: [string, Record<string, unknown>][];
}

/** One entry of `GET /history`, exactly as ComfyUI 0.3.65 writes it. */
export interface HistoryEntry {
  prompt: QueueTuple;
  outputs: Record<string, Record<string, unknown>>;
  status: HistoryStatus;
  meta: Record<string, NodeMeta>;
}

export interface NodeMeta {
  node_id: string;
  display_node: string;
  parent_node: string | null;
  real_node_id: string;
}

/** ComfyUI's `MAXIMUM_HISTORY_SIZE`. */
export const DEFAULT_MAX_HISTORY = 10_000;

/**
 * Job history kept in memory, oldest first, bounded: the oldest entry is dropped when full.
 * Re-using a prompt_id overwrites its entry in place (a Python dict keeps the key's position).
 */
export class HistoryStore {
  readonly #entries = new Map<string, HistoryEntry>();
  constructor(private readonly maxItems = DEFAULT_MAX_HISTORY) {}

  add(promptId: string, entry: HistoryEntry): void {
    if (!this.#entries.has(promptId) && this.#entries.size > this.maxItems) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(promptId, entry);
  }

  get(promptId: string): HistoryEntry | undefined {
    return this.#entries.get(promptId);
  }

  /**
   * `GET /history?max_items=&offset=`: `max_items` alone gives the newest N; with `offset`, skip that
   * many oldest entries then take N (ComfyUI's `get_history`).
   */
  list(maxItems?: number, offset = -1): [string, HistoryEntry][] {
    const out: [string, HistoryEntry][] = [];
    let start = offset;
    if (start < 0 && maxItems !== undefined) start = this.#entries.size - maxItems;
    let i = 0;
    for (const [id, entry] of this.#entries) {
      if (i >= start) {
        out.push([id, entry]);
        if (maxItems !== undefined && out.length >= maxItems) break;
      }
      i++;
    }
    return out;
  }

  delete(promptId: string): void {
    this.#entries.delete(promptId);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
