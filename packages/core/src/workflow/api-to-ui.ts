import type { InputDef, NodeCatalog, NodeDef } from "../catalog/types.js";
import { WIDGET_KINDS } from "../catalog/types.js";
import type { ApiPrompt } from "../compile/api-prompt.js";
import { isApiLink } from "../compile/api-prompt.js";
import { escapeDynamicPrompt } from "./dynamic-prompt.js";
import { UnknownNodeTypeError, type WorkflowErrorOptions } from "./errors.js";
import { layoutGraph } from "./layout.js";
import type { ConversionWarning } from "./ui-to-api.js";
import { slotsOf, type WidgetSlot, widgetDefault, widgetSlots } from "./widget-layout.js";

/** A UI workflow document (version 0.4) as written by `apiToUi`; `JSON.stringify` it to save a file. */
export interface UiWorkflowDocument {
  id: string;
  revision: number;
  last_node_id: number;
  last_link_id: number;
  nodes: UiNodeDocument[];
  links: [
    id: number,
    originId: number,
    originSlot: number,
    targetId: number,
    targetSlot: number,
    type: string,
  ][];
  groups: unknown[];
  config: Record<string, unknown>;
  extra: { ds: { scale: number; offset: [number, number] }; [key: string]: unknown };
  version: 0.4;
}

export interface UiNodeDocument {
  id: number;
  type: string;
  title?: string;
  pos: [number, number];
  size: [number, number];
  flags: Record<string, unknown>;
  order: number;
  mode: number;
  inputs: { name: string; type: string; link: number | null; widget?: { name: string } }[];
  outputs: { name: string; type: string; links: number[]; slot_index: number }[];
  properties: Record<string, unknown>;
  widgets_values: unknown[] | Record<string, unknown>;
}

export interface ApiToUiOptions extends WorkflowErrorOptions {
  /** A class the catalog does not define: `"error"` (default) or `"keep"` (an untyped node the editor shows as missing). */
  readonly unknownNodes?: "error" | "keep";
  /** Mode stored after `control_after_generate` widgets: `"fixed"` (default) keeps seeds as they are. */
  readonly controlMode?: "fixed" | "increment" | "decrement" | "randomize";
  /** Document id (the editor uses a UUID); default: derived from the prompt, so output is deterministic. */
  readonly id?: string;
  readonly onWarning?: (warning: ConversionWarning) => void;
}

/**
 * `properties["comfy-ts"]` of nodes written by `apiToUi`: what the UI format cannot hold, so that
 * `uiToApi` gives back the original prompt. The editor keeps unknown properties and ignores them.
 */
export const COMFY_TS_PROPERTY = "comfy-ts";

export interface ComfyTsNodeProperties {
  /** The prompt's id when it is not a plain number (`"57:12"`, a name). */
  id?: string;
  /** Literal inputs the catalog's definition does not declare. */
  inputs?: Record<string, unknown>;
}

const NODE_WIDTH = 315;
const TITLE_HEIGHT = 30;
const SLOT_HEIGHT = 20;
const WIDGET_HEIGHT = 24;
const MULTILINE_HEIGHT = 80;

/**
 * Converts an API prompt to a UI workflow that opens (and runs) in ComfyUI's editor: one node per
 * prompt node with its title, widget values in the editor's order (including the control value after
 * seeds and the upload button value), sockets and links, laid out left to right by dependency.
 * Converting the result back with `uiToApi` gives the same inputs.
 */
export function apiToUi(
  prompt: ApiPrompt,
  catalog: NodeCatalog,
  options: ApiToUiOptions = {},
): UiWorkflowDocument {
  const apiIds = Object.keys(prompt);
  const uiIds = assignUiIds(apiIds);
  const nodes = new Map<string, UiNodeDocument>();
  const defs = new Map<string, NodeDef | undefined>();

  for (const apiId of apiIds) {
    const apiNode = prompt[apiId]!;
    const def = catalog.nodes.get(apiNode.class_type);
    if (!def && options.unknownNodes !== "keep")
      throw new UnknownNodeTypeError(
        apiId,
        apiNode.class_type,
        options,
        catalog.problems.find((p) => p.classType === apiNode.class_type),
      );
    defs.set(apiId, def);
    const uiNode = newUiNode(uiIds.get(apiId)!, apiNode, def, options);
    if (String(uiNode.id) !== apiId) comfyTsProperties(uiNode).id = apiId;
    nodes.set(apiId, uiNode);
  }

  const links: UiWorkflowDocument["links"] = [];
  for (const apiId of apiIds) {
    const apiNode = prompt[apiId]!;
    const target = nodes.get(apiId)!;
    for (const [name, value] of Object.entries(apiNode.inputs)) {
      if (!isApiLink(value)) continue;
      const [sourceId, slot] = value;
      const source = nodes.get(sourceId);
      if (!source) {
        options.onWarning?.({
          nodeId: apiId,
          message: `input "${name}" links to node ${sourceId}, which is not in the prompt (dropped)`,
        });
        continue;
      }
      const sourceDef = defs.get(sourceId);
      while (source.outputs.length <= slot) {
        const index = source.outputs.length;
        source.outputs.push({
          name: sourceDef?.outputs[index]?.name ?? `output ${index}`,
          type: "*",
          links: [],
          slot_index: index,
        });
      }
      const output = source.outputs[slot]!;
      const linkId = links.length + 1;
      const targetSlot = connectInput(target, defs.get(apiId), name, linkId, output.type);
      output.links.push(linkId);
      links.push([linkId, source.id, slot, target.id, targetSlot, output.type]);
    }
  }

  const list = [...nodes.values()];
  const sources = new Map(list.map((n) => [n.id, [] as string[]]));
  for (const [, originId, , targetId] of links) sources.get(targetId)?.push(String(originId));
  const placements = layoutGraph(
    list.map((n) => ({
      id: String(n.id),
      width: n.size[0],
      height: n.size[1] + TITLE_HEIGHT,
      sources: sources.get(n.id) ?? [],
    })),
  );
  for (const n of list) {
    const p = placements.get(String(n.id))!;
    n.pos = [p.x, p.y + TITLE_HEIGHT];
  }
  // The editor's execution-order hint: by column, then row.
  list.sort((a, b) => a.pos[0] - b.pos[0] || a.pos[1] - b.pos[1]);
  list.forEach((n, i) => {
    n.order = i;
  });

  return {
    id: options.id ?? documentId(prompt),
    revision: 0,
    last_node_id: Math.max(0, ...list.map((n) => n.id)),
    last_link_id: links.length,
    nodes: list,
    links,
    groups: [],
    config: {},
    extra: { ds: { scale: 1, offset: [0, 0] } },
    version: 0.4,
  };
}

/** Numeric API ids are kept; other ids (`"57:12"`, names) get the next free numbers, in prompt order. */
function assignUiIds(apiIds: readonly string[]): Map<string, number> {
  const ids = new Map<string, number>();
  const used = new Set<number>();
  for (const id of apiIds) {
    if (/^[1-9]\d{0,8}$/.test(id)) {
      ids.set(id, Number(id));
      used.add(Number(id));
    }
  }
  let next = Math.max(0, ...used) + 1;
  for (const id of apiIds) {
    if (ids.has(id)) continue;
    ids.set(id, next);
    used.add(next++);
  }
  return ids;
}

/** What shapes one new editor node besides its prompt node: the control mode stored after each control widget. */
export interface NewUiNodeOptions extends ApiToUiOptions {
  /** The mode after widget `name` (default: `controlMode`, else `"fixed"`). */
  readonly controlModes?: (name: string) => string | undefined;
}

/** One editor node for a prompt node: typed from its definition, or untyped (widget values by name) without one. */
export function newUiNode(
  id: number,
  apiNode: ApiPrompt[string],
  def: NodeDef | undefined,
  options: NewUiNodeOptions = {},
): UiNodeDocument {
  return def ? typedNode(id, apiNode, def, options) : untypedNode(id, apiNode);
}

function typedNode(
  id: number,
  apiNode: ApiPrompt[string],
  def: NodeDef,
  options: NewUiNodeOptions,
): UiNodeDocument {
  const inputs: UiNodeDocument["inputs"] = [];
  for (const input of def.inputs) {
    if (!WIDGET_KINDS.has(input.kind) || input.forceInput)
      inputs.push({ name: input.name, type: socketType(input), link: null });
  }
  const widgetsValues: unknown[] = [];
  let height = TITLE_HEIGHT + SLOT_HEIGHT * Math.max(inputs.length, def.outputs.length);
  const pushWidgets = (slots: readonly WidgetSlot[]) => {
    for (const slot of slots) {
      if (slot.forceInput) continue;
      const given = apiNode.inputs[slot.name];
      let value: unknown = given === undefined || isApiLink(given) ? widgetDefault(slot.input) : given;
      if (isListLiteral(value)) value = value.__value__;
      // The editor rewrites dynamic-prompt strings when it queues them; escaping keeps the text as is.
      if (slot.input.kind === "string" && slot.input.dynamicPrompts && typeof value === "string")
        value = escapeDynamicPrompt(value);
      widgetsValues.push(value ?? null);
      height += slot.input.kind === "string" && slot.input.multiline ? MULTILINE_HEIGHT : WIDGET_HEIGHT;
      if (slot.control) {
        widgetsValues.push(options.controlModes?.(slot.name) ?? options.controlMode ?? "fixed");
        if (slot.filterList) widgetsValues.push("");
      }
      if (slot.uploadButton !== undefined) widgetsValues.push(slot.uploadButton);
      if (slot.input.kind === "dynamic_combo") {
        const choice = slot.input.choices.find((c) => c.key === value);
        if (choice)
          pushWidgets(
            slotsOf(
              choice.inputs.map((child) => ({ ...child, name: `${slot.name}.${child.name}` }) as InputDef),
            ),
          );
      }
    }
  };
  pushWidgets(widgetSlots(def));
  // Literal inputs the definition does not declare (older or newer node versions, editor artefacts)
  // are kept aside so that converting back restores them; the editor ignores them.
  const declared = new Set(def.inputs.map((i) => i.name));
  const extra: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(apiNode.inputs)) {
    if (!declared.has(name) && !isApiLink(value) && !/^[^.]+\./.test(name)) extra[name] = value;
  }
  const title = apiNode._meta?.title;
  return {
    id,
    type: def.classType,
    ...(typeof title === "string" && title !== def.displayName ? { title } : {}),
    pos: [0, 0],
    size: [NODE_WIDTH, Math.max(height, 2 * TITLE_HEIGHT)],
    flags: {},
    order: 0,
    mode: 0,
    inputs,
    outputs: def.outputs.map((o) => ({ name: o.name, type: o.type, links: [], slot_index: o.index })),
    properties: {
      "Node name for S&R": def.classType,
      ...(Object.keys(extra).length > 0 ? { [COMFY_TS_PROPERTY]: { inputs: extra } } : {}),
    },
    widgets_values: widgetsValues,
  };
}

function comfyTsProperties(node: UiNodeDocument): ComfyTsNodeProperties {
  const existing = node.properties[COMFY_TS_PROPERTY] as ComfyTsNodeProperties | undefined;
  if (existing) return existing;
  const created: ComfyTsNodeProperties = {};
  node.properties[COMFY_TS_PROPERTY] = created;
  return created;
}

/** A node of a class the catalog does not know: literal inputs kept by name (object-form widget values). */
function untypedNode(id: number, apiNode: ApiPrompt[string]): UiNodeDocument {
  const literals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(apiNode.inputs)) if (!isApiLink(value)) literals[name] = value;
  const title = apiNode._meta?.title;
  return {
    id,
    type: apiNode.class_type,
    ...(typeof title === "string" ? { title } : {}),
    pos: [0, 0],
    size: [NODE_WIDTH, TITLE_HEIGHT + WIDGET_HEIGHT * Math.max(1, Object.keys(apiNode.inputs).length)],
    flags: {},
    order: 0,
    mode: 0,
    inputs: [],
    outputs: [],
    properties: { "Node name for S&R": apiNode.class_type },
    widgets_values: literals,
  };
}

/** Connects link `linkId` to input `name`: a socket, or a widget turned into a socket. Returns the slot index. */
function connectInput(
  target: UiNodeDocument,
  def: NodeDef | undefined,
  name: string,
  linkId: number,
  type: string,
): number {
  let index = target.inputs.findIndex((i) => i.name === name);
  if (index < 0) {
    const input = def?.inputs.find((i) => i.name === name);
    const isWidget = input !== undefined && WIDGET_KINDS.has(input.kind);
    target.inputs.push({
      name,
      type: input ? socketType(input) : type,
      ...(isWidget ? { widget: { name } } : {}),
      link: null,
    });
    index = target.inputs.length - 1;
    target.size[1] += SLOT_HEIGHT;
  }
  target.inputs[index]!.link = linkId;
  return index;
}

/** The socket type the editor shows for an input. */
export function socketType(input: InputDef): string {
  switch (input.kind) {
    case "socket":
      return input.types.join(",");
    case "int":
      return "INT";
    case "float":
      return "FLOAT";
    case "string":
      return "STRING";
    case "boolean":
      return "BOOLEAN";
    case "combo":
      return "COMBO";
    default:
      return input.rawType;
  }
}

function isListLiteral(value: unknown): value is { __value__: unknown[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { __value__?: unknown }).__value__)
  );
}

/** A stable UUID-shaped id from the prompt's class types and ids (FNV-1a), so the same prompt gives the same file. */
function documentId(prompt: ApiPrompt): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const [id, node] of Object.entries(prompt)) {
    for (const ch of `${id}:${node.class_type};`) {
      h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ ch.charCodeAt(0), 0x811c9dc5) >>> 0;
    }
  }
  const hex = (h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0")).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
