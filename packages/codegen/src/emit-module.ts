import CodeBlockWriter from "code-block-writer";
import { headerComment } from "./header.js";
import { CORE_TYPE_NAMES } from "./input-types.js";
import type { ModuleModel, NodeModel } from "./module-model.js";
import { compareCodeUnits, propertyKey } from "./naming.js";
import type { ResolvedOptions } from "./options.js";

// The writer ts-morph prints with, with fixed settings: the same model gives the same text on every
// machine. (Printing ts-morph structures through a Project re-parses the text and took 1.7 s on the
// 2,068-node catalog against ~0.1 s for this; see the README of the package.)
function createWriter(): CodeBlockWriter {
  return new CodeBlockWriter({
    newLine: "\n",
    indentNumberOfSpaces: 2,
    useTabs: false,
    useSingleQuote: false,
  });
}

/** Writes a JSDoc block; nothing for empty text. */
function writeDocs(writer: CodeBlockWriter, text: string, tags: readonly string[] = []): void {
  const lines = text === "" ? [] : text.split("\n");
  const all = [...lines, ...(lines.length > 0 && tags.length > 0 ? [""] : []), ...tags.map((t) => `@${t}`)];
  if (all.length === 0) return;
  if (all.length === 1) {
    writer.writeLine(`/** ${all[0]} */`);
    return;
  }
  writer.writeLine("/**");
  for (const line of all) writer.writeLine(line === "" ? " *" : ` * ${line}`);
  writer.writeLine(" */");
}

function writeInputs(writer: CodeBlockWriter, node: NodeModel): void {
  writeDocs(writer, `Inputs of \`${node.classType.replace(/`/g, "'")}\`.`);
  if (node.inputs.length === 0) {
    writer.writeLine(`interface ${node.identifier} {}`);
    return;
  }
  writer.write(`interface ${node.identifier}`).block(() => {
    for (const input of node.inputs) {
      writeDocs(writer, input.docs);
      if (input.pattern) writer.writeLine(`readonly [key: \`${input.key}\`]: ${input.type};`);
      else writer.writeLine(`readonly ${propertyKey(input.key)}${input.optional ? "?" : ""}: ${input.type};`);
    }
  });
}

/** Prints the declarations: input interfaces in `Inputs`, one typed factory per node, the `nodes` lookup. */
export function emitDeclarations(model: ModuleModel, header: string, options: ResolvedOptions): string {
  const w = createWriter();
  const typeNames = Object.entries(CORE_TYPE_NAMES).sort(([a], [b]) => compareCodeUnits(a, b));
  w.writeLine(`import type {`);
  w.indent(() => {
    for (const [alias, name] of typeNames) w.writeLine(`${name} as ${alias},`);
  });
  w.writeLine(`} from ${JSON.stringify(options.coreModule)};`);
  w.blankLine();
  writeDocs(w, "Says that this module is generated, must not be edited, and how to regenerate it.");
  w.writeLine("export declare const HEADER: string;");
  w.blankLine();
  writeDocs(w, "The input object of each factory, by factory name (e.g. `Inputs.KSampler`).");
  w.write("export declare namespace Inputs").block(() => {
    model.nodes.forEach((node, i) => {
      if (i > 0) w.blankLine();
      writeInputs(w, node);
    });
  });
  for (const node of model.nodes) {
    w.blankLine();
    writeDocs(w, node.docs, node.deprecated ? ["deprecated"] : []);
    w.writeLine(
      `export declare const ${node.identifier}: $NodeFactory<Inputs.${node.identifier}, ${node.handle}>;`,
    );
  }
  w.blankLine();
  writeDocs(w, 'Every factory by its original class_type, e.g. `nodes["KSampler (Efficient)"]`.');
  w.writeLine("export declare const nodes: {");
  w.indent(() => {
    for (const node of byClassType(model)) {
      w.writeLine(`readonly ${JSON.stringify(node.classType)}: typeof ${node.identifier};`);
    }
  });
  w.writeLine("};");
  return headerComment(header) + w.toString();
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
  const w = createWriter();
  w.writeLine(`import { nodeFactory as $f } from ${JSON.stringify(options.coreModule)};`);
  w.blankLine();
  w.writeLine(`export const HEADER = ${JSON.stringify(header)};`);
  w.blankLine();
  for (const node of model.nodes) {
    w.writeLine(`export const ${node.identifier} = /* @__PURE__ */ $f(${specLiteral(node)});`);
  }
  w.blankLine();
  w.writeLine("export const nodes = {");
  w.indent(() => {
    for (const node of byClassType(model))
      w.writeLine(`${JSON.stringify(node.classType)}: ${node.identifier},`);
  });
  w.writeLine("};");
  return headerComment(header) + w.toString();
}
