import { PythonHeap } from "../queue/heap.js";
import type { QueuedPrompt } from "../queue/queue-item.js";
import { isLink } from "./link.js";

/**
 * How ComfyUI's "UX friendly" pick ranks a ready node: an output node first, then a node feeding
 * an output, then one two hops away, else any (each rank in the order the nodes were added).
 */
type Rank = 0 | 1 | 2 | 3;

interface ReadyNode {
  readonly order: number;
  readonly nodeId: string;
}

const byOrder = (a: ReadyNode, b: ReadyNode) => a.order < b.order;

/**
 * ComfyUI's `ExecutionList`: the nodes still to run for one job, with how many uncached
 * dependencies block each, and its "UX friendly" pick of the next ready node.
 *
 * ComfyUI scans every pending node at each step (quadratic in the graph's size); here ready nodes
 * wait in one heap per rank, keyed by the order they were added, which picks the same node in
 * O(log n). A node's rank depends only on the links to its dependents, which are all known once
 * the job's nodes are added.
 */
export class ExecutionList {
  readonly #pending = new Map<string, number>();
  readonly #blockCount = new Map<string, number>();
  /** from node → (blocked node → sockets) */
  readonly #blocking = new Map<string, Map<string, Set<number>>>();
  readonly #ready: PythonHeap<ReadyNode>[] = [0, 1, 2, 3].map(() => new PythonHeap(byOrder));
  /** Nodes that became ready since the last `stage()`, not yet in a heap. */
  #newlyReady: string[] = [];
  /** Nodes were added since the heaps were filled: ranks may have changed. */
  #stale = true;
  #nextOrder = 0;
  #staged: { readonly nodeId: string; readonly rank: Rank } | undefined;

  constructor(
    private readonly prompt: QueuedPrompt,
    private readonly isCached: (nodeId: string) => boolean,
    private readonly isOutput: (nodeId: string) => boolean,
    private readonly isLazyInput: (nodeId: string, inputName: string) => boolean,
  ) {}

  /** Adds a node and its uncached, non-lazy dependencies (depth first, as ComfyUI's stack does). */
  addNode(nodeId: string): void {
    this.#stale = true;
    const stack = [nodeId];
    const links: [string, number, string][] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.#pending.has(id)) continue;
      this.#pending.set(id, this.#nextOrder++);
      this.#blockCount.set(id, 0);
      this.#blocking.set(id, new Map());
      const inputs = this.prompt[id]?.inputs ?? {};
      for (const [name, value] of Object.entries(inputs)) {
        if (!isLink(value)) continue;
        if (this.isLazyInput(id, name)) continue;
        const [from, socket] = value;
        if (!this.isCached(from)) stack.push(from);
        links.push([from, Number(socket), id]);
      }
    }
    for (const [from, socket, to] of links) this.#addStrongLink(from, socket, to);
  }

  #addStrongLink(from: string, socket: number, to: string): void {
    if (this.isCached(from)) return;
    if (!this.#pending.has(from)) this.addNode(from);
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
    if (this.#stale) this.#refill();
    for (const id of this.#newlyReady) this.#enqueue(id);
    this.#newlyReady = [];
    for (const rank of [0, 1, 2, 3] as const) {
      const next = this.#ready[rank]?.items[0];
      if (next !== undefined) {
        this.#staged = { nodeId: next.nodeId, rank };
        return { nodeId: next.nodeId };
      }
    }
    return { cycle: this.#nodesInCycle()[0] as string };
  }

  /** Marks the staged node done, unblocking its dependents. */
  complete(): void {
    if (this.#staged === undefined) return;
    const { nodeId: id, rank } = this.#staged;
    this.#ready[rank]?.pop();
    this.#pending.delete(id);
    for (const blocked of this.#blocking.get(id)?.keys() ?? []) {
      const count = (this.#blockCount.get(blocked) ?? 0) - 1;
      this.#blockCount.set(blocked, count);
      if (count === 0) this.#newlyReady.push(blocked);
    }
    this.#blocking.delete(id);
    this.#staged = undefined;
  }

  /** Puts every ready node in its heap again (after nodes were added). */
  #refill(): void {
    for (const heap of this.#ready) heap.clear();
    this.#newlyReady = [];
    for (const id of this.#pending.keys()) if (this.#blockCount.get(id) === 0) this.#enqueue(id);
    this.#stale = false;
  }

  #enqueue(nodeId: string): void {
    const order = this.#pending.get(nodeId);
    if (order === undefined || this.#blockCount.get(nodeId) !== 0) return;
    this.#ready[this.#rank(nodeId)]?.push({ order, nodeId });
  }

  #rank(nodeId: string): Rank {
    if (this.isOutput(nodeId)) return 0;
    const dependents = [...(this.#blocking.get(nodeId)?.keys() ?? [])];
    if (dependents.some((id) => this.isOutput(id))) return 1;
    for (const id of dependents) {
      for (const next of this.#blocking.get(id)?.keys() ?? []) if (this.isOutput(next)) return 2;
    }
    return 3;
  }

  /** Dissolves the pending graph from its sources; what remains is (or leads into) a cycle. */
  #nodesInCycle(): string[] {
    const blockers = new Map<string, number>();
    for (const id of this.#pending.keys()) blockers.set(id, 0);
    for (const targets of this.#blocking.values()) {
      for (const to of targets.keys()) {
        const count = blockers.get(to);
        if (count !== undefined) blockers.set(to, count + 1);
      }
    }
    const free = [...blockers].filter(([, count]) => count === 0).map(([id]) => id);
    while (free.length > 0) {
      const id = free.pop() as string;
      blockers.delete(id);
      for (const to of this.#blocking.get(id)?.keys() ?? []) {
        const count = blockers.get(to);
        if (count === undefined) continue;
        blockers.set(to, count - 1);
        if (count === 1) free.push(to);
      }
    }
    return [...blockers.keys()];
  }
}
