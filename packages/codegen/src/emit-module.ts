import { headerComment } from "./header.js";
import { CORE_TYPE_NAMES } from "./input-types.js";
import type { ModuleModel, NodeModel } from "./module-model.js";
import { compareCodeUnits, propertyKey } from "./naming.js";
import type { ResolvedOptions } from "./options.js";

/**
 * Lines with two-space indentation and LF endings: the only formatting the generated text has, fixed
 * here so the same model gives the same bytes on every machine. (Printing ts-morph structures through
 * a Project took 1.7 s on the 2,068-node catalog, ts-morph's CodeBlockWriter ~100 ms; this ~20 ms.)
 */
class LineWriter {
  readonly #lines: string[] = [];
  #indent = "";

  writeLine(text: string): this {
    this.#lines.push(text === "" ? "" : this.#indent + text);
    return this;
  }

  blankLine(): this {
    if (this.#lines.length > 0 && this.#lines[this.#lines.length - 1] !== "") this.#lines.push("");
    return this;
  }

  indent(body: () => void): this {
    const outer = this.#indent;
    this.#indent += "  ";
    body();
    this.#indent = outer;
    return this;
  }

  toString(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}

function createWriter(): LineWriter {
  return new LineWriter();
}

/** Writes a JSDoc block; nothing for empty text. */
function writeDocs(writer: LineWriter, text: string, tags: readonly string[] = []): void {
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

function writeInputs(writer: LineWriter, node: NodeModel): void {
  writeDocs(writer, `Inputs of \`${node.classType.replace(/`/g, "'")}\`.`);
  if (node.inputs.length === 0) {
    writer.writeLine(`interface ${node.identifier} {}`);
    return;
  }
  writer.writeLine(`interface ${node.identifier} {`);
  writer.indent(() => {
    for (const input of node.inputs) {
      writeDocs(writer, input.docs);
      if (input.pattern) writer.writeLine(`readonly [key: \`${input.key}\`]: ${input.type};`);
      else writer.writeLine(`readonly ${propertyKey(input.key)}${input.optional ? "?" : ""}: ${input.type};`);
    }
  });
  writer.writeLine("}");
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
  w.writeLine("export declare namespace Inputs {");
  w.indent(() => {
    model.nodes.forEach((node, i) => {
      if (i > 0) w.blankLine();
      writeInputs(w, node);
    });
  });
  w.writeLine("}");
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
