import type { NodeCatalog, NodeDef } from "../catalog/types.js";
import { WIDGET_KINDS } from "../catalog/types.js";
import type { ApiInputValue, ApiPrompt } from "../compile/api-prompt.js";
import { isApiLink } from "../compile/api-prompt.js";
import {
  type ApiToUiOptions,
  COMFY_TS_PROPERTY,
  type ComfyTsNodeProperties,
  newUiNode,
  socketType,
} from "./api-to-ui.js";
import { escapeDynamicPrompt } from "./dynamic-prompt.js";
import { parseUiWorkflow } from "./parse-ui-workflow.js";
import { type ConversionWarning, uiToApi } from "./ui-to-api.js";
import type { UiWorkflow } from "./ui-workflow.js";
import { PRIMITIVE_NODE_TYPE, REROUTE_TYPES } from "./virtual-nodes.js";
import { widgetSlots } from "./widget-layout.js";
import { assignWidgetValues } from "./widget-values.js";

export interface MergePromptOptions extends ApiToUiOptions {}

/** A node of the editor document as saved (only the fields the merge reads or writes are typed). */
interface RawNode {
  id: number | string;
  type: string;
  title?: string;
  pos?: unknown;
  size?: unknown;
  inputs?: RawInput[];
  outputs?: RawOutput[];
  widgets_values?: unknown[] | Record<string, unknown>;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}
interface RawInput {
  name: string;
  type: unknown;
  link: number | null;
  widget?: { name: string };
  [key: string]: unknown;
}
interface RawOutput {
  name: string;
  type: unknown;
  links: number[] | null;
  slot_index?: number;
  [key: string]: unknown;
}
type RawDocument = Record<string, unknown> & { nodes: RawNode[]; links?: unknown[] };

interface LinkEnds {
  readonly id: number;
  readonly originId: string;
  readonly originSlot: number;
  readonly targetId: string;
  readonly targetSlot: number;
}

/**
 * Writes an API prompt back onto the editor document it was converted from: `prompt` is the truth for
 * what runs (nodes, links, widget values, titles), the document for everything the API format cannot
 * hold — positions, sizes, colours, groups, notes, reroutes, primitive nodes, control modes
 * (`control_after_generate`), muted and bypassed nodes, subgraphs. Only what differs between
 * `uiToApi(document)` and `prompt` is changed: an unedited module gives back the document as it was.
 *
 * Nodes the prompt no longer has are removed with their links; nodes it adds get the next free ids and
 * are placed right of the existing ones. A changed value that a PrimitiveNode feeds updates the
 * primitive when every widget it feeds changed alike, else that widget is disconnected from it.
 * Changes inside subgraph definitions are written back only to definitions used once; otherwise a
 * warning names the node.
 *
 * @param document the editor document (text, parsed JSON, or a `parseUiWorkflow` result)
 * @returns a new document; the input is not modified
 */
export function mergePromptIntoUi(
  document: UiWorkflow | string | object,
  prompt: ApiPrompt,
  catalog: NodeCatalog,
  options: MergePromptOptions = {},
): Record<string, unknown> {
  const parsed = isParsed(document) ? document : parseUiWorkflow(document, options);
  const before = uiToApi(parsed, catalog, { ...options, unknownNodes: "keep", onWarning: () => {} });
  const doc = structuredClone(parsed.raw) as RawDocument;
  return new PromptMerge(doc, catalog, options).apply(before, prompt);
}

function isParsed(value: unknown): value is UiWorkflow {
  return typeof value === "object" && value !== null && (value as { links?: unknown }).links instanceof Map;
}

class PromptMerge {
  private readonly links: LinkTable;
  private readonly nodes = new Map<string, RawNode>();
  /** API id → editor node, for the top level (ids kept by `apiToUi` in `properties["comfy-ts"].id` too). */
  private readonly byApiId = new Map<string, RawNode>();
  private lastNodeId: number;
  /** The prompt being written back. */
  private prompt: ApiPrompt = {};
  private readonly warn: (warning: ConversionWarning) => void;

  constructor(
    private readonly doc: RawDocument,
    private readonly catalog: NodeCatalog,
    private readonly options: MergePromptOptions,
  ) {
    this.links = new LinkTable(doc);
    for (const node of doc.nodes) {
      this.nodes.set(String(node.id), node);
      const kept = (node.properties?.[COMFY_TS_PROPERTY] as ComfyTsNodeProperties | undefined)?.id;
      this.byApiId.set(typeof kept === "string" ? kept : String(node.id), node);
    }
    this.lastNodeId = Math.max(
      0,
      numberOr(doc["last_node_id"], 0),
      numberOr((doc["state"] as Record<string, unknown> | undefined)?.["lastNodeId"], 0),
      ...doc.nodes.map((n) => numberOr(n.id, 0)),
    );
    this.warn = options.onWarning ?? (() => {});
  }

  apply(before: ApiPrompt, prompt: ApiPrompt): Record<string, unknown> {
    this.prompt = prompt;
    for (const id of Object.keys(before)) {
      if (Object.hasOwn(prompt, id)) continue;
      const node = this.topLevel(id);
      if (node) this.removeNode(node);
      else
        this.warn({
          nodeId: id,
          message: "removed in the module, but it is inside a subgraph: not written back",
        });
    }
    const added: string[] = [];
    for (const [id, apiNode] of Object.entries(prompt)) {
      const old = Object.hasOwn(before, id) ? before[id] : undefined;
      const node = old ? this.topLevel(id) : undefined;
      if (old && !node) {
        if (!sameNode(old, apiNode))
          this.warn({
            nodeId: id,
            message: "changed in the module, but it is inside a subgraph: edit the subgraph in the editor",
          });
        continue;
      }
      if (!node || !old || old.class_type !== apiNode.class_type) {
        if (node) this.removeNode(node);
        added.push(id);
        continue;
      }
      this.updateTitle(node, old, apiNode);
      this.updateWidgets(id, node, old.inputs, apiNode.inputs, apiNode.class_type);
    }
    // New nodes first (links may point at them), then every link that changed.
    this.addNodes(added, prompt);
    for (const [id, apiNode] of Object.entries(prompt)) {
      const node = this.byApiId.get(id);
      if (!node) continue;
      const old = added.includes(id) ? undefined : before[id];
      this.updateLinks(id, node, old?.inputs ?? {}, apiNode.inputs);
    }
    this.writeCounters();
    return this.doc;
  }

  private topLevel(apiId: string): RawNode | undefined {
    return this.byApiId.get(apiId);
  }

  private updateTitle(node: RawNode, old: ApiPrompt[string], now: ApiPrompt[string]): void {
    const title = now._meta?.title;
    if (title === old._meta?.title || title === undefined) return;
    const display = this.catalog.nodes.get(now.class_type)?.displayName;
    if (title === display) delete node.title;
    else node.title = title;
  }

  private updateWidgets(
    id: string,
    node: RawNode,
    before: Record<string, ApiInputValue>,
    now: Record<string, ApiInputValue>,
    classType: string,
  ): void {
    const def = this.catalog.nodes.get(classType);
    const changed = Object.keys(now).filter(
      (name) => !isApiLink(now[name]) && !sameValue(before[name], now[name]),
    );
    if (changed.length === 0) return;
    if (!def) {
      // Untyped nodes keep literals by name (object-form widget values).
      const values = node.widgets_values;
      if (values && !Array.isArray(values)) for (const name of changed) values[name] = unwrap(now[name]);
      else
        this.warn({
          nodeId: id,
          message: `${classType} is not in the catalog: its changed values are not written back`,
        });
      return;
    }
    const slots = widgetSlots(def);
    const { assigned } = assignWidgetValues(slots, node.widgets_values ?? []);
    const at = new Map(assigned.map((a) => [a.slot.name, a.at]));
    const extras: Record<string, unknown> = {};
    for (const name of changed) {
      const slot = slots.find((s) => s.name === name);
      let value = unwrap(now[name]);
      if (!slot || slot.forceInput) {
        extras[name] = now[name];
        continue;
      }
      if (slot.input.kind === "string" && slot.input.dynamicPrompts && typeof value === "string")
        value = escapeDynamicPrompt(value);
      this.updatePrimitive(node, name, value, now);
      const index = at.get(name);
      if (index !== undefined && node.widgets_values) {
        (node.widgets_values as Record<string | number, unknown>)[index] = value;
      } else {
        // The saved values end before this widget: rebuild them in the editor's order, keeping
        // every control mode the document had.
        this.rebuildWidgets(node, def, now);
        return;
      }
    }
    if (Object.keys(extras).length > 0) {
      const kept = comfyTsProperties(node);
      kept.inputs = { ...kept.inputs, ...extras };
    }
  }

  private rebuildWidgets(node: RawNode, def: NodeDef, now: Record<string, ApiInputValue>): void {
    const controls = new Map<string, unknown>();
    const values = node.widgets_values;
    if (Array.isArray(values)) {
      const { assigned } = assignWidgetValues(widgetSlots(def), values);
      for (const a of assigned)
        if (a.slot.control && typeof a.at === "number") controls.set(a.slot.name, values[a.at + 1]);
    }
    const fresh = newUiNode(0, { class_type: def.classType, inputs: now }, def, {
      ...this.options,
      controlModes: (name) => controls.get(name) as string | undefined,
    });
    node.widgets_values = fresh.widgets_values;
  }

  /**
   * When widget `name` of `node` is fed by a PrimitiveNode (directly or through reroutes), writes the
   * new value into the primitive if every widget it feeds gets that value; otherwise disconnects this
   * widget from it (the widget's own value is written by the caller either way).
   */
  private updatePrimitive(
    node: RawNode,
    name: string,
    value: unknown,
    now: Record<string, ApiInputValue>,
  ): void {
    const input = node.inputs?.find((i) => (i.widget?.name ?? i.name) === name);
    if (!input || input.link === null) return;
    const primitive = this.sourceThroughReroutes(input.link);
    if (!primitive || primitive.type !== PRIMITIVE_NODE_TYPE || !Array.isArray(primitive.widgets_values)) {
      return;
    }
    const agree = this.primitiveTargets(primitive).every(([target, input]) => {
      if (target === node) return sameValue(now[input], now[name]);
      const apiId = this.apiIdOf(target);
      return apiId === undefined || sameValue(unwrap(this.promptValue(apiId, input)), value);
    });
    if (agree) primitive.widgets_values[0] = value;
    else this.links.disconnect(input.link, this.nodes);
  }

  private promptValue(apiId: string, input: string): unknown {
    return this.prompt[apiId]?.inputs[input];
  }

  private apiIdOf(node: RawNode): string | undefined {
    for (const [id, n] of this.byApiId) if (n === node) return id;
    return undefined;
  }

  /** The node a link comes from, following reroutes back to their source. */
  private sourceThroughReroutes(linkId: number): RawNode | undefined {
    for (let depth = 0; depth < 64; depth++) {
      const link = this.links.get(linkId);
      const origin = link ? this.nodes.get(link.originId) : undefined;
      if (!origin || !REROUTE_TYPES.has(origin.type)) return origin;
      const next = origin.inputs?.[0]?.link;
      if (next === null || next === undefined) return undefined;
      linkId = next;
    }
    return undefined;
  }

  /** The widgets a primitive feeds: `[node, widget name]`, through reroutes. */
  private primitiveTargets(primitive: RawNode): [RawNode, string][] {
    const targets: [RawNode, string][] = [];
    const visit = (node: RawNode, depth: number) => {
      for (const output of node.outputs ?? []) {
        for (const linkId of output.links ?? []) {
          const link = this.links.get(linkId);
          const target = link ? this.nodes.get(link.targetId) : undefined;
          if (!link || !target) continue;
          if (REROUTE_TYPES.has(target.type) && depth < 64) visit(target, depth + 1);
          else {
            const input = target.inputs?.[link.targetSlot];
            if (input) targets.push([target, input.widget?.name ?? input.name]);
          }
        }
      }
    };
    visit(primitive, 0);
    return targets;
  }

  private updateLinks(
    id: string,
    node: RawNode,
    before: Record<string, ApiInputValue>,
    now: Record<string, ApiInputValue>,
  ): void {
    for (const [name, value] of Object.entries(before)) {
      if (isApiLink(value) && !isApiLink(now[name])) this.disconnectInput(node, name);
    }
    for (const [name, value] of Object.entries(now)) {
      if (!isApiLink(value) || sameValue(before[name], value)) continue;
      const source = this.byApiId.get(value[0]);
      if (!source) {
        this.warn({
          nodeId: id,
          message: `input "${name}" links to node ${value[0]}, which is inside a subgraph or not in the document: left unconnected`,
        });
        this.disconnectInput(node, name);
        continue;
      }
      this.connect(source, value[1], node, name);
    }
  }

  private disconnectInput(node: RawNode, name: string): void {
    const input = node.inputs?.find((i) => (i.widget?.name ?? i.name) === name);
    if (input?.link !== null && input?.link !== undefined) this.links.disconnect(input.link, this.nodes);
  }

  private connect(source: RawNode, slot: number, target: RawNode, name: string): void {
    this.disconnectInput(target, name);
    source.outputs ??= [];
    const outputs = source.outputs;
    const def = this.catalog.nodes.get(source.type);
    while (outputs.length <= slot) {
      const index = outputs.length;
      outputs.push({
        name: def?.outputs[index]?.name ?? `output ${index}`,
        type: "*",
        links: [],
        slot_index: index,
      });
    }
    const output = outputs[slot]!;
    target.inputs ??= [];
    const inputs = target.inputs;
    let index = inputs.findIndex((i) => (i.widget?.name ?? i.name) === name);
    if (index < 0) {
      const input = this.catalog.nodes.get(target.type)?.inputs.find((i) => i.name === name);
      const isWidget = input !== undefined && WIDGET_KINDS.has(input.kind);
      inputs.push({
        name,
        type: input ? socketType(input) : output.type,
        ...(isWidget ? { widget: { name } } : {}),
        link: null,
      });
      index = inputs.length - 1;
    }
    const linkId = this.links.add(source, slot, target, index, output.type);
    output.links = [...(output.links ?? []), linkId];
    inputs[index]!.link = linkId;
  }

  private removeNode(node: RawNode): void {
    for (const input of node.inputs ?? [])
      if (input.link !== null) this.links.disconnect(input.link, this.nodes);
    for (const output of node.outputs ?? [])
      for (const linkId of [...(output.links ?? [])]) this.links.disconnect(linkId, this.nodes);
    this.doc.nodes.splice(this.doc.nodes.indexOf(node), 1);
    this.nodes.delete(String(node.id));
    for (const [apiId, n] of this.byApiId) if (n === node) this.byApiId.delete(apiId);
  }

  /** New nodes: a column right of the document's nodes, in prompt order. */
  private addNodes(ids: readonly string[], prompt: ApiPrompt): void {
    if (ids.length === 0) return;
    let x = 0;
    let y = Number.POSITIVE_INFINITY;
    for (const node of this.doc.nodes) {
      const [px, py] = pair(node.pos);
      const [w] = pair(node.size);
      x = Math.max(x, px + w);
      y = Math.min(y, py);
    }
    x = this.doc.nodes.length > 0 ? x + 100 : 0;
    y = Number.isFinite(y) ? y : 0;
    for (const id of ids) {
      const apiNode = prompt[id]!;
      const def = this.catalog.nodes.get(apiNode.class_type);
      const uiId = /^[1-9]\d{0,8}$/.test(id) && !this.nodes.has(id) ? Number(id) : ++this.lastNodeId;
      this.lastNodeId = Math.max(this.lastNodeId, uiId);
      const created = newUiNode(uiId, apiNode, def, this.options) as unknown as RawNode;
      if (String(uiId) !== id) comfyTsProperties(created).id = id;
      const at: [number, number] = [x, y];
      created.pos = at;
      y += pair(created.size)[1] + 60;
      // Links are made afterwards, from the prompt.
      for (const input of created.inputs ?? []) input.link = null;
      this.doc.nodes.push(created);
      this.nodes.set(String(uiId), created);
      this.byApiId.set(id, created);
      this.warn({ nodeId: id, message: `new in the module: placed at [${at[0]}, ${at[1]}] in the editor` });
    }
  }

  private writeCounters(): void {
    const lastLinkId = this.links.lastId;
    if ("last_node_id" in this.doc || !("state" in this.doc)) {
      this.doc["last_node_id"] = this.lastNodeId;
      this.doc["last_link_id"] = lastLinkId;
    }
    const state = this.doc["state"] as Record<string, unknown> | undefined;
    if (state) {
      state["lastNodeId"] = this.lastNodeId;
      state["lastLinkId"] = lastLinkId;
    }
  }
}

/** The document's `links`, in its own form: arrays (0.4) or objects (1). */
class LinkTable {
  private readonly list: unknown[];
  private readonly objects: boolean;
  lastId: number;

  constructor(doc: RawDocument) {
    this.list = doc.links ??= [];
    const first = this.list.find((l) => l !== null);
    this.objects = first !== undefined ? !Array.isArray(first) : doc["version"] === 1;
    this.lastId = Math.max(
      0,
      numberOr(doc["last_link_id"], 0),
      numberOr((doc["state"] as Record<string, unknown> | undefined)?.["lastLinkId"], 0),
      ...this.list.map((l) => (l === null ? 0 : (this.ends(l)?.id ?? 0))),
    );
  }

  get(id: number): LinkEnds | undefined {
    for (const l of this.list) {
      const ends = l === null ? undefined : this.ends(l);
      if (ends?.id === id) return ends;
    }
    return undefined;
  }

  add(source: RawNode, slot: number, target: RawNode, targetSlot: number, type: unknown): number {
    const id = ++this.lastId;
    this.list.push(
      this.objects
        ? { id, origin_id: source.id, origin_slot: slot, target_id: target.id, target_slot: targetSlot, type }
        : [id, source.id, slot, target.id, targetSlot, type],
    );
    return id;
  }

  /** Removes link `id` and its two ends (the origin's `links` list, the target input's `link`). */
  disconnect(id: number, nodes: ReadonlyMap<string, RawNode>): void {
    const index = this.list.findIndex((l) => l !== null && this.ends(l)?.id === id);
    if (index < 0) return;
    const ends = this.ends(this.list[index])!;
    this.list.splice(index, 1);
    const origin = nodes.get(ends.originId)?.outputs?.[ends.originSlot];
    if (origin?.links) origin.links = origin.links.filter((l) => l !== id);
    const target = nodes.get(ends.targetId)?.inputs?.[ends.targetSlot];
    if (target?.link === id) target.link = null;
  }

  private ends(l: unknown): LinkEnds | undefined {
    if (Array.isArray(l)) {
      return {
        id: Number(l[0]),
        originId: String(l[1]),
        originSlot: Number(l[2]),
        targetId: String(l[3]),
        targetSlot: Number(l[4]),
      };
    }
    if (typeof l !== "object" || l === null) return undefined;
    const o = l as Record<string, unknown>;
    return {
      id: Number(o["id"]),
      originId: String(o["origin_id"]),
      originSlot: Number(o["origin_slot"]),
      targetId: String(o["target_id"]),
      targetSlot: Number(o["target_slot"]),
    };
  }
}

/** `properties["comfy-ts"]` of a node, created when missing. */
function comfyTsProperties(node: RawNode): ComfyTsNodeProperties {
  node.properties ??= {};
  node.properties[COMFY_TS_PROPERTY] ??= {};
  return node.properties[COMFY_TS_PROPERTY] as ComfyTsNodeProperties;
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

function pair(value: unknown): [number, number] {
  if (Array.isArray(value)) return [numberOr(value[0], 0), numberOr(value[1], 0)];
  if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    return [numberOr(o["0"], 0), numberOr(o["1"], 0)];
  }
  return [0, 0];
}

function unwrap(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const inner = (value as { __value__?: unknown }).__value__;
    if (Array.isArray(inner) && Object.keys(value).length === 1) return inner;
  }
  return value;
}

/** Equality of API input values: links, literals, bigints (as their digits), nested lists and objects. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "bigint" || typeof b === "bigint") {
    return (typeof a === "bigint" || typeof a === "number") && String(a) === String(b);
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function sameNode(a: ApiPrompt[string], b: ApiPrompt[string]): boolean {
  return a.class_type === b.class_type && sameValue(a.inputs, b.inputs);
}
