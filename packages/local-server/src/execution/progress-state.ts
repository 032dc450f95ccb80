/** One node's entry of a `progress_state` message. */
interface NodeProgress {
  value: number;
  max: number;
  state: "pending" | "running" | "finished" | "error";
}

/**
 * ComfyUI's per-job progress registry: each change sends a `progress_state` snapshot of every
 * node that has started (pending nodes are omitted).
 */
export class ProgressState {
  readonly #nodes = new Map<string, NodeProgress>();

  constructor(
    private readonly promptId: string,
    private readonly publish: (data: unknown) => void,
  ) {}

  start(nodeId: string): void {
    this.#nodes.set(nodeId, { value: 0, max: 1, state: "running" });
    this.#send();
  }

  update(nodeId: string, value: number, max: number): void {
    const entry = this.#entry(nodeId);
    entry.value = value;
    entry.max = max;
    entry.state = "running";
    this.#send();
  }

  finish(nodeId: string): void {
    const entry = this.#entry(nodeId);
    entry.state = "finished";
    entry.value = entry.max;
    this.#send();
  }

  #entry(nodeId: string): NodeProgress {
    let entry = this.#nodes.get(nodeId);
    if (!entry) {
      entry = { value: 0, max: 1, state: "pending" };
      this.#nodes.set(nodeId, entry);
    }
    return entry;
  }

  #send(): void {
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
