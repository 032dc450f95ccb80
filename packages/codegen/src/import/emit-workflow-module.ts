import { type ApiPrompt, isApiLink, type NodeCatalog, outputPropertyNames } from "@comfy-ts/core/catalog";
import { buildModule } from "../build-module.js";
import { CodegenError } from "../codegen-error.js";
import { commentText } from "../jsdoc.js";
import type { ModuleModel, NodeModel } from "../module-model.js";
import { compareCodeUnits, isIdentifier, propertyKey } from "../naming.js";
import { camelName, NameScope } from "./variable-names.js";

export interface EmitWorkflowOptions {
  /** Import path of the generated factories, as the module will import it (default `./comfy/nodes.js`). */
  readonly nodesModule?: string;
  /** Module of `workflow` and `node` (default `@comfy-ts/core`). */
  readonly coreModule?: string;
  /** Name of the exported workflow (default `imported`). */
  readonly exportName?: string;
  /** Where the prompt came from, quoted in the header comment (a file name, never a machine path). */
  readonly source?: string;
  /** The codegen model of `catalog`, when already built (saves time for big catalogs). */
  readonly model?: ModuleModel;
  /** `"auto"` (default): pin ids only where compile would assign others; `"always"`: pin every id. */
  readonly pinIds?: "auto" | "always";
  /**
   * Values the editor's PrimitiveNodes fed: each becomes a parameter of the workflow (`({ seed = 42n })`)
   * used by every input it fed, so one edit (or one argument) changes them all.
   */
  readonly parameters?: readonly WorkflowParameter[];
  /** The editor's notes, written as comments above the workflow (the editor document keeps them too). */
  readonly notes?: readonly EditorNote[];
  /** Also `export default` the workflow (default true). */
  readonly defaultExport?: boolean;
}

/** A workflow parameter: its preferred name, its default and the inputs that take it. */
export interface WorkflowParameter {
  /** Preferred name (made a unique lowerCamelCase identifier). */
  readonly name: string;
  readonly value: unknown;
  readonly inputs: readonly { readonly nodeId: string; readonly input: string }[];
}

/** A note of the editor (Note, MarkdownNote). */
export interface EditorNote {
  readonly id: string;
  readonly title?: string | undefined;
  readonly text: string;
}

export interface EmittedWorkflow {
  readonly text: string;
  /** Things the module could not express exactly (links to nodes missing from the prompt). */
  readonly warnings: readonly string[];
  /** Class types written as untyped `node(...)` calls because the catalog lacks them. */
  readonly untyped: readonly string[];
}

interface Planned {
  readonly id: string;
  readonly node: ApiPrompt[string];
  model: NodeModel | undefined;
  variable: string;
  pinned: boolean;
}

const MAX_LINE = 110;

/**
 * Writes an API prompt as a readable TypeScript module on the generated factories: one variable per
 * node (named after its title or class), links as references to those variables, inputs equal to the
 * defaults compile fills in left out, titles kept, ids pinned only where compile would number the
 * nodes differently — so `compile()` of the module gives the prompt back.
 *
 * ```ts
 * emitWorkflowModule(prompt, catalog).text;
 * // import { workflow } from "@comfy-ts/core";
 * // import { CheckpointLoaderSimple, KSampler, … } from "./comfy/nodes.js";
 * // export const imported = workflow(() => {
 * //   const loadCheckpoint = CheckpointLoaderSimple({ ckpt_name: "v1-5.safetensors" }, { id: "4", title: "Load Checkpoint" });
 * //   …
 * ```
 */
export function emitWorkflowModule(
  prompt: ApiPrompt,
  catalog: NodeCatalog,
  options: EmitWorkflowOptions = {},
): EmittedWorkflow {
  const model = options.model ?? buildModule(catalog);
  const byClass = new Map(model.nodes.map((n) => [n.classType, n]));
  const warnings: string[] = [];
  const ordered = topologicalOrder(prompt, warnings, options.source);
  const plans = ordered.map((id): Planned => {
    const node = prompt[id]!;
    return { id, node, model: byClass.get(node.class_type), variable: "", pinned: false };
  });
  const byId = new Map(plans.map((p) => [p.id, p]));
  // A link from an output the catalog's class does not have: the prompt was made with another version
  // of that node; write it untyped so the link is kept.
  for (const plan of plans) {
    for (const value of Object.values(plan.node.inputs)) {
      if (!isApiLink(value)) continue;
      const source = byId.get(value[0]);
      if (source?.model && value[1] >= source.model.spec.outputs.length) {
        warnings.push(
          `node ${source.id} (${source.node.class_type}): output ${value[1]} is used, but the catalog's ${source.node.class_type} has ` +
            `${source.model.spec.outputs.length} outputs; written as an untyped node`,
        );
        source.model = undefined;
      }
    }
  }

  const factories = [...new Set(plans.flatMap((p) => (p.model ? [p.model.identifier] : [])))].sort(
    compareCodeUnits,
  );
  const untyped = [...new Set(plans.filter((p) => !p.model).map((p) => p.node.class_type))].sort(
    compareCodeUnits,
  );
  const exportName = options.exportName ?? "imported";
  const scope = new NameScope([...factories, "workflow", "node", exportName]);
  // Parameters are named first: they read as the workflow's knobs.
  const parameterOf = new Map<string, string>();
  const parameters: string[] = [];
  for (const parameter of options.parameters ?? []) {
    const targets = parameter.inputs.filter((t) => Object.hasOwn(prompt, t.nodeId));
    if (targets.length === 0) continue;
    const name = scope.take(camelName(parameter.name) ?? "value");
    parameters.push(
      `${name} = ${literal(parameter.value, `${options.source ? `${options.source}: ` : ""}parameter "${parameter.name}"`)}`,
    );
    for (const t of targets) parameterOf.set(`${t.nodeId}\u0000${t.input}`, name);
  }
  const usage = consumerInputs(prompt);
  const perClass = new Map<string, number>();
  for (const p of plans) perClass.set(p.node.class_type, (perClass.get(p.node.class_type) ?? 0) + 1);
  for (const plan of plans) {
    // Several nodes of one class read best named after what they feed (`positive`, `negative`).
    const feeds = usage.get(plan.id);
    const role =
      (perClass.get(plan.node.class_type) ?? 0) > 1 && feeds?.size === 1
        ? camelName([...feeds][0]!)
        : undefined;
    plan.variable = scope.take(variableBase(plan, catalog, role));
  }
  pinIds(plans, options.pinIds ?? "auto");

  const consumed = new Set<string>();
  for (const plan of plans)
    for (const v of Object.values(plan.node.inputs)) if (isApiLink(v)) consumed.add(v[0]);
  const sinks = plans.filter((p) => !consumed.has(p.id));

  const lines: string[] = [];
  lines.push(
    `// Imported${options.source ? ` from ${options.source}` : ""} by comfy-ts import. Edit freely.`,
  );
  const coreImports = ["workflow", ...(untyped.length > 0 ? ["node"] : [])].sort(compareCodeUnits);
  lines.push(
    `import { ${coreImports.join(", ")} } from ${JSON.stringify(options.coreModule ?? "@comfy-ts/core")};`,
  );
  if (factories.length > 0) lines.push(importLine(factories, options.nodesModule ?? "./comfy/nodes.js"));
  lines.push("");
  lines.push(...noteComments(options.notes ?? []));
  const signature = parameters.length > 0 ? `({ ${parameters.join(", ")} })` : "()";
  lines.push(`export const ${exportName} = workflow(${signature} => {`);
  for (const plan of plans) lines.push(...nodeStatement(plan, byId, parameterOf, options.source));
  const returned = sinks.map((s) => s.variable);
  lines.push(`  return { ${returned.join(", ")} };`);
  lines.push("});");
  if (options.defaultExport ?? true) lines.push("", `export default ${exportName};`);
  return { text: `${lines.join("\n")}\n`, warnings, untyped };
}

/**
 * Throws `CodegenError` (`cyclic_prompt`) naming the cycle when the prompt's links form one: ComfyUI
 * cannot run such a prompt, so no conversion writes it out. `source` names the file in the message.
 */
export function assertAcyclicPrompt(prompt: ApiPrompt, source?: string): void {
  topologicalOrder(prompt, [], source);
}

/** Sources before the nodes that use them; ties in numeric-then-text id order. A cycle is an error. */
function topologicalOrder(prompt: ApiPrompt, warnings: string[], source: string | undefined): string[] {
  const ids = Object.keys(prompt).sort(compareIds);
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === "done") return;
    if (s === "visiting")
      throw new CodegenError(
        "cyclic_prompt",
        `${source ? `${source}: ` : ""}the prompt has a cycle: ${[...path.slice(path.indexOf(id)), id].join(" → ")}; ` +
          "ComfyUI cannot run it either: remove one of those links",
      );
    state.set(id, "visiting");
    const sources = Object.values(prompt[id]!.inputs)
      .filter(isApiLink)
      .map((l) => l[0])
      .sort(compareIds);
    for (const source of sources) {
      if (Object.hasOwn(prompt, source)) visit(source, [...path, id]);
    }
    state.set(id, "done");
    order.push(id);
  };
  for (const id of ids) visit(id, []);
  for (const id of ids) {
    for (const [name, v] of Object.entries(prompt[id]!.inputs)) {
      if (isApiLink(v) && !Object.hasOwn(prompt, v[0])) {
        warnings.push(
          `node ${id} (${prompt[id]!.class_type}): input "${name}" links to node ${v[0]}, which is not in the prompt; left out`,
        );
      }
    }
  }
  return order;
}

function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : Number.NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return compareCodeUnits(a, b);
}

/** Title when the author gave one; else the input it feeds (`role`); else the class. */
function variableBase(plan: Planned, catalog: NodeCatalog, role: string | undefined): string {
  const title = plan.node._meta?.title;
  const display = catalog.nodes.get(plan.node.class_type)?.displayName;
  if (typeof title === "string" && title !== display && title !== plan.node.class_type) {
    const fromTitle = camelName(title);
    if (fromTitle) return fromTitle;
  }
  return role ?? camelName(plan.model?.identifier ?? plan.node.class_type) ?? "node";
}

/** For each node id, the names of the inputs its outputs are linked to. */
function consumerInputs(prompt: ApiPrompt): Map<string, Set<string>> {
  const usage = new Map<string, Set<string>>();
  for (const node of Object.values(prompt)) {
    for (const [name, value] of Object.entries(node.inputs)) {
      if (!isApiLink(value)) continue;
      const set = usage.get(value[0]) ?? new Set<string>();
      set.add(name);
      usage.set(value[0], set);
    }
  }
  return usage;
}

/**
 * Compile numbers unpinned nodes 1, 2, 3 … in creation order, skipping pinned ids. Pin exactly the
 * nodes whose id that would not reproduce (repeated until stable, since pins shift later numbers).
 */
function pinIds(plans: Planned[], mode: "auto" | "always"): void {
  if (mode === "always") {
    for (const p of plans) p.pinned = true;
    return;
  }
  for (;;) {
    const owners = new Set(plans.filter((p) => p.pinned).map((p) => p.id));
    let next = 1;
    let changed = false;
    for (const plan of plans) {
      if (plan.pinned) continue;
      while (owners.has(String(next))) next++;
      if (plan.id === String(next)) next++;
      else {
        plan.pinned = true;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

function importLine(names: readonly string[], from: string): string {
  const one = `import { ${names.join(", ")} } from ${JSON.stringify(from)};`;
  if (one.length <= MAX_LINE) return one;
  return `import {\n${names.map((n) => `  ${n},`).join("\n")}\n} from ${JSON.stringify(from)};`;
}

function nodeStatement(
  plan: Planned,
  byId: ReadonlyMap<string, Planned>,
  parameterOf: ReadonlyMap<string, string>,
  source: string | undefined,
): string[] {
  const entries: string[] = [];
  const extra: string[] = [];
  const declared = plan.model ? new Set(plan.model.spec.inputOrder) : undefined;
  const patterns = plan.model?.inputs.filter((i) => i.pattern) ?? [];
  for (const [name, value] of Object.entries(plan.node.inputs)) {
    let text: string;
    const parameter = parameterOf.get(`${plan.id}\u0000${name}`);
    if (parameter !== undefined) {
      text = parameter;
    } else if (isApiLink(value)) {
      const source = byId.get(value[0]);
      if (!source) continue;
      text = outputReference(source, value[1]);
    } else {
      const defaults = plan.model?.spec.defaults;
      if (defaults && Object.hasOwn(defaults, name) && literalEquals(defaults[name], value)) continue;
      text = literal(value, `${source ? `${source}: ` : ""}node ${plan.id} input "${name}"`);
    }
    const known = !declared || declared.has(name) || name.includes(".") || patterns.length > 0;
    const entry = text === name && isIdentifier(name) ? name : `${propertyKey(name)}: ${text}`;
    (known || isApiLink(value) ? entries : extra).push(entry);
  }
  const opts: string[] = [];
  if (plan.pinned) opts.push(`id: ${JSON.stringify(plan.id)}`);
  const title = plan.node._meta?.title;
  if (typeof title === "string") opts.push(`title: ${JSON.stringify(title)}`);
  if (extra.length > 0) opts.push(`extraInputs: { ${extra.join(", ")} }`);
  const call = plan.model ? plan.model.identifier : "node";
  const args = [`{ ${entries.join(", ")} }`.replace("{  }", "{}")];
  if (!plan.model) args.unshift(JSON.stringify(plan.node.class_type));
  if (opts.length > 0) args.push(`{ ${opts.join(", ")} }`);
  const head = `  const ${plan.variable} = ${call}(`;
  const single = `${head}${args.join(", ")});`;
  if (single.length <= MAX_LINE && !single.includes("\n")) return [single];
  // One input per line.
  const lines = [head];
  if (!plan.model) lines.push(`    ${JSON.stringify(plan.node.class_type)},`);
  if (entries.length === 0) lines.push("    {},");
  else {
    lines.push("    {");
    for (const e of entries) lines.push(`      ${e},`);
    lines.push("    },");
  }
  if (opts.length > 0) lines.push(`    { ${opts.join(", ")} },`);
  lines.push("  );");
  return lines;
}

/** The editor's notes as line comments, each line made safe as every generated comment is. */
function noteComments(notes: readonly EditorNote[]): string[] {
  if (notes.length === 0) return [];
  const lines = ["// Notes from the editor:"];
  for (const note of notes) {
    const head =
      note.title && note.title !== "Note" && note.title !== "MarkdownNote" ? ` "${note.title}"` : "";
    lines.push(`//`, `// Note${head} (node ${note.id}):`);
    for (const line of commentText(note.text, "line").split("\n")) lines.push(`//   ${line}`.trimEnd());
  }
  return lines;
}

/** `ckpt.CLIP`, `ckpt[1]`, or the node itself for a one-output node. */
function outputReference(source: Planned, slot: number): string {
  const outputs = source.model?.spec.outputs;
  if (!outputs) return slot === 0 ? source.variable : `${source.variable}[${slot}]`;
  if (outputs.length === 1 && slot === 0) return source.variable;
  const name = outputPropertyNames(outputs)[slot];
  if (name === undefined) return `${source.variable}[${slot}]`;
  return isIdentifier(name) ? `${source.variable}.${name}` : `${source.variable}[${JSON.stringify(name)}]`;
}

function literalEquals(a: unknown, b: unknown): boolean {
  return typeof a === "bigint" || typeof b === "bigint" ? String(a) === String(b) : a === b;
}

/** Deeper values cannot run (ComfyUI's JSON reader stops at 995 levels) and would overflow the printer. */
const MAX_LITERAL_DEPTH = 1_000;

/**
 * A TypeScript literal for an API input value; list literals (`{"__value__": [...]}`) become arrays.
 * `where` names the value in the error for a value nested too deep.
 */
export function literal(value: unknown, where = "a value"): string {
  return literalAt(value, 0, where);
}

function literalAt(value: unknown, depth: number, where: string): string {
  if (depth > MAX_LITERAL_DEPTH) {
    throw new CodegenError(
      "too_deep",
      `${where} is nested more than ${MAX_LITERAL_DEPTH} levels deep: ComfyUI reads at most 995, so it cannot run; shorten it`,
    );
  }
  const literal = (v: unknown) => literalAt(v, depth + 1, where);
  if (value === null) return "null";
  switch (typeof value) {
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? String(value) : `${value}n`;
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return String(value);
    case "string":
      return stringLiteral(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(", ")}]`;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === "__value__" && Array.isArray(record["__value__"]))
        return literal(record["__value__"]);
      if (keys.length === 0) return "{}";
      return `{ ${keys.map((k) => `${propertyKey(k)}: ${literal(record[k])}`).join(", ")} }`;
    }
    default:
      return "undefined";
  }
}

/** Control characters other than tab and newline (and the JS line separators) read badly in a template literal. */
function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** Multi-line strings as template literals (readable prompts); the rest as JSON strings. */
function stringLiteral(value: string): string {
  if (value.includes("\n") && !hasControlCharacters(value)) {
    return `\`${value.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${")}\``;
  }
  return JSON.stringify(value);
}
