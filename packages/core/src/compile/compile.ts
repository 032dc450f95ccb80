import type { GraphNode } from "../graph/graph-node.js";
import { isNodeHandle, type NodeHandle, nodeOf } from "../graph/node-handle.js";
import { outputPropertyNames } from "../graph/node-spec.js";
import { isOutput, type Output, outputRef } from "../graph/output.js";
import type { SourceLocation } from "../graph/source-location.js";
import { type Graph, isGraph, isWorkflow, type Workflow } from "../graph/workflow.js";
import type { ApiInputValue, ApiNode, ApiPrompt } from "./api-prompt.js";
import { CompileError } from "./compile-error.js";
import { attachOrigins, type NodeOrigin } from "./prompt-origins.js";

/** Anything compile accepts: a workflow (built with its defaults), a built graph, or output nodes. */
export type CompileTarget =
  | Workflow<never, unknown>
  | Graph
  | NodeHandle
  | Output
  | readonly (NodeHandle | Output)[]
  | Readonly<Record<string, NodeHandle | Output>>;

export interface CompileOptions {
  /**
   * `true` (default): emit only the nodes the roots depend on — the output nodes of a graph, or the
   * nodes you pass — as ComfyUI executes only those. `false`: also keep every other node created while
   * the workflow was built (only meaningful for workflows and graphs).
   */
  readonly prune?: boolean;
  /**
   * `"explicit"` (default): `_meta.title` only for nodes given a `title`. `"display-name"`: every node
   * gets a title, its display name when none was given (what ComfyUI's editor exports).
   */
  readonly titles?: "explicit" | "display-name";
}

/**
 * Compiles a graph to ComfyUI's API prompt format. Pure and deterministic: the same graph gives
 * byte-identical JSON. Ids are the pinned ones (`{ id: "3" }`) and, for the rest, the smallest free
 * positive integers in creation order. Links are `["id", slot]`, list literals `{"__value__": [...]}`,
 * `bigint` values beyond 2^53 stay `bigint` (write them with `stringifyPrompt`).
 *
 * ```ts
 * compile(workflow(() => ({ out: SaveImage({ images: EmptyImage({ width: 8, height: 8 }) }) })));
 * // { "1": { inputs: { width: 8, height: 8, batch_size: 1, color: 0 }, class_type: "EmptyImage" },
 * //   "2": { inputs: { filename_prefix: "ComfyUI", images: ["1", 0] }, class_type: "SaveImage" } }
 * ```
 */
export function compile(target: CompileTarget, options: CompileOptions = {}): ApiPrompt {
  const nodes = selectNodes(target, options.prune ?? true);
  const ids = assignIds(nodes);
  const prompt: ApiPrompt = {};
  const origins = new Map<string, NodeOrigin>();
  for (const node of nodes) {
    const id = ids.get(node)!;
    const apiNode: ApiNode = { inputs: compileInputs(node, id, ids), class_type: node.classType };
    const title =
      node.title ??
      (options.titles === "display-name" ? (node.spec.displayName ?? node.classType) : undefined);
    if (title !== undefined) apiNode._meta = { title };
    prompt[id] = apiNode;
    origins.set(id, new LazyOrigin(id, node));
  }
  attachOrigins(prompt, origins);
  return prompt;
}

class LazyOrigin implements NodeOrigin {
  readonly id: string;
  readonly classType: string;
  readonly title: string | undefined;
  readonly node: GraphNode;
  constructor(id: string, node: GraphNode) {
    this.id = id;
    this.classType = node.classType;
    this.title = node.title;
    this.node = node;
  }
  get location(): SourceLocation | undefined {
    return this.node.location;
  }
}

function rootsOf(value: unknown, into: GraphNode[]): void {
  if (isNodeHandle(value)) into.push(nodeOf(value));
  else if (isOutput(value)) into.push(outputRef(value).node);
  else if (Array.isArray(value)) for (const item of value) rootsOf(item, into);
  else if (typeof value === "object" && value !== null)
    for (const item of Object.values(value)) rootsOf(item, into);
}

/** The nodes to emit, in creation order. */
function selectNodes(target: CompileTarget, prune: boolean): GraphNode[] {
  const graph = isWorkflow(target) ? target() : target;
  const roots: GraphNode[] = [];
  if (isGraph(graph) && isThenable(graph.result)) {
    // Nodes made after an `await` are created once the build has returned: they would be lost.
    throw new CompileError("invalid_target", {
      reason:
        "the workflow's build function returned a Promise: it must be synchronous (build the nodes, then return them); load files or settings before calling the workflow and pass them as parameters",
    });
  }
  if (isGraph(graph)) {
    rootsOf(graph.result, roots);
    for (const node of graph.nodes) if (!prune || node.spec.outputNode) roots.push(node);
  } else {
    rootsOf(graph, roots);
  }
  if (roots.length === 0) {
    throw new CompileError("invalid_target", {
      reason:
        "nothing to compile: pass a workflow, a graph, or the output nodes (e.g. compile({ out: SaveImage(...) }))",
    });
  }
  const seen = new Set<GraphNode>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const value of Object.values(node.inputs)) {
      if (isOutput(value)) stack.push(outputRef(value).node);
      else if (isNodeHandle(value)) stack.push(nodeOf(value));
    }
  }
  return [...seen].sort((a, b) => a.sequence - b.sequence);
}

function assignIds(nodes: readonly GraphNode[]): Map<GraphNode, string> {
  const ids = new Map<GraphNode, string>();
  const owners = new Map<string, GraphNode>();
  for (const node of nodes) {
    if (node.pinnedId === undefined) continue;
    const other = owners.get(node.pinnedId);
    if (other) {
      const where = other.location
        ? ` (the other one was made at ${other.location.file}:${other.location.line})`
        : "";
      throw new CompileError("duplicate_node_id", {
        nodeId: node.pinnedId,
        classType: node.classType,
        location: node.location,
        reason: `id "${node.pinnedId}" is pinned by two nodes${where}; give each node its own id`,
      });
    }
    owners.set(node.pinnedId, node);
    ids.set(node, node.pinnedId);
  }
  let next = 1;
  for (const node of nodes) {
    if (ids.has(node)) continue;
    while (owners.has(String(next))) next++;
    ids.set(node, String(next));
    next++;
  }
  return ids;
}

function compileInputs(
  node: GraphNode,
  id: string,
  ids: ReadonlyMap<GraphNode, string>,
): Record<string, ApiInputValue> {
  const given = node.inputs;
  const defaults = node.spec.defaults ?? {};
  const order = node.spec.inputOrder ?? [];
  const names: string[] = [];
  for (const name of order) if (given[name] !== undefined || defaults[name] !== undefined) names.push(name);
  for (const name of Object.keys(given))
    if (!order.includes(name) && given[name] !== undefined) names.push(name);

  const inputs: Record<string, ApiInputValue> = {};
  for (const name of names) {
    const value = given[name] !== undefined ? given[name] : defaults[name];
    inputs[name] = compileValue(value, { node, id, input: name, ids });
  }
  if (node.extraInputs) {
    for (const [name, value] of Object.entries(node.extraInputs)) {
      if (value !== undefined) inputs[name] = compileValue(value, { node, id, input: name, ids });
    }
  }
  return inputs;
}

interface ValueContext {
  readonly node: GraphNode;
  readonly id: string;
  readonly input: string;
  readonly ids: ReadonlyMap<GraphNode, string>;
}

function invalid(
  context: ValueContext,
  code: "invalid_input_value" | "several_outputs",
  reason: string,
): CompileError {
  return new CompileError(code, {
    nodeId: context.id,
    classType: context.node.classType,
    input: context.input,
    location: context.node.location,
    reason,
  });
}

function compileValue(value: unknown, context: ValueContext): ApiInputValue {
  if (isOutput(value)) {
    const ref = outputRef(value);
    return [context.ids.get(ref.node)!, ref.slot];
  }
  if (isNodeHandle(value)) {
    const names = outputPropertyNames(nodeOf(value).spec.outputs).filter((n) => n !== undefined);
    const choices = names.length > 0 ? names.map((n) => `.${n}`).join(", ") : "[0], [1], …";
    throw invalid(
      context,
      "several_outputs",
      `got a ${nodeOf(value).classType} node, which has ${nodeOf(value).spec.outputs.length} outputs; pass one of them: ${choices}`,
    );
  }
  if (Array.isArray(value)) return { __value__: value.map((item) => compileLiteral(item, context)) };
  return compileLiteral(value, context) as ApiInputValue;
}

function compileLiteral(value: unknown, context: ValueContext): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value))
        throw invalid(context, "invalid_input_value", `${value} cannot be written as JSON`);
      return value;
    case "bigint":
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value;
    case "object": {
      if (value === null) return null;
      if (isOutput(value) || isNodeHandle(value)) {
        throw invalid(
          context,
          "invalid_input_value",
          "links cannot be nested inside a list or object literal",
        );
      }
      if (Array.isArray(value)) return value.map((item) => compileLiteral(item, context));
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        // JSON.stringify would write a Map, Set or Date as {} (or a string): say so instead of losing it.
        const kind = (proto as { constructor?: { name?: string } }).constructor?.name || "class instance";
        throw invalid(
          context,
          "invalid_input_value",
          `a ${kind} is not a valid input value: use plain objects, lists, strings, numbers and booleans`,
        );
      }
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value))
        if (item !== undefined) out[key] = compileLiteral(item, context);
      return out;
    }
    default:
      throw invalid(context, "invalid_input_value", `a ${typeof value} is not a valid input value`);
  }
}

function isThenable(value: unknown): boolean {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
