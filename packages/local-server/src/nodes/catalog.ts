import type { ListedOnlyNode, NodeContext, NodeImpl, RawNodeDefinition } from "../execution/node-impl.js";
import { PyFloat } from "./python-repr.js";

/**
 * The static definitions of this server's nodes, for nodes that need to know other nodes' types
 * (which inputs are FLOAT when printing a prompt as Python would, what a linked output is).
 */
const definitions = new Map<string, RawNodeDefinition>();
let sources: { impls: readonly NodeImpl[]; listed: readonly ListedOnlyNode[] } | undefined;

/** Called once by `index.ts` with every node; definitions are built on first use. */
export function registerCatalog(impls: readonly NodeImpl[], listed: readonly ListedOnlyNode[]): void {
  sources = { impls, listed };
  definitions.clear();
}

function definitionOf(classType: string): RawNodeDefinition | undefined {
  if (definitions.size === 0 && sources) {
    const env = { inputFiles: () => [] };
    for (const n of [...sources.impls, ...sources.listed]) definitions.set(n.classType, n.define(env));
  }
  return definitions.get(classType);
}

/** The declared type of an input (`"FLOAT"`, `"INT"`, …, or undefined for combos and unknown inputs). */
export function inputType(classType: string, input: string): string | undefined {
  const def = definitionOf(classType);
  const sections = (def?.input ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const section of ["required", "optional"]) {
    const spec = sections[section]?.[input];
    if (Array.isArray(spec) && typeof spec[0] === "string") return spec[0];
  }
  return undefined;
}

/** The type of output `slot` of a node class. */
export function outputType(classType: string, slot: number): string | undefined {
  const outputs = definitionOf(classType)?.output;
  return Array.isArray(outputs) ? (outputs[slot] as string | undefined) : undefined;
}

/**
 * ComfyUI's IsChangedCache stores each `IS_CHANGED` result in the prompt itself (`"is_changed": [value]`,
 * after the node's other keys), which is how it reaches the PNG metadata. Nodes whose fingerprint is NaN
 * ("always re-run") stand for ComfyUI's `time.time()`.
 */
function isChanged(
  classType: string,
  inputs: Record<string, unknown>,
  ctx: NodeContext | undefined,
): unknown[] | undefined {
  const impl = sources?.impls.find((n) => n.classType === classType);
  if (!impl?.fingerprint || !ctx) return undefined;
  const literals = Object.fromEntries(Object.entries(inputs).filter(([, v]) => !Array.isArray(v)));
  let value: unknown;
  try {
    value = impl.fingerprint(literals, ctx);
  } catch {
    return undefined;
  }
  return [typeof value === "number" && Number.isNaN(value) ? new PyFloat(Date.now() / 1000) : value];
}

/**
 * The prompt as ComfyUI holds it after validation and caching, for `json.dumps`: FLOAT inputs are
 * Python floats (`1.0`, not `1`), and nodes with `IS_CHANGED` carry their `is_changed` value.
 */
export function pythonTypedPrompt(
  prompt: Record<string, unknown>,
  ctx?: NodeContext,
): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [id, raw] of Object.entries(prompt)) {
    const entry = raw as { class_type?: unknown; inputs?: Record<string, unknown> } | undefined;
    if (!entry || typeof entry !== "object" || !entry.inputs || typeof entry.class_type !== "string") {
      typed[id] = raw;
      continue;
    }
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(entry.inputs)) {
      inputs[name] =
        typeof value === "number" && inputType(entry.class_type, name) === "FLOAT"
          ? new PyFloat(value)
          : value;
    }
    const changed = "is_changed" in entry ? undefined : isChanged(entry.class_type, entry.inputs, ctx);
    typed[id] = changed ? { ...entry, inputs, is_changed: changed } : { ...entry, inputs };
  }
  return typed;
}
