import type { NodeMeta } from "../history/history-store.js";
import type { QueuedPrompt } from "../queue/queue-item.js";
import { isLink } from "./link.js";

/** What the cache keeps for one node: its outputs (one list per slot) and its UI dict. */
export interface CacheEntry {
  readonly outputs: readonly (readonly unknown[])[];
  readonly ui: { readonly output: Record<string, unknown[]>; readonly meta: NodeMeta } | undefined;
}

/** A fingerprint that never equals another (`IS_CHANGED` returned NaN, or the node is missing). */
export const NEVER_EQUAL = Symbol("never-equal");

/**
 * ComfyUI's default CLASSIC cache: results keyed by each node's input signature (class, fingerprint,
 * literal inputs and the same for every ancestor, with links as ancestor positions). Setting a new
 * prompt drops every entry the new prompt does not use, so only the previous prompt's results
 * survive. Node ids are not part of the key (unless the class asks for it), so renumbered prompts
 * and identical subgraphs share results.
 */
export class OutputCache {
  readonly #entries = new Map<string, CacheEntry>();
  #keys = new Map<string, string>();
  #uniqueCounter = 0;

  /**
   * Computes the signature of every node of `prompt` and evicts entries no node uses.
   * `immediate(nodeId)` gives `[class_type, fingerprint, node id?]` for one node.
   */
  setPrompt(prompt: QueuedPrompt, immediate: (nodeId: string) => unknown[] | typeof NEVER_EQUAL): void {
    const keys = new Map<string, string>();
    const own = new Map<string, string | typeof NEVER_EQUAL>();
    const immediateOf = (nodeId: string, order: Map<string, number>): string | typeof NEVER_EQUAL => {
      const node = prompt[nodeId];
      if (!node) return NEVER_EQUAL;
      const head = immediate(nodeId);
      if (head === NEVER_EQUAL) return NEVER_EQUAL;
      const parts: unknown[] = [...head];
      for (const key of Object.keys(node.inputs).sort()) {
        const value = node.inputs[key];
        if (isLink(value)) parts.push([key, ["ANCESTOR", order.get(value[0]), value[1]]]);
        else parts.push([key, value]);
      }
      return stableStringify(parts);
    };
    for (const nodeId of Object.keys(prompt)) {
      const { ancestors, order } = orderedAncestry(prompt, nodeId);
      const parts: string[] = [];
      let never = false;
      for (const id of [nodeId, ...ancestors]) {
        const sig = immediateOf(id, order);
        if (sig === NEVER_EQUAL) {
          never = true;
          break;
        }
        parts.push(sig);
      }
      own.set(nodeId, never ? NEVER_EQUAL : parts.join("\u0000"));
    }
    for (const [nodeId, sig] of own) {
      keys.set(nodeId, sig === NEVER_EQUAL ? `unique:${this.#uniqueCounter++}` : sig);
    }
    this.#keys = keys;
    const used = new Set(keys.values());
    for (const key of [...this.#entries.keys()]) if (!used.has(key)) this.#entries.delete(key);
  }

  get(nodeId: string): CacheEntry | undefined {
    const key = this.#keys.get(nodeId);
    return key === undefined ? undefined : this.#entries.get(key);
  }

  set(nodeId: string, entry: CacheEntry): void {
    const key = this.#keys.get(nodeId);
    if (key !== undefined) this.#entries.set(key, entry);
  }

  /** `POST /free {"free_memory": true}`. */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Ancestors of a node in ComfyUI's order: depth first over inputs sorted by name, first visit wins. */
function orderedAncestry(
  prompt: QueuedPrompt,
  nodeId: string,
): { ancestors: string[]; order: Map<string, number> } {
  const ancestors: string[] = [];
  const order = new Map<string, number>();
  const visit = (id: string): void => {
    const node = prompt[id];
    if (!node) return;
    for (const key of Object.keys(node.inputs).sort()) {
      const value = node.inputs[key];
      if (!isLink(value)) continue;
      const ancestor = value[0];
      if (order.has(ancestor)) continue;
      ancestors.push(ancestor);
      order.set(ancestor, ancestors.length - 1);
      visit(ancestor);
    }
  };
  visit(nodeId);
  return { ancestors, order };
}

/** JSON with sorted object keys, exact bigints and distinct spellings for non-JSON numbers. */
export function stableStringify(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : `#${value}`;
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(",")}}`;
}
