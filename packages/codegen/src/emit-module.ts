import { headerComment } from "./header.js";
import { CORE_TYPE_NAMES } from "./input-types.js";
import { commentText } from "./jsdoc.js";
import type { ModuleModel, NodeModel } from "./module-model.js";
import { compareCodeUnits, propertyKey } from "./naming.js";
import type { ResolvedOptions } from "./options.js";

/**
 * The text is built by appending to one string, two-space indentation and LF endings fixed here, so
 * the same model gives the same bytes on every machine. (Printing ts-morph structures through a
 * Project took 1.7 s on the 2,068-node catalog, ts-morph's CodeBlockWriter ~100 ms; a line array
 * joined at the end ~20 ms warm, but a one-shot CLI runs this code cold, where every call and
 * intermediate string counts: appending is about twice as fast there.)
 */
const INDENT = ["", "  ", "    "] as const;

/**
 * A JSDoc block at `indent`; nothing for empty text. Multi-line text becomes ` * ` lines. The text
 * may hold any catalog string: it cannot end the comment, and characters TypeScript reads as line
 * ends or as a binary file are written as escapes.
 */
function docs(indent: string, raw: string, tags: readonly string[] = []): string {
  const text = commentText(raw);
  if (tags.length === 0) {
    if (text === "") return "";
    if (!text.includes("\n")) return `${indent}/** ${text} */\n`;
  }
  const all = text === "" ? [] : text.split("\n");
  if (all.length > 0 && tags.length > 0) all.push("");
  for (const tag of tags) all.push(`@${tag}`);
  if (all.length === 1) return `${indent}/** ${all[0]} */\n`;
  let out = `${indent}/**\n`;
  for (const line of all) out += line === "" ? `${indent} *\n` : `${indent} * ${line}\n`;
  return `${out}${indent} */\n`;
}

function inputsInterface(node: NodeModel): string {
  const indent = INDENT[1];
  let out = docs(indent, `Inputs of \`${node.classType.replace(/`/g, "'")}\`.`);
  if (node.inputs.length === 0) return `${out}${indent}interface ${node.identifier} {}\n`;
  out += `${indent}interface ${node.identifier} {\n`;
  const inner = INDENT[2];
  for (const input of node.inputs) {
    if (input.docs !== "") out += docs(inner, input.docs);
    out += input.pattern
      ? `${inner}readonly [key: \`${input.key}\`]: ${input.type};\n`
      : `${inner}readonly ${propertyKey(input.key)}${input.optional ? "?" : ""}: ${input.type};\n`;
  }
  return `${out}${indent}}\n`;
}

/** Prints the declarations: input interfaces in `Inputs`, one typed factory per node, the `nodes` lookup. */
export function emitDeclarations(model: ModuleModel, header: string, options: ResolvedOptions): string {
  const typeNames = Object.entries(CORE_TYPE_NAMES).sort(([a], [b]) => compareCodeUnits(a, b));
  let out = `${headerComment(header)}import type {\n`;
  for (const [alias, name] of typeNames) out += `  ${name} as ${alias},\n`;
  out += `} from ${JSON.stringify(options.coreModule)};\n\n`;
  out += docs("", "Says that this module is generated, must not be edited, and how to regenerate it.");
  out += "export declare const HEADER: string;\n\n";
  out += docs("", "The input object of each factory, by factory name (e.g. `Inputs.KSampler`).");
  out += "export declare namespace Inputs {\n";
  for (let i = 0; i < model.nodes.length; i++) {
    if (i > 0) out += "\n";
    out += inputsInterface(model.nodes[i]!);
  }
  out += "}\n";
  for (const node of model.nodes) {
    out += `\n${docs("", node.docs, node.deprecated ? ["deprecated"] : [])}`;
    out += `export declare const ${node.identifier}: $NodeFactory<Inputs.${node.identifier}, ${node.handle}>;\n`;
  }
  out += `\n${docs("", 'Every factory by its original class_type, e.g. `nodes["KSampler (Efficient)"]`.')}`;
  out += "export declare const nodes: {\n";
  for (const node of byClassType(model)) {
    out += `  readonly ${JSON.stringify(node.classType)}: typeof ${node.identifier};\n`;
  }
  return `${out}};\n`;
}

function byClassType(model: ModuleModel): NodeModel[] {
  return [...model.nodes].sort((a, b) => compareCodeUnits(a.classType, b.classType));
}

/** A JavaScript literal for a spec value (bigint kept exact). */
export function jsLiteral(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return `${value}n`;
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "boolean":
      return String(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map(jsLiteral).join(", ")}]`;
      const entries = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${jsLiteral(v)}`);
      return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
    }
    default:
      return "undefined";
  }
}

function specLiteral(node: NodeModel): string {
  const s = node.spec;
  const fields: string[] = [`classType: ${jsLiteral(s.classType)}`, `outputs: ${jsLiteral(s.outputs)}`];
  if (s.outputNode) fields.push("outputNode: true");
  fields.push(`inputOrder: ${jsLiteral(s.inputOrder)}`);
  if (Object.keys(s.defaults).length > 0) fields.push(`defaults: ${jsLiteral(s.defaults)}`);
  fields.push(`displayName: ${jsLiteral(s.displayName)}`);
  return `{ ${fields.join(", ")} }`;
}

/** Prints the runtime: one `nodeFactory(spec)` per node and the `nodes` lookup. */
export function emitRuntime(model: ModuleModel, header: string, options: ResolvedOptions): string {
  let out = `${headerComment(header)}import { nodeFactory as $f } from ${JSON.stringify(options.coreModule)};\n\n`;
  out += `export const HEADER = ${JSON.stringify(header)};\n\n`;
  for (const node of model.nodes) {
    out += `export const ${node.identifier} = /* @__PURE__ */ $f(${specLiteral(node)});\n`;
  }
  out += "\nexport const nodes = {\n";
  for (const node of byClassType(model)) out += `  ${JSON.stringify(node.classType)}: ${node.identifier},\n`;
  return `${out}};\n`;
}
