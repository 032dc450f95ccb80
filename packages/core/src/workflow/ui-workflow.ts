/**
 * The UI ("workflow") format of ComfyUI's editor, normalized: what `parseUiWorkflow()` returns and the
 * converters read. Both schema versions (0.4 with links as arrays, 1 with links as objects) become
 * the same shape; ids are kept as written (numbers, or strings in some files).
 */

export type UiNodeId = number | string;

/** Node modes of litegraph: 0 always, 1 on event, 2 never (muted), 3 on trigger, 4 bypass. */
export const NodeMode = { always: 0, onEvent: 1, muted: 2, onTrigger: 3, bypassed: 4 } as const;

export interface UiLink {
  readonly id: number;
  readonly originId: UiNodeId;
  readonly originSlot: number;
  readonly targetId: UiNodeId;
  readonly targetSlot: number;
  readonly type: unknown;
}

export interface UiNodeInput {
  readonly name: string;
  readonly type: unknown;
  readonly link: number | null;
  /** Set when the socket belongs to a widget (a widget converted to an input). */
  readonly widgetName: string | undefined;
  readonly label: string | undefined;
}

export interface UiNodeOutput {
  readonly name: string;
  readonly type: unknown;
  readonly links: readonly number[];
}

export interface UiNode {
  readonly id: UiNodeId;
  readonly type: string;
  readonly mode: number;
  readonly title: string | undefined;
  readonly pos: readonly [number, number];
  readonly size: readonly [number, number];
  readonly inputs: readonly UiNodeInput[];
  readonly outputs: readonly UiNodeOutput[];
  /** Widget values in widget order; some custom nodes save an object keyed by widget name. */
  readonly widgetsValues: readonly unknown[] | Readonly<Record<string, unknown>> | undefined;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A socket of a subgraph's boundary (an input or output of the subgraph as a node). */
export interface UiSubgraphSlot {
  readonly name: string;
  readonly type: unknown;
  readonly linkIds: readonly number[];
}

/** One node graph: the top level of a workflow or the inside of a subgraph definition. */
export interface UiGraph {
  readonly nodes: readonly UiNode[];
  readonly links: ReadonlyMap<number, UiLink>;
}

/** A subgraph definition (`definitions.subgraphs[]`): instances are nodes whose `type` is its `id`. */
export interface UiSubgraph extends UiGraph {
  readonly id: string;
  readonly name: string;
  readonly inputs: readonly UiSubgraphSlot[];
  readonly outputs: readonly UiSubgraphSlot[];
}

/** A legacy group node definition (`extra.groupNodes[name]`), used by nodes of type `workflow>name`. */
export interface UiGroupNodeDef {
  readonly name: string;
  readonly nodes: readonly UiNode[];
  /** `[originIndex, originSlot, targetIndex, targetSlot, originId, type]`; indexes point into `nodes`. */
  readonly links: readonly (readonly [number, number, number, number, unknown, unknown])[];
  readonly external: readonly (readonly unknown[])[];
}

/** A parsed UI workflow. */
export interface UiWorkflow extends UiGraph {
  readonly version: 0.4 | 1;
  readonly subgraphs: ReadonlyMap<string, UiSubgraph>;
  readonly groupNodes: ReadonlyMap<string, UiGroupNodeDef>;
  /** The document as read (after JSON parsing), for fields the converters do not model. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Subgraph boundary node ids inside a definition: links from -10 come from inputs, links to -20 feed outputs. */
export const SUBGRAPH_INPUT_NODE_ID = -10;
export const SUBGRAPH_OUTPUT_NODE_ID = -20;
