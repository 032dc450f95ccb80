import { describe, expect, it } from "vitest";
import { NEVER_EQUAL, OutputCache } from "../../src/execution/output-cache.js";
import type { QueuedPrompt } from "../../src/queue/queue-item.js";

const head = (prompt: QueuedPrompt) => (id: string) => [prompt[id]?.class_type, false];
const entry = (value: unknown) => ({ outputs: [[value]], ui: undefined });

function cacheWith(prompt: QueuedPrompt): OutputCache {
  const cache = new OutputCache();
  cache.setPrompt(prompt, head(prompt));
  for (const id of Object.keys(prompt)) cache.set(id, entry(id));
  return cache;
}

const base: QueuedPrompt = {
  "1": { class_type: "A", inputs: { v: 1 } },
  "2": { class_type: "B", inputs: { x: ["1", 0], k: "s" } },
  "3": { class_type: "Out", inputs: { x: ["2", 0] } },
};

describe("OutputCache signatures", () => {
  const cases: [name: string, next: QueuedPrompt, hits: string[]][] = [
    ["identical prompt", base, ["1", "2", "3"]],
    [
      "renumbered prompt",
      {
        a: base["1"]!,
        b: { class_type: "B", inputs: { x: ["a", 0], k: "s" } },
        c: { class_type: "Out", inputs: { x: ["b", 0] } },
      },
      ["a", "b", "c"],
    ],
    [
      "changed literal downstream",
      { ...base, "2": { class_type: "B", inputs: { x: ["1", 0], k: "t" } } },
      ["1"],
    ],
    ["changed literal upstream", { ...base, "1": { class_type: "A", inputs: { v: 2 } } }, []],
    ["changed output slot", { ...base, "2": { class_type: "B", inputs: { x: ["1", 1], k: "s" } } }, ["1"]],
    [
      "input order does not matter",
      { ...base, "2": { class_type: "B", inputs: { k: "s", x: ["1", 0] } } },
      ["1", "2", "3"],
    ],
    ["other class, same inputs", { ...base, "1": { class_type: "A2", inputs: { v: 1 } } }, []],
    [
      "a duplicate subgraph shares results",
      { ...base, "4": { class_type: "A", inputs: { v: 1 } } },
      ["1", "2", "3", "4"],
    ],
    ["object literals compare by value", base, ["1", "2", "3"]],
  ];
  it.each(cases)("%s", (_name, next, hits) => {
    const cache = cacheWith(base);
    cache.setPrompt(next, head(next));
    expect(Object.keys(next).filter((id) => cache.get(id) !== undefined)).toEqual(hits);
  });

  it("keeps only what the new prompt uses (ComfyUI's classic cache)", () => {
    const cache = cacheWith(base);
    const other: QueuedPrompt = { "1": { class_type: "A", inputs: { v: 9 } } };
    cache.setPrompt(other, head(other));
    cache.setPrompt(base, head(base));
    expect(Object.keys(base).filter((id) => cache.get(id) !== undefined)).toEqual([]);
  });

  it("never hits for NaN fingerprints, cycles or missing ancestors", () => {
    const cyclic: QueuedPrompt = {
      "1": { class_type: "A", inputs: { self: ["1", 0] } },
      "2": { class_type: "B", inputs: { x: ["9", 0] } },
      "3": { class_type: "Volatile", inputs: {} },
    };
    const immediate = (id: string) =>
      cyclic[id]?.class_type === "Volatile" ? NEVER_EQUAL : [cyclic[id]?.class_type, false];
    const cache = new OutputCache();
    cache.setPrompt(cyclic, immediate);
    for (const id of Object.keys(cyclic)) cache.set(id, entry(id));
    cache.setPrompt(cyclic, immediate);
    expect(Object.keys(cyclic).filter((id) => cache.get(id) !== undefined)).toEqual([]);
  });

  it("handles a 50,000-node chain without overflowing the stack", () => {
    const chain: QueuedPrompt = { "0": { class_type: "A", inputs: { v: 0 } } };
    for (let i = 1; i < 50_000; i++)
      chain[String(i)] = { class_type: "B", inputs: { x: [String(i - 1), 0], k: i } };
    const cache = new OutputCache();
    cache.setPrompt(chain, head(chain));
    cache.set("49999", entry("last"));
    cache.setPrompt(chain, head(chain));
    expect(cache.get("49999")).toEqual(entry("last"));
    expect(cache.get("49998")).toBeUndefined();
  });
});
