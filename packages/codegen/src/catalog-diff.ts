import type { ComboValue, InputDef, NodeCatalog, NodeDef } from "@comfy-ts/core/catalog";
import { compareCodeUnits } from "./naming.js";

/** What changed between two catalogs, node by node. Plain data: print it with `formatCatalogDiff`. */
export interface CatalogDiff {
  readonly addedNodes: readonly string[];
  readonly removedNodes: readonly string[];
  readonly changedNodes: readonly NodeChanges[];
}

export interface NodeChanges {
  readonly classType: string;
  readonly changes: readonly Change[];
}

export type Change =
  | {
      readonly kind: "input_added";
      readonly input: string;
      readonly type: string;
      readonly required: boolean;
    }
  | { readonly kind: "input_removed"; readonly input: string; readonly type: string }
  | { readonly kind: "input_renamed"; readonly from: string; readonly to: string }
  | { readonly kind: "type_changed"; readonly input: string; readonly from: string; readonly to: string }
  | { readonly kind: "required_changed"; readonly input: string; readonly required: boolean }
  | {
      readonly kind: "range_changed";
      readonly input: string;
      readonly field: "min" | "max" | "step";
      readonly from: string | undefined;
      readonly to: string | undefined;
    }
  | {
      readonly kind: "default_changed";
      readonly input: string;
      readonly from: string | undefined;
      readonly to: string | undefined;
    }
  | { readonly kind: "options_added"; readonly input: string; readonly values: readonly ComboValue[] }
  | { readonly kind: "options_removed"; readonly input: string; readonly values: readonly ComboValue[] }
  | { readonly kind: "output_added"; readonly slot: number; readonly type: string; readonly name: string }
  | { readonly kind: "output_removed"; readonly slot: number; readonly type: string; readonly name: string }
  | {
      readonly kind: "output_changed";
      readonly slot: number;
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly kind: "flag_changed";
      readonly flag: "outputNode" | "deprecated" | "experimental";
      readonly value: boolean;
    };

/** A short, comparable description of an input's type (`INT`, `COMBO`, `IMAGE`, `IMAGE|MASK`, `link INT`, …). */
export function describeInputType(input: InputDef): string {
  const link = input.forceInput ? "link " : "";
  switch (input.kind) {
    case "socket":
      return input.types.join("|");
    case "matchtype":
      return `MATCHTYPE(${input.allowedTypes.join("|")})`;
    case "autogrow":
      return `AUTOGROW(${input.template.map(describeInputType).join(",")})`;
    case "dynamic_combo":
      return `${link}DYNAMIC_COMBO`;
    default:
      return `${link}${input.kind.toUpperCase()}`;
  }
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function field(input: InputDef, name: "min" | "max" | "step" | "default"): string | undefined {
  return show((input as unknown as Partial<Record<string, unknown>>)[name]);
}

function signature(input: InputDef): string {
  return [
    describeInputType(input),
    input.required,
    field(input, "default"),
    field(input, "min"),
    field(input, "max"),
  ].join("\u0000");
}

function inputChanges(before: NodeDef, after: NodeDef): Change[] {
  const changes: Change[] = [];
  const oldByName = new Map(before.inputs.map((i) => [i.name, i]));
  const newByName = new Map(after.inputs.map((i) => [i.name, i]));
  const removed = before.inputs.filter((i) => !newByName.has(i.name));
  const added = after.inputs.filter((i) => !oldByName.has(i.name));
  // A removed and an added input with the same type, default and range: a rename.
  for (const gone of [...removed]) {
    const match = added.find((i) => signature(i) === signature(gone));
    if (!match) continue;
    changes.push({ kind: "input_renamed", from: gone.name, to: match.name });
    removed.splice(removed.indexOf(gone), 1);
    added.splice(added.indexOf(match), 1);
  }
  for (const i of removed) changes.push({ kind: "input_removed", input: i.name, type: describeInputType(i) });
  for (const i of added) {
    changes.push({ kind: "input_added", input: i.name, type: describeInputType(i), required: i.required });
  }
  for (const next of after.inputs) {
    const prev = oldByName.get(next.name);
    if (!prev) continue;
    const input = next.name;
    const [from, to] = [describeInputType(prev), describeInputType(next)];
    if (from !== to) changes.push({ kind: "type_changed", input, from, to });
    if (prev.required !== next.required)
      changes.push({ kind: "required_changed", input, required: next.required });
    for (const name of ["min", "max", "step"] as const) {
      const [a, b] = [field(prev, name), field(next, name)];
      if (a !== b) changes.push({ kind: "range_changed", input, field: name, from: a, to: b });
    }
    const [da, db] = [field(prev, "default"), field(next, "default")];
    if (da !== db) changes.push({ kind: "default_changed", input, from: da, to: db });
    const oldValues = comboValues(prev);
    const newValues = comboValues(next);
    if (oldValues && newValues) {
      const oldSet = new Set(oldValues);
      const newSet = new Set(newValues);
      const plus = newValues.filter((v) => !oldSet.has(v));
      const minus = oldValues.filter((v) => !newSet.has(v));
      if (plus.length > 0) changes.push({ kind: "options_added", input, values: plus });
      if (minus.length > 0) changes.push({ kind: "options_removed", input, values: minus });
    }
  }
  return changes;
}

function comboValues(input: InputDef): readonly ComboValue[] | undefined {
  if (input.kind === "combo") return input.values;
  if (input.kind === "dynamic_combo") return input.choices.map((c) => c.key);
  return undefined;
}

function outputChanges(before: NodeDef, after: NodeDef): Change[] {
  const changes: Change[] = [];
  const count = Math.max(before.outputs.length, after.outputs.length);
  for (let slot = 0; slot < count; slot++) {
    const a = before.outputs[slot];
    const b = after.outputs[slot];
    if (a && !b) changes.push({ kind: "output_removed", slot, type: a.type, name: a.name });
    else if (!a && b) changes.push({ kind: "output_added", slot, type: b.type, name: b.name });
    else if (a && b) {
      const from = `${a.type} ${a.name}${a.isList ? " (list)" : ""}`;
      const to = `${b.type} ${b.name}${b.isList ? " (list)" : ""}`;
      if (from !== to) changes.push({ kind: "output_changed", slot, from, to });
    }
  }
  for (const flag of ["outputNode", "deprecated", "experimental"] as const) {
    if (before[flag] !== after[flag]) changes.push({ kind: "flag_changed", flag, value: after[flag] });
  }
  return changes;
}

/** Compares two catalogs: nodes added and removed, and per node what changed in inputs and outputs. */
export function diffCatalogs(before: NodeCatalog, after: NodeCatalog): CatalogDiff {
  const sort = (names: Iterable<string>) => [...names].sort(compareCodeUnits);
  const addedNodes = sort([...after.nodes.keys()].filter((n) => !before.nodes.has(n)));
  const removedNodes = sort([...before.nodes.keys()].filter((n) => !after.nodes.has(n)));
  const changedNodes: NodeChanges[] = [];
  for (const classType of sort(after.nodes.keys())) {
    const a = before.nodes.get(classType);
    const b = after.nodes.get(classType);
    if (!a || !b) continue;
    const changes = [...inputChanges(a, b), ...outputChanges(a, b)];
    if (changes.length > 0) changedNodes.push({ classType, changes });
  }
  return { addedNodes, removedNodes, changedNodes };
}

export function isEmptyDiff(diff: CatalogDiff): boolean {
  return diff.addedNodes.length === 0 && diff.removedNodes.length === 0 && diff.changedNodes.length === 0;
}

function values(list: readonly ComboValue[], max = 8): string {
  const shown = list.slice(0, max).map((v) => JSON.stringify(v));
  return list.length > max ? `${shown.join(", ")} … and ${list.length - max} more` : shown.join(", ");
}

function describeChange(c: Change): string {
  switch (c.kind) {
    case "input_added":
      return `+ input ${c.input}: ${c.type}${c.required ? " (required)" : " (optional)"}`;
    case "input_removed":
      return `- input ${c.input}: ${c.type}`;
    case "input_renamed":
      return `~ input ${c.from} renamed to ${c.to}`;
    case "type_changed":
      return `~ input ${c.input}: type ${c.from} → ${c.to}`;
    case "required_changed":
      return `~ input ${c.input}: now ${c.required ? "required" : "optional"}`;
    case "range_changed":
      return `~ input ${c.input}: ${c.field} ${c.from ?? "none"} → ${c.to ?? "none"}`;
    case "default_changed":
      return `~ input ${c.input}: default ${c.from ?? "none"} → ${c.to ?? "none"}`;
    case "options_added":
      return `~ input ${c.input}: options added: ${values(c.values)}`;
    case "options_removed":
      return `~ input ${c.input}: options removed: ${values(c.values)}`;
    case "output_added":
      return `+ output ${c.slot}: ${c.type} ${c.name}`;
    case "output_removed":
      return `- output ${c.slot}: ${c.type} ${c.name}`;
    case "output_changed":
      return `~ output ${c.slot}: ${c.from} → ${c.to}`;
    case "flag_changed":
      return `~ ${c.flag}: ${c.value}`;
  }
}

/** The diff as text for people: a summary line, then one block per node. */
export function formatCatalogDiff(diff: CatalogDiff): string {
  if (isEmptyDiff(diff)) return "No changes between the catalogs.\n";
  const lines = [
    `Catalog changes: ${diff.addedNodes.length} node(s) added, ${diff.removedNodes.length} removed, ${diff.changedNodes.length} changed.`,
  ];
  for (const n of diff.addedNodes) lines.push(`+ node ${n}`);
  for (const n of diff.removedNodes) lines.push(`- node ${n}`);
  for (const node of diff.changedNodes) {
    lines.push(`~ node ${node.classType}`);
    for (const c of node.changes) lines.push(`    ${describeChange(c)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The diff as JSON text (`--json`). */
export function catalogDiffJson(diff: CatalogDiff): string {
  return `${JSON.stringify(diff, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}
