import type { ListedOnlyNode, NodeImpl, RawNodeDefinition } from "../execution/node-impl.js";
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
 * The prompt as ComfyUI holds it after validation, for `json.dumps`: FLOAT inputs are Python floats
 * (`1.0`, not `1`).
 */
export function pythonTypedPrompt(prompt: Record<string, unknown>): Record<string, unknown> {
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
    typed[id] = { ...entry, inputs };
  }
  return typed;
}
