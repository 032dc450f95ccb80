import type { QueuedPrompt } from "../queue/queue-item.js";
import { isLink } from "./link.js";

/**
 * ComfyUI's `ExecutionList`: the nodes still to run for one job, with how many uncached
 * dependencies block each, and its "UX friendly" pick of the next ready node (an output node
 * first, then a node feeding an output, then one two hops away, else the first ready node).
 */
export class ExecutionList {
  readonly #pending = new Map<string, true>();
  readonly #blockCount = new Map<string, number>();
  /** from node → (blocked node → sockets) */
  readonly #blocking = new Map<string, Map<string, Set<number>>>();
  #staged: string | undefined;

  constructor(
    private readonly prompt: QueuedPrompt,
    private readonly isCached: (nodeId: string) => boolean,
    private readonly isOutput: (nodeId: string) => boolean,
    private readonly isLazyInput: (nodeId: string, inputName: string) => boolean,
  ) {}

  /** Adds a node and its uncached, non-lazy dependencies (depth first, as ComfyUI's stack does). */
  addNode(nodeId: string): void {
    const stack = [nodeId];
    const links: [string, number, string][] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.#pending.has(id)) continue;
      this.#pending.set(id, true);
      this.#blockCount.set(id, 0);
      this.#blocking.set(id, new Map());
      const inputs = this.prompt[id]?.inputs ?? {};
      for (const [name, value] of Object.entries(inputs)) {
        if (!isLink(value)) continue;
        if (this.isLazyInput(id, name)) continue;
        const [from, socket] = value;
        if (!this.isCached(from)) stack.push(from);
        links.push([from, socket, id]);
      }
    }
    for (const [from, socket, to] of links) this.#addStrongLink(from, socket, to);
  }

  #addStrongLink(from: string, socket: number, to: string): void {
    if (this.isCached(from)) return;
    this.addNode(from);
    const blocked = this.#blocking.get(from) as Map<string, Set<number>>;
    let sockets = blocked.get(to);
    if (!sockets) {
      sockets = new Set();
      blocked.set(to, sockets);
      this.#blockCount.set(to, (this.#blockCount.get(to) ?? 0) + 1);
    }
    sockets.add(socket);
  }

  isEmpty(): boolean {
    return this.#pending.size === 0;
  }

  /**
   * Picks the next node to run. When nodes remain but none is ready, returns the node ComfyUI
   * blames for the dependency cycle.
   */
  stage(): { nodeId: string } | { cycle: string } | undefined {
    if (this.isEmpty()) return undefined;
    const ready = [...this.#pending.keys()].filter((id) => this.#blockCount.get(id) === 0);
    if (ready.length === 0) return { cycle: this.#nodesInCycle()[0] as string };
    this.#staged = this.#pick(ready);
    return { nodeId: this.#staged };
  }

  /** Marks the staged node done, unblocking its dependents. */
  complete(): void {
    const id = this.#staged;
    if (id === undefined) return;
    this.#pending.delete(id);
    for (const blocked of this.#blocking.get(id)?.keys() ?? []) {
      this.#blockCount.set(blocked, (this.#blockCount.get(blocked) ?? 0) - 1);
    }
    this.#blocking.delete(id);
    this.#staged = undefined;
  }

  #pick(ready: string[]): string {
    for (const id of ready) if (this.isOutput(id)) return id;
    for (const id of ready) {
      for (const blocked of this.#blocking.get(id)?.keys() ?? []) if (this.isOutput(blocked)) return id;
    }
    for (const id of ready) {
      for (const blocked of this.#blocking.get(id)?.keys() ?? []) {
        for (const next of this.#blocking.get(blocked)?.keys() ?? []) if (this.isOutput(next)) return id;
      }
    }
    return ready[0] as string;
  }

  /** Dissolves the pending graph from its sources; what remains is (or leads into) a cycle. */
  #nodesInCycle(): string[] {
    const blockedBy = new Map<string, Set<string>>();
    for (const id of this.#pending.keys()) blockedBy.set(id, new Set());
    for (const [from, targets] of this.#blocking) {
      for (const to of targets.keys()) blockedBy.get(to)?.add(from);
    }
    let toRemove = [...blockedBy].filter(([, s]) => s.size === 0).map(([id]) => id);
    while (toRemove.length > 0) {
      for (const id of toRemove) {
        for (const set of blockedBy.values()) set.delete(id);
        blockedBy.delete(id);
      }
      toRemove = [...blockedBy].filter(([, s]) => s.size === 0).map(([id]) => id);
    }
    return [...blockedBy.keys()];
  }
}
