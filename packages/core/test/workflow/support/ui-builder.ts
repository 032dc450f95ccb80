/** Terse builders for hand-written UI workflows in tests (version 0.4, links as arrays). */

export interface NodeSpec {
  mode?: number;
  title?: string;
  wv?: unknown[] | Record<string, unknown>;
  /** `[name, type, link]` or `[name, type, link, widgetName]`. */
  inputs?: (readonly [string, string, number | null] | readonly [string, string, number | null, string])[];
  /** `[name, type]` */
  outputs?: (readonly [string, string])[];
  properties?: Record<string, unknown>;
}

export function node(id: number | string, type: string, spec: NodeSpec = {}): Record<string, unknown> {
  return {
    id,
    type,
    pos: [0, 0],
    size: [200, 100],
    flags: {},
    order: 0,
    mode: spec.mode ?? 0,
    ...(spec.title === undefined ? {} : { title: spec.title }),
    inputs: (spec.inputs ?? []).map(([name, type, link, widget]) => ({
      name,
      type,
      link,
      ...(widget === undefined ? {} : { widget: { name: widget } }),
    })),
    outputs: (spec.outputs ?? []).map(([name, type]) => ({ name, type, links: [] })),
    properties: spec.properties ?? {},
    ...(spec.wv === undefined ? {} : { widgets_values: spec.wv }),
  };
}

export type LinkSpec = readonly [
  id: number,
  origin: number | string,
  originSlot: number,
  target: number | string,
  targetSlot: number,
  type: string,
];

export function workflow(
  nodes: Record<string, unknown>[],
  links: LinkSpec[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    last_node_id: nodes.length,
    last_link_id: links.length,
    nodes,
    links,
    groups: [],
    config: {},
    extra: {},
    version: 0.4,
    ...extra,
  };
}

/** A subgraph definition in the v1 form used inside `definitions.subgraphs`. */
export function subgraph(
  id: string,
  spec: {
    inputs: (readonly [string, string])[];
    outputs: (readonly [string, string])[];
    nodes: Record<string, unknown>[];
    links: LinkSpec[];
  },
): Record<string, unknown> {
  const links = spec.links.map(([lid, o, os, t, ts, type]) => ({
    id: lid,
    origin_id: o,
    origin_slot: os,
    target_id: t,
    target_slot: ts,
    type,
  }));
  return {
    id,
    version: 1,
    name: `subgraph ${id}`,
    inputNode: { id: -10, bounding: [0, 0, 10, 10] },
    outputNode: { id: -20, bounding: [0, 0, 10, 10] },
    inputs: spec.inputs.map(([name, type], i) => ({
      id: `${id}-in-${i}`,
      name,
      type,
      linkIds: links.filter((l) => l.origin_id === -10 && l.origin_slot === i).map((l) => l.id),
    })),
    outputs: spec.outputs.map(([name, type], i) => ({
      id: `${id}-out-${i}`,
      name,
      type,
      linkIds: links.filter((l) => l.target_id === -20 && l.target_slot === i).map((l) => l.id),
    })),
    widgets: [],
    nodes: spec.nodes,
    links,
  };
}
