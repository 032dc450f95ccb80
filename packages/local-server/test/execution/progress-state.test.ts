import { describe, expect, it } from "vitest";
import { ProgressState } from "../../src/execution/progress-state.js";

type Snapshot = { prompt_id: string; nodes: Record<string, { state: string; value: number; max: number }> };

/** Runs a chain of `n` nodes (start, `steps` updates, finish each) and records what was published. */
function chain(n: number, steps = 0): Snapshot[] {
  const sent: Snapshot[] = [];
  const progress = new ProgressState("p", (data) => sent.push(structuredClone(data) as Snapshot));
  for (let i = 0; i < n; i++) {
    progress.start(String(i));
    for (let s = 1; s <= steps; s++) progress.update(String(i), s, steps);
    progress.finish(String(i));
  }
  progress.flush();
  return sent;
}

const entries = (sent: Snapshot[]) => sent.reduce((sum, s) => sum + Object.keys(s.nodes).length, 0);

describe("ProgressState", () => {
  it("sends a snapshot of every started node on each change, as ComfyUI does", () => {
    const sent = chain(2, 1);
    expect(
      sent.map((s) => Object.entries(s.nodes).map(([id, p]) => `${id}=${p.state}:${p.value}/${p.max}`)),
    ).toEqual([
      ["0=running:0/1"],
      ["0=running:1/1"],
      ["0=finished:1/1"],
      ["0=finished:1/1", "1=running:0/1"],
      ["0=finished:1/1", "1=running:1/1"],
      ["0=finished:1/1", "1=finished:1/1"],
    ]);
    expect(sent[0]?.nodes["0"]).toEqual({
      value: 0,
      max: 1,
      state: "running",
      node_id: "0",
      prompt_id: "p",
      display_node_id: "0",
      parent_node_id: null,
      real_node_id: "0",
    });
  });

  it("sends every snapshot of a 64-node graph, however many steps its nodes report", () => {
    expect(chain(64, 5)).toHaveLength(64 * 7);
  });

  it("sends entries linear in the number of changes for large graphs, and always the final state", () => {
    const perNode = (n: number) => entries(chain(n)) / n;
    const large = chain(4000);
    // ComfyUI's way sends n² = 16 M entries for 4,000 nodes.
    expect(entries(large)).toBeLessThan(4000 * 40);
    expect(perNode(8000)).toBeLessThan(perNode(1000) * 1.5);
    const last = large.at(-1) as Snapshot;
    expect(Object.keys(last.nodes)).toHaveLength(4000);
    expect(Object.values(last.nodes).every((p) => p.state === "finished")).toBe(true);
  });

  it("sends nothing more at flush when the last change was sent", () => {
    const sent: unknown[] = [];
    const progress = new ProgressState("p", (data) => sent.push(data));
    progress.start("1");
    progress.finish("1");
    progress.flush();
    expect(sent).toHaveLength(2);
  });
});
