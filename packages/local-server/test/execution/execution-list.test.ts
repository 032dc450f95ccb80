import { describe, expect, it } from "vitest";
import { ExecutionList } from "../../src/execution/execution-list.js";
import type { QueuedPrompt } from "../../src/queue/queue-item.js";

/**
 * ComfyUI's `ExecutionList` written the way `comfy_execution/graph.py` does it: scan every pending
 * node for the ready ones at each step, pick by the "UX friendly" rules, and dissolve the graph to
 * find a cycle. Quadratic, and the reference the heap-based list must agree with.
 */
class ReferenceList {
  readonly pending = new Map<string, true>();
  readonly blockCount = new Map<string, number>();
  readonly blocking = new Map<string, Map<string, true>>();
  constructor(
    readonly prompt: QueuedPrompt,
    readonly isCached: (id: string) => boolean,
    readonly isOutput: (id: string) => boolean,
  ) {}
  addNode(root: string): void {
    const stack = [root];
    const links: [string, string][] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.pending.has(id)) continue;
      this.pending.set(id, true);
      this.blockCount.set(id, 0);
      this.blocking.set(id, new Map());
      for (const value of Object.values(this.prompt[id]?.inputs ?? {})) {
        if (!Array.isArray(value)) continue;
        const from = value[0] as string;
        if (!this.isCached(from)) stack.push(from);
        links.push([from, id]);
      }
    }
    for (const [from, to] of links) {
      if (this.isCached(from)) continue;
      this.addNode(from);
      const blocked = this.blocking.get(from) as Map<string, true>;
      if (!blocked.has(to)) {
        blocked.set(to, true);
        this.blockCount.set(to, (this.blockCount.get(to) ?? 0) + 1);
      }
    }
  }
  stage(): string | { cycle: string } | undefined {
    if (this.pending.size === 0) return undefined;
    const ready = [...this.pending.keys()].filter((id) => this.blockCount.get(id) === 0);
    if (ready.length === 0) return { cycle: this.cycle()[0] as string };
    const after = (id: string) => [...(this.blocking.get(id)?.keys() ?? [])];
    return (
      ready.find((id) => this.isOutput(id)) ??
      ready.find((id) => after(id).some((b) => this.isOutput(b))) ??
      ready.find((id) => after(id).some((b) => after(b).some((c) => this.isOutput(c)))) ??
      (ready[0] as string)
    );
  }
  complete(id: string): void {
    this.pending.delete(id);
    for (const b of this.blocking.get(id)?.keys() ?? [])
      this.blockCount.set(b, (this.blockCount.get(b) ?? 0) - 1);
    this.blocking.delete(id);
  }
  cycle(): string[] {
    const blockedBy = new Map<string, Set<string>>([...this.pending.keys()].map((id) => [id, new Set()]));
    for (const [from, targets] of this.blocking)
      for (const to of targets.keys()) blockedBy.get(to)?.add(from);
    for (;;) {
      const free = [...blockedBy].filter(([, s]) => s.size === 0).map(([id]) => id);
      if (free.length === 0) return [...blockedBy.keys()];
      for (const id of free) {
        for (const s of blockedBy.values()) s.delete(id);
        blockedBy.delete(id);
      }
    }
  }
}

/** A small deterministic generator (mulberry32), so a failing graph can be rebuilt from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random graph: mostly a DAG over shuffled ids, with a back edge (a cycle) in some seeds. */
function randomGraph(seed: number) {
  const next = random(seed);
  const size = 2 + Math.floor(next() * 40);
  const ids = Array.from({ length: size }, (_, i) => String(i * 7 + Math.floor(next() * 5)));
  const unique = [...new Set(ids)];
  const prompt: QueuedPrompt = {};
  for (const [i, id] of unique.entries()) {
    const inputs: Record<string, unknown> = { literal: i };
    const links = Math.floor(next() * 4);
    for (let k = 0; k < links && i > 0; k++) inputs[`in${k}`] = [unique[Math.floor(next() * i)], k];
    if (next() < 0.03 && i + 1 < unique.length)
      inputs.back = [unique[i + 1 + Math.floor(next() * (unique.length - i - 1))], 0];
    prompt[id] = { class_type: "N", inputs };
  }
  const outputs = new Set(unique.filter(() => next() < 0.25));
  const cached = new Set(unique.filter(() => next() < 0.15));
  const roots = unique.filter((id) => outputs.has(id) || next() < 0.1);
  return { prompt, outputs, cached, roots };
}

/** Stages and completes until done; the staged ids in order, and the blamed node of a cycle. */
function runOrder(list: { stage(): unknown; complete(id: string): void }): string[] {
  const order: string[] = [];
  for (;;) {
    const staged = list.stage();
    if (staged === undefined) return order;
    if (typeof staged === "object" && staged !== null && "cycle" in staged) {
      order.push(`cycle:${String(staged.cycle)}`);
      return order;
    }
    const id = typeof staged === "string" ? staged : (staged as { nodeId: string }).nodeId;
    order.push(id);
    list.complete(id);
  }
}

describe("ExecutionList", () => {
  it("stages the same nodes in the same order as ComfyUI's scan, on 500 random graphs", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const { prompt, outputs, cached, roots } = randomGraph(seed);
      const isCached = (id: string) => cached.has(id);
      const isOutput = (id: string) => outputs.has(id);
      const reference = new ReferenceList(prompt, isCached, isOutput);
      const list = new ExecutionList(prompt, isCached, isOutput, () => false);
      for (const id of roots) {
        reference.addNode(id);
        list.addNode(id);
      }
      const expected = runOrder(reference);
      const actual = runOrder({ stage: () => list.stage(), complete: () => list.complete() });
      expect(actual, `seed ${seed}`).toEqual(expected);
    }
  });

  it("prefers an output, then a node feeding one, then one two hops away", () => {
    const prompt: QueuedPrompt = {
      a: { class_type: "N", inputs: {} },
      b: { class_type: "N", inputs: {} },
      c: { class_type: "N", inputs: {} },
      d: { class_type: "N", inputs: { x: ["c", 0] } },
      out1: { class_type: "O", inputs: { x: ["d", 0], y: ["a", 0] } },
      out2: { class_type: "O", inputs: { x: ["b", 0] } },
    };
    const list = new ExecutionList(
      prompt,
      () => false,
      (id) => id.startsWith("out"),
      () => false,
    );
    list.addNode("out1");
    list.addNode("out2");
    const order = runOrder({ stage: () => list.stage(), complete: () => list.complete() });
    // a and b feed outputs directly (a first: added first); c is two hops from out1.
    expect(order).toEqual(["a", "b", "out2", "c", "d", "out1"]);
  });

  it("stages a 50,000-node chain in linear time", () => {
    const prompt: QueuedPrompt = { "0": { class_type: "N", inputs: {} } };
    const n = 50_000;
    for (let i = 1; i < n; i++) prompt[String(i)] = { class_type: "N", inputs: { x: [String(i - 1), 0] } };
    const list = new ExecutionList(
      prompt,
      () => false,
      (id) => id === String(n - 1),
      () => false,
    );
    const started = performance.now();
    list.addNode(String(n - 1));
    let count = 0;
    for (let staged = list.stage(); staged !== undefined; staged = list.stage()) {
      list.complete();
      count++;
    }
    expect(count).toBe(n);
    // Quadratic staging (a scan of the pending nodes per step) takes over half a minute here.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("blames the first pending node left after dissolving the graph, as ComfyUI does", () => {
    const prompt: QueuedPrompt = {
      "1": { class_type: "N", inputs: {} },
      "2": { class_type: "N", inputs: { x: ["1", 0], y: ["4", 0] } },
      "3": { class_type: "N", inputs: { x: ["2", 0] } },
      "4": { class_type: "N", inputs: { x: ["3", 0] } },
      "5": { class_type: "O", inputs: { x: ["4", 0] } },
    };
    const list = new ExecutionList(
      prompt,
      () => false,
      (id) => id === "5",
      () => false,
    );
    list.addNode("5");
    const order = runOrder({ stage: () => list.stage(), complete: () => list.complete() });
    // Pending order is 5, 4, 3, 2, 1 (depth first from the output); 5 waits on the cycle 2→3→4→2.
    expect(order).toEqual(["1", "cycle:5"]);
    const reference = new ReferenceList(
      prompt,
      () => false,
      (id) => id === "5",
    );
    reference.addNode("5");
    expect(runOrder(reference)).toEqual(order);
  });
});
