import { z } from "zod";
import {
  MissingLinkNodeError,
  UnknownWorkflowVersionError,
  type WorkflowErrorOptions,
  WorkflowSchemaError,
  type WorkflowSchemaIssue,
} from "./errors.js";
import { parseWorkflowJson } from "./parse-workflow-json.js";
import {
  SUBGRAPH_INPUT_NODE_ID,
  SUBGRAPH_OUTPUT_NODE_ID,
  type UiGraph,
  type UiGroupNodeDef,
  type UiLink,
  type UiNode,
  type UiNodeId,
  type UiNodeInput,
  type UiSubgraph,
  type UiSubgraphSlot,
  type UiWorkflow,
} from "./ui-workflow.js";

// Old files write slots and ids as numeric strings; sizes as {"0": w, "1": h}.
const slotNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const nodeId = z.union([z.number(), z.string()]);
const linkId = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const vec2 = z
  .union([
    z.tuple([z.number(), z.number()]).rest(z.unknown()),
    z.looseObject({ "0": z.number(), "1": z.number() }).transform((v) => [v["0"], v["1"]] as const),
    z.instanceof(Float32Array).transform((v) => [v[0] ?? 0, v[1] ?? 0] as const),
  ])
  .transform((v) => [v[0], v[1]] as const);

const nodeInputSchema = z.looseObject({
  name: z.string(),
  type: z.unknown(),
  link: linkId.nullish(),
  label: z.string().nullish(),
  widget: z.looseObject({ name: z.string() }).nullish(),
});

const nodeOutputSchema = z.looseObject({
  name: z.string().nullish(),
  type: z.unknown(),
  links: z.array(linkId).nullish(),
});

const nodeSchema = z.looseObject({
  id: nodeId,
  type: z.string(),
  mode: z.number().nullish(),
  title: z.string().nullish(),
  pos: vec2.nullish(),
  size: vec2.nullish(),
  inputs: z.array(nodeInputSchema).nullish(),
  outputs: z.array(nodeOutputSchema).nullish(),
  widgets_values: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});

const arrayLinkSchema = z
  .tuple([linkId, nodeId, slotNumber, nodeId, slotNumber])
  .rest(z.unknown())
  .transform((l) => ({
    id: l[0],
    originId: l[1],
    originSlot: l[2],
    targetId: l[3],
    targetSlot: l[4],
    type: l[5],
  }));

const objectLinkSchema = z
  .looseObject({
    id: linkId,
    origin_id: nodeId,
    origin_slot: slotNumber,
    target_id: nodeId,
    target_slot: slotNumber,
    type: z.unknown(),
  })
  .transform((l) => ({
    id: l.id,
    originId: l.origin_id,
    originSlot: l.origin_slot,
    targetId: l.target_id,
    targetSlot: l.target_slot,
    type: l.type,
  }));

// Deleted links are sometimes saved as null entries.
const linkSchema = z.union([arrayLinkSchema, objectLinkSchema, z.null()]);

const subgraphSlotSchema = z.looseObject({
  name: z.string(),
  type: z.unknown(),
  linkIds: z.array(linkId).nullish(),
});

const subgraphSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  inputs: z.array(subgraphSlotSchema).nullish(),
  outputs: z.array(subgraphSlotSchema).nullish(),
  nodes: z.array(nodeSchema),
  links: z.array(linkSchema).nullish(),
});

const groupNodeSchema = z.looseObject({
  nodes: z.array(nodeSchema.extend({ id: nodeId.nullish(), index: z.number().nullish() })),
  links: z.array(z.array(z.unknown())).nullish(),
  external: z.array(z.array(z.unknown())).nullish(),
});

const workflowSchema = z.looseObject({
  // Checked by readVersion; files from before versioning have none.
  version: z.unknown().optional(),
  nodes: z.array(nodeSchema),
  links: z.array(linkSchema).nullish(),
  definitions: z.looseObject({ subgraphs: z.array(subgraphSchema).nullish() }).nullish(),
  extra: z.looseObject({ groupNodes: z.record(z.string(), groupNodeSchema).nullish() }).nullish(),
});

type RawNode = z.output<typeof nodeSchema>;
type RawLink = z.output<typeof linkSchema>;

export interface ParseUiWorkflowOptions extends WorkflowErrorOptions {
  /** Told about stale links that were ignored. */
  readonly onWarning?: (warning: { readonly nodeId: string; readonly message: string }) => void;
}

/** True when `value` looks like a UI workflow (an object with `nodes` and `links` arrays). */
export function isUiWorkflowJson(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as Record<string, unknown>)["nodes"])
  );
}

/**
 * Reads a UI workflow (File → Save in ComfyUI's editor, or the `workflow` chunk of an image): schema
 * versions 0.4 and 1, subgraph definitions and legacy group nodes. Checks that every link joins
 * existing nodes.
 *
 * @param input the JSON text or the already parsed document
 * @throws WorkflowJsonError, UnknownWorkflowVersionError, WorkflowSchemaError, MissingLinkNodeError
 */
export function parseUiWorkflow(input: string | unknown, options: ParseUiWorkflowOptions = {}): UiWorkflow {
  const doc = typeof input === "string" ? parseWorkflowJson(input, options) : input;
  if (!isUiWorkflowJson(doc)) {
    throw new WorkflowSchemaError(
      "UI workflow",
      [{ path: "", message: "expected an object with a `nodes` array" }],
      options,
    );
  }
  const version = readVersion(doc, options);
  const parsed = workflowSchema.safeParse(doc);
  if (!parsed.success) throw new WorkflowSchemaError("UI workflow", zodIssues(parsed.error), options);
  const data = parsed.data;

  const subgraphs = new Map<string, UiSubgraph>();
  for (const [i, raw] of (data.definitions?.subgraphs ?? []).entries()) {
    const graph = buildGraph(
      raw.nodes,
      raw.links ?? [],
      `definitions.subgraphs[${i}] ("${raw.name ?? raw.id}")`,
      options,
      true,
      `definitions.subgraphs[${i}].nodes`,
    );
    subgraphs.set(raw.id, {
      ...graph,
      id: raw.id,
      name: raw.name ?? raw.id,
      inputs: (raw.inputs ?? []).map(toSlot),
      outputs: (raw.outputs ?? []).map(toSlot),
    });
  }
  const groupNodes = new Map<string, UiGroupNodeDef>();
  for (const [name, raw] of Object.entries(data.extra?.groupNodes ?? {})) {
    groupNodes.set(name, {
      name,
      nodes: raw.nodes.map((n, i) => toNode({ ...n, id: n.index ?? i })),
      links: groupNodeLinks(name, raw.links ?? [], raw.nodes.length, options),
      external: raw.external ?? [],
    });
  }
  const top = buildGraph(data.nodes, data.links ?? [], "links", options, false, "nodes");
  return { ...top, version, subgraphs, groupNodes, raw: doc };
}

/**
 * The links inside a legacy group node definition (`[originIndex, originSlot, targetIndex, targetSlot,
 * originId, type]`, indexes into its nodes). One that cannot join two of its nodes is left out, with a
 * warning: the instances of the group lose that link.
 */
function groupNodeLinks(
  name: string,
  raw: readonly (readonly unknown[])[],
  nodeCount: number,
  options: ParseUiWorkflowOptions,
): UiGroupNodeDef["links"] {
  const links: UiGroupNodeDef["links"][number][] = [];
  for (const [i, link] of raw.entries()) {
    const [origin, originSlot, target, targetSlot] = [link[0], link[1], link[2], link[3]].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const problem = ![origin, originSlot, target, targetSlot].every(Number.isInteger)
      ? `its node indexes and slots are not integers (${JSON.stringify(link.slice(0, 4))})`
      : !(origin >= 0 && origin < nodeCount)
        ? `its origin node index ${origin} is not one of the group's ${nodeCount} nodes`
        : !(target >= 0 && target < nodeCount)
          ? `its target node index ${target} is not one of the group's ${nodeCount} nodes`
          : originSlot < 0 || targetSlot < 0
            ? `a slot is negative (${originSlot} → ${targetSlot})`
            : undefined;
    if (problem !== undefined) {
      options.onWarning?.({
        nodeId: `groupNodes[${JSON.stringify(name)}]`,
        message: `extra.groupNodes[${JSON.stringify(name)}].links[${i}]: ignored (${problem}); instances of the group lose that link`,
      });
      continue;
    }
    links.push([origin, originSlot, target, targetSlot, link[4], link[5]]);
  }
  return links;
}

function readVersion(doc: Record<string, unknown>, options: WorkflowErrorOptions): 0.4 | 1 {
  const v = doc["version"];
  if (v === 0.4 || v === "0.4") return 0.4;
  if (v === 1 || v === "1") return 1;
  // Files from before versioning: infer from the link shape.
  if (v === undefined || v === null) {
    // Links that are not an array are the schema's to report, with their path.
    const links = doc["links"];
    const first = Array.isArray(links) ? links.find((l) => l !== null) : undefined;
    return first !== undefined && !Array.isArray(first) ? 1 : 0.4;
  }
  throw new UnknownWorkflowVersionError(v, options);
}

function buildGraph(
  rawNodes: readonly RawNode[],
  rawLinks: readonly RawLink[],
  where: string,
  options: ParseUiWorkflowOptions,
  isSubgraph: boolean,
  nodesPath: string,
): UiGraph {
  const nodes = rawNodes.map(toNode);
  const ids = new Set<string>();
  // Two nodes with one id would silently become one prompt node: refuse, naming both.
  for (const [i, node] of nodes.entries()) {
    const id = String(node.id);
    if (ids.has(id)) {
      const first = nodes.findIndex((n) => String(n.id) === id);
      throw new WorkflowSchemaError(
        "UI workflow",
        [
          {
            path: `${nodesPath}[${i}].id`,
            message:
              `node id ${id} (${node.type}) is already used by ${nodesPath}[${first}] (${nodes[first]!.type}); ` +
              "the file is damaged or hand-edited: give each node its own id",
          },
        ],
        options,
      );
    }
    ids.add(id);
  }
  if (isSubgraph) {
    ids.add(String(SUBGRAPH_INPUT_NODE_ID));
    ids.add(String(SUBGRAPH_OUTPUT_NODE_ID));
  }
  // Inputs that claim a link: a link joining a missing node is an error only when an input uses it.
  const usedBy = new Map<number, UiNode>();
  for (const node of nodes)
    for (const input of node.inputs) if (input.link !== null) usedBy.set(input.link, node);
  const links = new Map<number, UiLink>();
  for (const link of rawLinks) {
    if (link === null) continue;
    const missing = !ids.has(String(link.originId))
      ? "origin"
      : !ids.has(String(link.targetId))
        ? "target"
        : undefined;
    if (missing) {
      const user = usedBy.get(link.id);
      const fromTo = `from node ${link.originId} slot ${link.originSlot} to node ${link.targetId} slot ${link.targetSlot}`;
      if (user && String(user.id) === String(link.targetId)) {
        throw new MissingLinkNodeError(
          link.id,
          `${where}: input of node ${user.id} (${user.type}) is connected by link ${link.id} to node ` +
            `${link.originId}, which is not in the workflow (${fromTo}); the file is damaged or hand-edited: ` +
            "reconnect or delete that link in the editor and save again",
          options,
        );
      }
      // A stale link no input uses (the editor ignores these too).
      options.onWarning?.({
        nodeId: String(link.targetId),
        message: `${where}: ignored stale link ${link.id} (${fromTo}): its ${missing} node is not in the workflow`,
      });
      continue;
    }
    links.set(link.id, link);
  }
  return { nodes, links };
}

function toNode(raw: RawNode): UiNode {
  return {
    id: raw.id,
    type: raw.type,
    mode: raw.mode ?? 0,
    title: raw.title ?? undefined,
    pos: raw.pos ?? [0, 0],
    size: raw.size ?? [0, 0],
    inputs: (raw.inputs ?? []).map(
      (i): UiNodeInput => ({
        name: i.name,
        type: i.type,
        link: i.link ?? null,
        widgetName: i.widget?.name ?? undefined,
        label: i.label ?? undefined,
      }),
    ),
    outputs: (raw.outputs ?? []).map((o) => ({ name: o.name ?? "", type: o.type, links: o.links ?? [] })),
    widgetsValues: raw.widgets_values ?? undefined,
    properties: raw.properties ?? {},
  };
}

function toSlot(raw: z.output<typeof subgraphSlotSchema>): UiSubgraphSlot {
  return { name: raw.name, type: raw.type, linkIds: raw.linkIds ?? [] };
}

/** Converts zod issues to `{path, message}` with paths like `nodes[3].inputs[0].link`. */
export function zodIssues(error: z.ZodError): WorkflowSchemaIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path
      .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join(""),
    message: issue.message,
  }));
}

export type { UiNodeId };
