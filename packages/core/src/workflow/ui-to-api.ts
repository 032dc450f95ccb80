import type { NodeCatalog, NodeDef } from "../catalog/types.js";
import type { ApiInputValue, ApiNode, ApiPrompt } from "../compile/api-prompt.js";
import { isApiLink } from "../compile/api-prompt.js";
import { COMFY_TS_PROPERTY, type ComfyTsNodeProperties } from "./api-to-ui.js";
import { processDynamicPrompt } from "./dynamic-prompt.js";
import { SubgraphError, UnknownNodeTypeError, type WorkflowErrorOptions } from "./errors.js";
import { expandGroupNodes } from "./group-nodes.js";
import { parseUiWorkflow } from "./parse-ui-workflow.js";
import {
  NodeMode,
  SUBGRAPH_INPUT_NODE_ID,
  SUBGRAPH_OUTPUT_NODE_ID,
  type UiGraph,
  type UiNode,
  type UiSubgraph,
  type UiWorkflow,
} from "./ui-workflow.js";
import {
  GET_NODE_TYPE,
  PRIMITIVE_NODE_TYPE,
  REROUTE_TYPES,
  SET_NODE_TYPE,
  VIRTUAL_NODE_TYPES,
} from "./virtual-nodes.js";
import { widgetDefault, widgetSlots } from "./widget-layout.js";
import { assignWidgetValues } from "./widget-values.js";

/** Something the converter noticed but could handle (shown by the CLI, ignorable by programs). */
export interface ConversionWarning {
  readonly nodeId: string;
  readonly message: string;
}

export interface UiToApiOptions extends WorkflowErrorOptions {
  /**
   * A node type the catalog does not define: `"error"` (default) throws `UnknownNodeTypeError`;
   * `"keep"` emits it untyped (links by input name, widget values kept in `_meta.widgets_values`).
   */
  readonly unknownNodes?: "error" | "keep";
  /** More frontend-only node types to drop (besides Reroute, PrimitiveNode, Note, MarkdownNote, …). */
  readonly virtualNodeTypes?: Iterable<string>;
  /** Picks options of `{a|b}` dynamic prompts like the editor's random choice; default: the first option. */
  readonly random?: () => number;
  readonly onWarning?: (warning: ConversionWarning) => void;
  /**
   * Told of each input whose value a PrimitiveNode supplies (`comfy-ts import` turns those into
   * workflow parameters). `primitiveId` is the primitive's id in its graph (`<instance>:<id>` in subgraphs).
   */
  readonly onPrimitiveValue?: (use: PrimitiveValueUse) => void;
}

/** One input fed by a PrimitiveNode. */
export interface PrimitiveValueUse {
  readonly primitiveId: string;
  /** The primitive's title when the author changed it from the editor's default ("Primitive"). */
  readonly title: string | undefined;
  readonly value: unknown;
  readonly nodeId: string;
  readonly input: string;
}

type Origin =
  | { kind: "node"; id: string; slot: number }
  | { kind: "value"; value: unknown; primitive?: { id: string; title: string | undefined } }
  | undefined;

interface Context {
  readonly graph: UiGraph;
  /** Execution id prefix of nodes in this graph: `""` at the top, `"<instance id>:"` inside subgraphs. */
  readonly prefix: string;
  readonly nodes: ReadonlyMap<string, UiNode>;
  /** KJNodes SetNodes by their name (the first one wins, as in the editor's lookup). */
  readonly setNodes: ReadonlyMap<unknown, UiNode>;
  readonly parent: { ctx: Context; instance: UiNode; subgraph: UiSubgraph } | undefined;
}

const MAX_DEPTH = 64;

/**
 * Converts a UI workflow to the API prompt ComfyUI's editor would queue for it:
 * widget values named by the catalog, links resolved through reroutes, bypassed and subgraph nodes,
 * primitive values inlined, muted and frontend-only nodes dropped, subgraphs flattened with
 * `outer:inner` ids.
 *
 * @param workflow the file's text, the parsed JSON document, or a `parseUiWorkflow` result
 * @example
 * const prompt = uiToApi(text, catalog);
 * // { "3": { class_type: "KSampler", inputs: { seed: 5, …, model: ["4", 0] }, _meta: { title: "KSampler" } }, … }
 */
export function uiToApi(
  workflow: UiWorkflow | string | object,
  catalog: NodeCatalog,
  options: UiToApiOptions = {},
): ApiPrompt {
  const parsed = isParsed(workflow) ? workflow : parseUiWorkflow(workflow, options);
  return new UiToApiConverter(expandGroupNodes(parsed, options), catalog, options).convert();
}

class UiToApiConverter {
  private readonly prompt: ApiPrompt = {};
  private readonly virtual: ReadonlySet<string>;
  private readonly childContexts = new Map<string, Context>();

  constructor(
    private readonly workflow: UiWorkflow,
    private readonly catalog: NodeCatalog,
    private readonly options: UiToApiOptions,
  ) {
    this.virtual = new Set([...VIRTUAL_NODE_TYPES, ...(options.virtualNodeTypes ?? [])]);
  }

  convert(): ApiPrompt {
    this.emitGraph(makeContext(this.workflow, "", undefined), 0);
    // A link to a node that was not emitted (muted, unknown, dropped) is removed, as the editor does.
    for (const node of Object.values(this.prompt)) {
      for (const [name, value] of Object.entries(node.inputs)) {
        if (isApiLink(value) && !Object.hasOwn(this.prompt, value[0])) delete node.inputs[name];
      }
    }
    return this.prompt;
  }

  private isVirtual(type: string): boolean {
    return this.virtual.has(type) && !this.catalog.nodes.has(type);
  }

  private emitGraph(ctx: Context, depth: number): void {
    if (depth > MAX_DEPTH)
      throw new SubgraphError(
        ctx.prefix,
        "subgraphs nested too deeply (a definition contains itself?)",
        this.options,
      );
    for (const node of ctx.graph.nodes) {
      if (this.isVirtual(node.type)) continue;
      const subgraph = this.workflow.subgraphs.get(node.type);
      if (node.mode === NodeMode.muted || node.mode === NodeMode.bypassed) continue;
      if (subgraph) {
        this.emitGraph(this.childContext(ctx, node, subgraph), depth + 1);
        continue;
      }
      this.emitNode(ctx, node);
    }
  }

  private childContext(ctx: Context, instance: UiNode, subgraph: UiSubgraph): Context {
    const prefix = `${ctx.prefix}${instance.id}:`;
    let child = this.childContexts.get(prefix);
    if (!child) {
      child = makeContext(subgraph, prefix, { ctx, instance, subgraph });
      this.childContexts.set(prefix, child);
    }
    return child;
  }

  /** The node's id in the prompt: `<instance path>:<id>`, or the id `apiToUi` kept in its properties. */
  private execId(ctx: Context, node: UiNode): string {
    const kept = (node.properties[COMFY_TS_PROPERTY] as ComfyTsNodeProperties | undefined)?.id;
    return ctx.prefix === "" && typeof kept === "string" && !this.emitsId(ctx, kept)
      ? kept
      : `${ctx.prefix}${node.id}`;
  }

  /** Whether the node with UI id `id` becomes a prompt node of that id (notes, muted nodes … do not). */
  private emitsId(ctx: Context, id: string): boolean {
    const other = ctx.nodes.get(id);
    return (
      other !== undefined &&
      !this.isVirtual(other.type) &&
      other.mode !== NodeMode.muted &&
      other.mode !== NodeMode.bypassed &&
      !this.workflow.subgraphs.has(other.type)
    );
  }

  private emitNode(ctx: Context, node: UiNode): void {
    const id = this.execId(ctx, node);
    const def = this.catalog.nodes.get(node.type);
    if (!def && this.options.unknownNodes !== "keep")
      throw new UnknownNodeTypeError(
        id,
        node.type,
        this.options,
        this.catalog.problems.find((p) => p.classType === node.type),
      );
    const inputs: Record<string, ApiInputValue> = {};
    const apiNode: ApiNode = {
      inputs,
      class_type: node.type,
      _meta: { title: node.title ?? def?.displayName ?? node.type },
    };
    if (def) this.setWidgetInputs(id, node, def, inputs);
    else if (node.widgetsValues !== undefined) {
      if (Array.isArray(node.widgetsValues))
        apiNode._meta = { ...apiNode._meta, widgets_values: node.widgetsValues };
      else for (const [k, v] of Object.entries(node.widgetsValues)) inputs[k] = wrapLiteral(v);
    }
    const kept = (node.properties[COMFY_TS_PROPERTY] as ComfyTsNodeProperties | undefined)?.inputs;
    if (kept) for (const [name, value] of Object.entries(kept)) inputs[name] ??= value as ApiInputValue;
    for (const input of node.inputs) {
      if (input.link === null) continue;
      const name = input.widgetName ?? input.name;
      if (!ctx.graph.links.has(input.link)) {
        // The editor shows such an input unconnected; say so rather than drop it silently.
        this.options.onWarning?.({
          nodeId: id,
          message: `input "${name}" of ${node.type} names link ${input.link}, which the workflow's links lack (left unconnected)`,
        });
        continue;
      }
      const origin = this.resolveLink(ctx, input.link, input.type, 0);
      if (origin?.kind === "node") inputs[name] = [origin.id, origin.slot];
      else if (origin?.kind === "value") {
        inputs[name] = wrapLiteral(origin.value);
        if (origin.primitive)
          this.options.onPrimitiveValue?.({
            primitiveId: origin.primitive.id,
            title: origin.primitive.title,
            value: origin.value,
            nodeId: id,
            input: name,
          });
      }
    }
    this.prompt[id] = apiNode;
  }

  private setWidgetInputs(
    id: string,
    node: UiNode,
    def: NodeDef,
    inputs: Record<string, ApiInputValue>,
  ): void {
    const slots = widgetSlots(def);
    const { assigned, unused } = assignWidgetValues(slots, node.widgetsValues ?? []);
    const values = new Map(assigned.map((a) => [a.slot.name, a]));
    for (const slot of slots) {
      if (slot.forceInput) continue;
      const found = values.get(slot.name);
      let value = found ? found.value : widgetDefault(slot.input);
      if (value === undefined) continue;
      if (slot.input.kind === "string" && slot.input.dynamicPrompts && typeof value === "string") {
        value = processDynamicPrompt(value, this.options.random);
      }
      inputs[slot.name] = wrapLiteral(value);
    }
    // Children of dynamic combos (`format.quality`) follow their parent.
    for (const a of assigned)
      if (!Object.hasOwn(inputs, a.slot.name) && a.slot.name.includes("."))
        inputs[a.slot.name] = wrapLiteral(a.value);
    // Object-form values (VHS) also hold widgets that extensions add at runtime (`pix_fmt`, `crf` of a
    // chosen format); object values there are editor previews, not inputs.
    const saved = node.widgetsValues;
    if (saved !== undefined && !Array.isArray(saved)) {
      const byName = saved as Readonly<Record<string, unknown>>;
      const known = new Set(def.inputs.map((i) => i.name));
      for (const [name, value] of Object.entries(byName)) {
        if (!known.has(name) && !Object.hasOwn(inputs, name) && (value === null || typeof value !== "object"))
          inputs[name] = value as ApiInputValue;
      }
    }
    if (unused > 0 && Array.isArray(node.widgetsValues)) {
      this.options.onWarning?.({
        nodeId: id,
        message: `${unused} of ${node.widgetsValues.length} widget values of ${node.type} match no input of the catalog's definition (ignored; was the node pack updated?)`,
      });
    }
  }

  private resolveLink(ctx: Context, linkId: number, targetType: unknown, depth: number): Origin {
    const link = ctx.graph.links.get(linkId);
    if (!link) return undefined;
    if (depth > MAX_DEPTH) {
      this.options.onWarning?.({
        nodeId: `${ctx.prefix}${link.targetId}`,
        message: `link ${linkId} passes through more than ${MAX_DEPTH} reroutes or bypassed nodes (a loop?): left unconnected`,
      });
      return undefined;
    }
    return this.resolveOutput(ctx, link.originId, link.originSlot, targetType, depth + 1);
  }

  private resolveOutput(
    ctx: Context,
    originId: number | string,
    slot: number,
    targetType: unknown,
    depth: number,
  ): Origin {
    if (String(originId) === String(SUBGRAPH_INPUT_NODE_ID))
      return this.resolveSubgraphInput(ctx, slot, targetType, depth);
    const node = ctx.nodes.get(String(originId));
    if (!node || node.mode === NodeMode.muted) return undefined;
    if (node.mode === NodeMode.bypassed) {
      const index = bypassSlotIndex(node, slot, targetType);
      const link = index < 0 ? null : (node.inputs[index]?.link ?? null);
      return link === null ? undefined : this.resolveLink(ctx, link, targetType, depth);
    }
    const subgraph = this.workflow.subgraphs.get(node.type);
    if (subgraph) {
      const inner = this.childContext(ctx, node, subgraph);
      const linkIds = subgraph.outputs[slot]?.linkIds ?? [];
      const linkId =
        linkIds[0] ??
        [...subgraph.links.values()].find(
          (l) => String(l.targetId) === String(SUBGRAPH_OUTPUT_NODE_ID) && l.targetSlot === slot,
        )?.id;
      return linkId === undefined ? undefined : this.resolveLink(inner, linkId, targetType, depth);
    }
    if (this.isVirtual(node.type)) {
      if (REROUTE_TYPES.has(node.type) || node.type === SET_NODE_TYPE) {
        const link = node.inputs[0]?.link ?? null;
        return link === null ? undefined : this.resolveLink(ctx, link, targetType, depth);
      }
      if (node.type === PRIMITIVE_NODE_TYPE) {
        const values = node.widgetsValues;
        if (!Array.isArray(values) || values.length === 0) return undefined;
        const title = node.title !== undefined && node.title !== "Primitive" ? node.title : undefined;
        return { kind: "value", value: values[0], primitive: { id: `${ctx.prefix}${node.id}`, title } };
      }
      if (node.type === GET_NODE_TYPE) return this.resolveGetNode(ctx, node, targetType, depth);
      return undefined;
    }
    return { kind: "node", id: this.execId(ctx, node), slot };
  }

  private resolveGetNode(ctx: Context, get: UiNode, targetType: unknown, depth: number): Origin {
    const name = firstWidgetValue(get);
    const set = ctx.setNodes.get(name);
    const link = set?.inputs[0]?.link ?? null;
    if (link === null) {
      this.options.onWarning?.({
        nodeId: `${ctx.prefix}${get.id}`,
        message: `GetNode "${String(name)}" has no connected SetNode`,
      });
      return undefined;
    }
    return this.resolveLink(ctx, link, targetType, depth);
  }

  private resolveSubgraphInput(ctx: Context, slot: number, targetType: unknown, depth: number): Origin {
    const parent = ctx.parent;
    if (!parent) return undefined;
    const sgInput = parent.subgraph.inputs[slot];
    if (!sgInput)
      throw new SubgraphError(
        `${parent.ctx.prefix}${parent.instance.id}`,
        `subgraph "${parent.subgraph.name}" has no input ${slot}`,
        this.options,
      );
    const instanceInput = parent.instance.inputs.find((i) => i.name === sgInput.name);
    if (instanceInput && instanceInput.link !== null)
      return this.resolveLink(parent.ctx, instanceInput.link, targetType, depth);
    const promoted = promotedWidgetValue(parent.instance, sgInput.name);
    return promoted === undefined ? undefined : { kind: "value", value: promoted };
  }
}

/** A `UiWorkflow` from `parseUiWorkflow` (links in a Map), not a document still to parse. */
function isParsed(value: unknown): value is UiWorkflow {
  return typeof value === "object" && value !== null && (value as { links?: unknown }).links instanceof Map;
}

function makeContext(graph: UiGraph, prefix: string, parent: Context["parent"]): Context {
  const setNodes = new Map<unknown, UiNode>();
  for (const n of graph.nodes) {
    if (n.type === SET_NODE_TYPE && !setNodes.has(firstWidgetValue(n))) setNodes.set(firstWidgetValue(n), n);
  }
  return { graph, prefix, parent, nodes: new Map(graph.nodes.map((n) => [String(n.id), n])), setNodes };
}

/** Arrays are links in the API format: list literals are wrapped as `{"__value__": [...]}`. */
function wrapLiteral(value: unknown): ApiInputValue {
  if (Array.isArray(value)) return { __value__: value };
  return value as ApiInputValue;
}

function firstWidgetValue(node: UiNode): unknown {
  const values = node.widgetsValues;
  if (Array.isArray(values)) return values[0];
  return values ? Object.values(values)[0] : undefined;
}

/**
 * The value of a subgraph instance's widget for subgraph input `name`: by `properties.proxyWidgets`
 * (`["-1", name]` entries) when present, else by the order of the instance's widget inputs.
 */
function promotedWidgetValue(instance: UiNode, name: string): unknown {
  const values = instance.widgetsValues;
  if (!values) return undefined;
  if (!Array.isArray(values)) return (values as Readonly<Record<string, unknown>>)[name];
  const proxies = instance.properties["proxyWidgets"];
  if (Array.isArray(proxies)) {
    const index = proxies.findIndex((p) => Array.isArray(p) && String(p[0]) === "-1" && p[1] === name);
    if (index >= 0) return values[index] ?? undefined;
  }
  const widgetInputs = instance.inputs.filter((i) => i.widgetName !== undefined);
  const index = widgetInputs.findIndex((i) => i.name === name || i.widgetName === name);
  return index >= 0 ? (values[index] ?? undefined) : undefined;
}

/** Which input a bypassed node passes to output `slot`, like the editor (same slot if compatible, else first of the target's type). */
function bypassSlotIndex(node: UiNode, slot: number, targetType: unknown): number {
  const inputs = node.inputs;
  if (targetType === "*" || targetType === "") return inputs.length > slot ? slot : 0;
  const opposite = inputs[slot];
  const outputType = node.outputs[slot]?.type;
  if (opposite && typesCompatible(opposite.type, outputType) && typesCompatible(opposite.type, targetType))
    return slot;
  return inputs.findIndex((i) => i.type === targetType);
}

/** litegraph's `isValidConnection`: equal, a wildcard, or sharing one type of a comma-joined list (case-insensitive). */
export function typesCompatible(a: unknown, b: unknown): boolean {
  if (a === "" || a === "*" || b === "" || b === "*" || a === undefined || b === undefined) return true;
  if (a === b) return true;
  if (typeof a !== "string" || typeof b !== "string") return false;
  const left = a.toLowerCase().split(",");
  const right = new Set(b.toLowerCase().split(","));
  return left.some((t) => right.has(t));
}
