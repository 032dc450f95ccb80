/** One node's entry of a `progress_state` message. */
interface NodeProgress {
  value: number;
  max: number;
  state: "pending" | "running" | "finished" | "error";
}

/** Snapshots of up to this many started nodes are always sent, as ComfyUI sends them. */
const ALWAYS_SENT_ENTRIES = 64;
/** Entries each change adds to the job's allowance for larger snapshots. */
const ENTRIES_PER_CHANGE = 4;

/**
 * ComfyUI's per-job progress registry: each change sends a `progress_state` snapshot of every
 * node that has started (pending nodes are omitted).
 *
 * ComfyUI sends the whole snapshot on every change, which is quadratic in the number of nodes
 * (a 4,000-node chain: 8,000 snapshots, 2.9 GB of JSON). Here snapshots of up to
 * `ALWAYS_SENT_ENTRIES` nodes are always sent (so graphs of up to 64 nodes get every snapshot);
 * larger ones are paid from an allowance that grows by `ENTRIES_PER_CHANGE` per change. A change
 * whose snapshot the allowance cannot pay is held back: a later change sends the then-latest
 * state, and `flush()` sends it at the end of the job. The entries sent stay linear in the number
 * of changes.
 */
export class ProgressState {
  readonly #nodes = new Map<string, NodeProgress>();
  /** Started (non-pending) nodes: the size of the next snapshot. */
  #started = 0;
  #allowance = 0;
  #unsent = false;

  constructor(
    private readonly promptId: string,
    private readonly publish: (data: unknown) => void,
  ) {}

  start(nodeId: string): void {
    const entry = this.#entry(nodeId);
    this.#setState(entry, "running");
    entry.value = 0;
    entry.max = 1;
    this.#changed();
  }

  update(nodeId: string, value: number, max: number): void {
    const entry = this.#entry(nodeId);
    entry.value = value;
    entry.max = max;
    this.#setState(entry, "running");
    this.#changed();
  }

  finish(nodeId: string): void {
    const entry = this.#entry(nodeId);
    this.#setState(entry, "finished");
    entry.value = entry.max;
    this.#changed();
  }

  /** Sends the latest snapshot if a change was held back. */
  flush(): void {
    if (this.#unsent) this.#send();
  }

  #entry(nodeId: string): NodeProgress {
    let entry = this.#nodes.get(nodeId);
    if (!entry) {
      entry = { value: 0, max: 1, state: "pending" };
      this.#nodes.set(nodeId, entry);
    }
    return entry;
  }

  #setState(entry: NodeProgress, state: NodeProgress["state"]): void {
    if (entry.state === "pending" && state !== "pending") this.#started++;
    entry.state = state;
  }

  #changed(): void {
    this.#allowance += ENTRIES_PER_CHANGE;
    if (this.#started <= ALWAYS_SENT_ENTRIES) {
      this.#send();
    } else if (this.#started <= this.#allowance) {
      this.#allowance -= this.#started;
      this.#send();
    } else {
      this.#unsent = true;
    }
  }

  #send(): void {
    this.#unsent = false;
    const nodes: Record<string, unknown> = {};
    for (const [id, p] of this.#nodes) {
      if (p.state === "pending") continue;
      nodes[id] = {
        value: p.value,
        max: p.max,
        state: p.state,
        node_id: id,
        prompt_id: this.promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      };
    }
    this.publish({ prompt_id: this.promptId, nodes });
  }
}
