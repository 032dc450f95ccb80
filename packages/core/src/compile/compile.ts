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
  // Per-run state lives here, never on the nodes: a graph may come from another copy of this package
  // (a module loaded through its own loader), whose nodes share only their public shape.
  const run = new Map<GraphNode, string>();
  for (let i = 0; i < nodes.length; i++) run.set(nodes[i]!, ids[i]!);
  const prompt: ApiPrompt = {};
  const displayNames = options.titles === "display-name";
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const id = ids[i]!;
    const apiNode: ApiNode = { inputs: compileInputs(node, id, run), class_type: node.classType };
    const title = node.title ?? (displayNames ? (node.spec.displayName ?? node.classType) : undefined);
    if (title !== undefined) apiNode._meta = { title };
    prompt[id] = apiNode;
  }
  // Built only when someone asks (an error message, a validation issue): compiling a large graph
  // allocates nothing per node beyond the prompt itself.
  attachOrigins(prompt, () => {
    const origins = new Map<string, NodeOrigin>();
    for (let i = 0; i < nodes.length; i++) origins.set(ids[i]!, new LazyOrigin(ids[i]!, nodes[i]!));
    return origins;
  });
  return prompt;
}

/** Each compiled node's id, for the links that point at it. */
type CompileRun = ReadonlyMap<GraphNode, string>;

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
  const selected: GraphNode[] = [];
  const stack = roots;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    selected.push(node);
    const inputs = node.inputs;
    for (const name in inputs) {
      const value = inputs[name];
      if (isOutput(value)) stack.push(outputRef(value).node);
      else if (isNodeHandle(value)) stack.push(nodeOf(value));
    }
  }
  return selected.sort((a, b) => a.sequence - b.sequence);
}

/** Each node's id, index for index: the pinned one, else the smallest free integer in creation order. */
function assignIds(nodes: readonly GraphNode[]): string[] {
  const ids = new Array<string>(nodes.length);
  const owners = new Map<string, GraphNode>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
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
    ids[i] = node.pinnedId;
  }
  let next = 1;
  for (let i = 0; i < nodes.length; i++) {
    if (ids[i] === undefined) {
      if (owners.size > 0) while (owners.has(String(next))) next++;
      ids[i] = String(next++);
    }
  }
  return ids;
}

function compileInputs(node: GraphNode, id: string, run: CompileRun): Record<string, ApiInputValue> {
  const given = node.inputs;
  const defaults = node.spec.defaults;
  const order = node.spec.inputOrder ?? [];
  const inputs: Record<string, ApiInputValue> = {};
  // The catalog's order first (given value, else default), then inputs the catalog does not declare.
  for (const name of order) {
    const value = given[name] !== undefined ? given[name] : defaults?.[name];
    if (value !== undefined) inputs[name] = compileValue(value, node, id, name, run);
  }
  for (const name in given) {
    const value = given[name];
    if (value !== undefined && !Object.hasOwn(inputs, name)) {
      inputs[name] = compileValue(value, node, id, name, run);
    }
  }
  if (node.extraInputs) {
    for (const [name, value] of Object.entries(node.extraInputs)) {
      if (value !== undefined) inputs[name] = compileValue(value, node, id, name, run);
    }
  }
  return inputs;
}

interface ValueContext {
  readonly node: GraphNode;
  readonly id: string;
  readonly input: string;
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

function compileValue(
  value: unknown,
  node: GraphNode,
  id: string,
  input: string,
  run: CompileRun,
): ApiInputValue {
  if (isOutput(value)) {
    const ref = outputRef(value);
    return [run.get(ref.node)!, ref.slot];
  }
  // Only literals and mistakes get here: the context object is made for them alone.
  const context: ValueContext = { node, id, input };
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
