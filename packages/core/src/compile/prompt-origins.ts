import type { GraphNode } from "../graph/graph-node.js";
import type { SourceLocation } from "../graph/source-location.js";
import type { ApiPrompt } from "./api-prompt.js";

/** What compile knows about the node behind one id of a compiled prompt. */
export interface NodeOrigin {
  readonly id: string;
  readonly classType: string;
  readonly title: string | undefined;
  /** Where the author created the node (undefined when unknown). */
  readonly location: SourceLocation | undefined;
  /** The graph node compiled under this id (undefined for origins not made by `compile()`). */
  readonly node?: GraphNode;
}

// A side table keeps compiled prompts plain JSON (deep-equal to ComfyUI's, serializable as is).
type Origins = ReadonlyMap<string, NodeOrigin>;
const origins = new WeakMap<object, Origins | (() => Origins)>();

/** Records where each node of `prompt` came from: the map, or a function that builds it when first asked. */
export function attachOrigins(prompt: ApiPrompt, byId: Origins | (() => Origins)): void {
  origins.set(prompt, byId);
}

/** The origin of each node of a prompt made by `compile()`; undefined for prompts from elsewhere. */
export function promptOrigins(prompt: ApiPrompt): Origins | undefined {
  const entry = origins.get(prompt);
  if (typeof entry !== "function") return entry;
  const built = entry();
  origins.set(prompt, built);
  return built;
}

/** The origin of one node id of a compiled prompt. */
export function nodeOrigin(prompt: ApiPrompt, id: string): NodeOrigin | undefined {
  return promptOrigins(prompt)?.get(id);
}
