import {
  type InputDef,
  type NodeCatalog,
  type NodeDef,
  outputPropertyNames,
  WIDGET_KINDS,
} from "@comfy-ts/core/catalog";
import { expandInput, lit, T } from "./input-types.js";
import { docText, nodeDocs } from "./jsdoc.js";
import type { InputModel, ModuleModel, NodeModel, RuntimeSpec } from "./module-model.js";
import { assignIdentifiers, compareCodeUnits, propertyKey } from "./naming.js";
import { type GenerateOptions, type ResolvedOptions, resolveOptions } from "./options.js";

/** Names the generated module declares itself; node identifiers never take them. */
export const MODULE_NAMES: readonly string[] = ["HEADER", "nodes", "Inputs", ...Object.values(T), "$f"];

/**
 * The structures stage: a parsed catalog → plain data for every node (identifier, input properties,
 * handle type, runtime spec, docs). No I/O and no text formatting beyond type expressions.
 */
export function buildModule(catalog: NodeCatalog, options: GenerateOptions = {}): ModuleModel {
  const resolved = resolveOptions(options);
  const ids = assignIdentifiers(catalog.nodes.keys(), MODULE_NAMES);
  const nodes = [...catalog.nodes.values()].map((def) => buildNode(def, ids.get(def.classType)!, resolved));
  nodes.sort((a, b) => compareCodeUnits(a.identifier, b.identifier));
  const skipped = catalog.problems
    .map((p) => ({ classType: p.classType, reason: `${p.path ? `${p.path}: ` : ""}${p.message}` }))
    .sort((a, b) => compareCodeUnits(a.classType, b.classType));
  return { nodes, skipped };
}

/** Whether compile fills this input in when the author leaves it out. */
function defaultOf(input: InputDef): { has: boolean; value?: unknown } {
  if (!input.required || input.forceInput || !WIDGET_KINDS.has(input.kind)) return { has: false };
  const value = (input as { default?: unknown }).default;
  return value === undefined ? { has: false } : { has: true, value };
}

export function buildNode(def: NodeDef, identifier: string, options: ResolvedOptions): NodeModel {
  const ctx = { classType: def.classType, options };
  const inputs: InputModel[] = [];
  const seen = new Set<string>();
  // No prototype: an input may be called `__proto__`.
  const defaults: Record<string, unknown> = Object.create(null);
  for (const input of def.inputs) {
    if (seen.has(input.name)) continue;
    const d = defaultOf(input);
    if (d.has) defaults[input.name] = d.value;
    for (const model of expandInput(input, input.name, input.required && !d.has, ctx)) {
      if (seen.has(model.key)) continue;
      seen.add(model.key);
      inputs.push(model);
    }
  }
  const outputs: RuntimeSpec["outputs"] = def.outputs.map((o) => {
    const type = o.matchType !== undefined ? "*" : o.type;
    return o.isList ? ([type, o.name, true] as const) : ([type, o.name] as const);
  });
  const names = outputPropertyNames(outputs);
  const outputTypes = def.outputs.map((o, slot) => {
    const type = outputs[slot]![0];
    if (type === "*") return T.anyOutput;
    return o.isList ? `${T.listOutput}<${lit(type)}>` : `${T.output}<${lit(type)}>`;
  });
  const outputDocs =
    def.outputs.length === 0
      ? "Outputs: none."
      : `Outputs: ${def.outputs
          .map((o, slot) => {
            const name = names[slot];
            const access = name === undefined ? `[${slot}]` : `.${name}`;
            return `\`${docText(access)}\` ${docText(o.type)}${o.isList ? " (list)" : ""}`;
          })
          .join(", ")}.`;
  return {
    classType: def.classType,
    identifier,
    docs: nodeDocs(def, outputDocs),
    deprecated: def.deprecated,
    inputs,
    handle: handleType(outputTypes, names, outputs),
    spec: {
      classType: def.classType,
      outputs,
      outputNode: def.outputNode,
      inputOrder: inputs.filter((i) => !i.pattern).map((i) => i.key),
      defaults,
      displayName: def.displayName,
    },
  };
}

function handleType(
  types: readonly string[],
  names: readonly (string | undefined)[],
  outputs: RuntimeSpec["outputs"],
): string {
  if (types.length === 0) return T.outputNode;
  const only = types[0]!;
  if (types.length === 1 && only.startsWith(`${T.output}<`)) {
    const name = names[0];
    const type = outputs[0]![0];
    if (name === type) return `${T.single}<${lit(type)}>`;
    return `${T.single}<${lit(type)}, ${name === undefined ? "never" : lit(name)}>`;
  }
  const members: string[] = [];
  types.forEach((type, slot) => {
    const name = names[slot];
    if (name !== undefined) members.push(`readonly ${propertyKey(name)}: ${type}`);
  });
  types.forEach((type, slot) => {
    members.push(`readonly ${slot}: ${type}`);
  });
  const body = `{ ${members.join("; ")} }`;
  if (types.length === 1) return `${T.handle} & ${only} & ${body}`;
  return `${T.multi}<${body}>`;
}
