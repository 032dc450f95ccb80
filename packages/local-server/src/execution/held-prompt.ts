import type { NodeCatalog } from "@comfy-ts/core";
import { PyFloat } from "@comfy-ts/core/python";
import type { QueuedPrompt } from "../queue/queue-item.js";
import { isLink } from "./link.js";

/**
 * The prompt as ComfyUI holds it while a job runs — what its nodes receive as the hidden `PROMPT` and
 * write into file metadata with `json.dumps`: literal FLOAT inputs are Python floats (validation stored
 * `float(value)`, so `2` is written `2.0`), and each node with `IS_CHANGED` carries its result as
 * `"is_changed": [value]` after its other keys (ComfyUI's IsChangedCache stores it in the prompt).
 *
 * @param isChanged each node's `is_changed` entry (see `isChangedEntry`), for the nodes that have one.
 */
export function heldPrompt(
  prompt: QueuedPrompt,
  catalog: NodeCatalog,
  isChanged: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const held: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(prompt)) {
    const def = catalog.nodes.get(node.class_type);
    const inputs: Record<string, unknown> = { ...node.inputs };
    for (const input of def?.inputs ?? []) {
      const value = inputs[input.name];
      if (input.kind === "float" && typeof value === "number" && !isLink(value))
        inputs[input.name] = new PyFloat(value);
    }
    const changed = isChanged.get(id);
    held[id] =
      changed === undefined || "is_changed" in node
        ? { ...node, inputs }
        : { ...node, inputs, is_changed: changed };
  }
  return held;
}

/**
 * The `is_changed` entry ComfyUI stores for a node's `IS_CHANGED` result: `[value]`, or NaN when it
 * raised. A fingerprint of NaN (this server's "always re-run") stands for the `time.time()` such nodes
 * return in Python.
 */
export function isChangedEntry(result: { readonly value: unknown } | { readonly threw: true }): unknown {
  if ("threw" in result) return new PyFloat(Number.NaN);
  const { value } = result;
  return [typeof value === "number" && Number.isNaN(value) ? new PyFloat(Date.now() / 1000) : value];
}
