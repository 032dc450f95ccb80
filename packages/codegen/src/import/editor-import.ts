import type { ApiPrompt, NodeCatalog } from "@comfy-ts/core/catalog";
import {
  NodeMode,
  type UiGraph,
  type UiToApiOptions,
  type UiWorkflow,
  uiToApi,
  VIRTUAL_NODE_TYPES,
} from "@comfy-ts/core/workflow";
import type { EditorNote, WorkflowParameter } from "./emit-workflow-module.js";

/** An editor node the module does not hold (it stays in the editor document), and why. */
export interface KeptInEditor {
  readonly nodeId: string;
  readonly type: string;
  readonly reason: "note" | "primitive" | "reroute" | "frontend-only" | "muted" | "bypassed";
}

export interface EditorImport {
  /** What the editor would queue: the module's nodes. */
  readonly prompt: ApiPrompt;
  /** PrimitiveNode values, as workflow parameters. */
  readonly parameters: readonly WorkflowParameter[];
  readonly notes: readonly EditorNote[];
  /** Nodes the module does not hold; `comfy-ts export --to ui` restores them from the editor document. */
  readonly keptInEditor: readonly KeptInEditor[];
}

const NOTE_TYPES: ReadonlySet<string> = new Set([
  "Note",
  "MarkdownNote",
  "Note Plus (mtb)",
  "Label (rgthree)",
]);

/**
 * Reads an editor (UI) workflow for `comfy-ts import --to ts`: the prompt the editor would queue, its
 * PrimitiveNodes as workflow parameters (one per primitive, named after its title or the first widget
 * it feeds), its notes, and the list of nodes that only the editor document keeps (notes, reroutes,
 * primitives, muted and bypassed nodes), so the import can say what the module leaves out and why.
 */
export function importEditorWorkflow(
  workflow: UiWorkflow,
  catalog: NodeCatalog,
  options: Omit<UiToApiOptions, "onPrimitiveValue"> = {},
): EditorImport {
  const primitives = new Map<
    string,
    { name: string; value: unknown; inputs: WorkflowParameter["inputs"][number][] }
  >();
  const prompt = uiToApi(workflow, catalog, {
    ...options,
    onPrimitiveValue(use) {
      let entry = primitives.get(use.primitiveId);
      if (!entry) {
        entry = { name: use.title ?? use.input, value: use.value, inputs: [] };
        primitives.set(use.primitiveId, entry);
      }
      entry.inputs.push({ nodeId: use.nodeId, input: use.input });
    },
  });
  const notes: EditorNote[] = [];
  const keptInEditor: KeptInEditor[] = [];
  const visit = (graph: UiGraph, prefix: string) => {
    for (const node of graph.nodes) {
      const nodeId = `${prefix}${node.id}`;
      const subgraph = workflow.subgraphs.get(node.type);
      if (subgraph && node.mode !== NodeMode.muted && node.mode !== NodeMode.bypassed) {
        visit(subgraph, `${nodeId}:`);
        continue;
      }
      const reason = keptReason(node.type, node.mode, catalog);
      if (!reason) continue;
      keptInEditor.push({ nodeId, type: node.type, reason });
      if (reason === "note") {
        const values = node.widgetsValues;
        const text = Array.isArray(values) ? values[0] : values ? Object.values(values)[0] : undefined;
        if (typeof text === "string" && text.trim() !== "")
          notes.push({ id: nodeId, title: node.title, text });
      }
    }
  };
  visit(workflow, "");
  return { prompt, parameters: [...primitives.values()], notes, keptInEditor };
}

function keptReason(type: string, mode: number, catalog: NodeCatalog): KeptInEditor["reason"] | undefined {
  if (mode === NodeMode.muted) return "muted";
  if (mode === NodeMode.bypassed) return "bypassed";
  if (catalog.nodes.has(type)) return undefined;
  if (NOTE_TYPES.has(type)) return "note";
  if (type === "PrimitiveNode") return "primitive";
  if (/reroute/i.test(type)) return "reroute";
  if (VIRTUAL_NODE_TYPES.has(type)) return "frontend-only";
  return undefined;
}

/** One line per kind for `comfy-ts import`: what the module leaves to the editor document, and why. */
export function describeKeptInEditor(kept: readonly KeptInEditor[]): string[] {
  const why: Record<KeptInEditor["reason"], string> = {
    note: "notes (written as comments too)",
    primitive: "primitive nodes (their values are workflow parameters)",
    reroute: "reroutes (links go straight in the module)",
    "frontend-only": "editor-only nodes",
    muted: "muted nodes (they do not run)",
    bypassed: "bypassed nodes (they do not run; links pass through)",
  };
  const lines: string[] = [];
  for (const reason of Object.keys(why) as KeptInEditor["reason"][]) {
    const nodes = kept.filter((k) => k.reason === reason);
    if (nodes.length === 0) continue;
    const shown = nodes.slice(0, 8).map((n) => `${n.nodeId} ${n.type}`);
    if (nodes.length > 8) shown.push(`… ${nodes.length - 8} more`);
    lines.push(`${nodes.length} ${why[reason]}: ${shown.join(", ")}`);
  }
  return lines;
}
