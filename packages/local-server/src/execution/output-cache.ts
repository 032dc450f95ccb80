import { createHash } from "node:crypto";
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
 * literal inputs, and the same for every ancestor). Setting a new
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
    // ComfyUI lists the immediate signatures of a node and its ancestors, links as ancestor
    // positions. A Merkle hash (links as the ancestor's own hash) is equal exactly when those
    // unfolded ancestries are equal, and costs linear time instead of quadratic.
    const memo = new Map<string, string | typeof NEVER_EQUAL>();
    const state = new Map<string, "visiting">();
    // Post-order walk with an explicit stack, so that long chains cannot overflow the call stack.
    const signatureOf = (root: string): string | typeof NEVER_EQUAL => {
      const stack: string[] = [root];
      while (stack.length > 0) {
        const nodeId = stack[stack.length - 1] as string;
        if (memo.has(nodeId)) {
          stack.pop();
          continue;
        }
        const node = prompt[nodeId];
        if (!node) {
          memo.set(nodeId, NEVER_EQUAL);
          stack.pop();
          continue;
        }
        const links = Object.values(node.inputs).filter(isLink);
        if (state.get(nodeId) !== "visiting") {
          state.set(nodeId, "visiting");
          for (const [ancestor] of links) {
            // An ancestor still being visited closes a cycle: never cacheable.
            if (state.get(ancestor) === "visiting" && !memo.has(ancestor)) memo.set(ancestor, NEVER_EQUAL);
            else if (!memo.has(ancestor)) stack.push(ancestor);
          }
          continue;
        }
        stack.pop();
        state.delete(nodeId);
        memo.set(nodeId, immediateSignature(nodeId));
      }
      return memo.get(root) ?? NEVER_EQUAL;
    };
    const immediateSignature = (nodeId: string): string | typeof NEVER_EQUAL => {
      const node = prompt[nodeId] as QueuedPrompt[string];
      const head = immediate(nodeId);
      if (head === NEVER_EQUAL) return NEVER_EQUAL;
      const parts: unknown[] = [...head];
      for (const key of Object.keys(node.inputs).sort()) {
        const value = node.inputs[key];
        if (isLink(value)) {
          const ancestor = memo.get(value[0]);
          if (ancestor === undefined || ancestor === NEVER_EQUAL) return NEVER_EQUAL;
          parts.push([key, ["ANCESTOR", ancestor, Number(value[1])]]);
        } else {
          parts.push([key, value]);
        }
      }
      return createHash("sha256").update(stableStringify(parts)).digest("base64");
    };
    const keys = new Map<string, string>();
    for (const nodeId of Object.keys(prompt)) {
      const sig = signatureOf(nodeId);
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
