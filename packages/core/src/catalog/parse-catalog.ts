import { CatalogError } from "./catalog-error.js";
import { JsonSyntaxError, parseJsonLossless } from "./lossless-json.js";
import { describe, isPlainObject, NodeParseError, orderedKeys, sectionInputs } from "./normalize-input.js";
import { attachCatalogSource } from "./source-text.js";
import type { CatalogProblem, ComboValue, HiddenInputDef, NodeCatalog, NodeDef, OutputDef } from "./types.js";
import { isNodeDefWire } from "./wire-check.js";
import { type NodeDefWire, wireSchemas } from "./wire-schema.js";

/**
 * Parses the text of a `GET /object_info` answer into a `NodeCatalog`.
 *
 * Integers beyond 2^53 keep their exact digits (`"max": 18446744073709551615` → `18446744073709551615n`,
 * in the normalized inputs and in each `raw`). Malformed JSON throws a `CatalogError` (`invalid_json`)
 * that says the line and column.
 *
 * @example
 * const catalog = parseCatalogText(await (await fetch(`${url}/object_info`)).text());
 * getNode(catalog, "KSampler")?.inputs.map((i) => i.name); // ["model", "seed", "steps", …]
 */
export function parseCatalogText(text: string): NodeCatalog {
  let value: unknown;
  try {
    value = parseJsonLossless(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      // A syntax error at the very end (after trailing blanks) means the text stops mid-value.
      const truncated =
        error.position !== undefined && text.slice(error.position.offset).trim() === "" && text.trim() !== "";
      const hint =
        text.trim() === ""
          ? " The text is empty: the download or save wrote nothing. Fetch GET /object_info again."
          : truncated
            ? " The text ends in the middle of a value: the file looks truncated (an interrupted download or save?). Fetch or save it again."
            : "";
      throw new CatalogError(
        "invalid_json",
        `the /object_info text is not valid JSON: ${error.message}.${hint}`,
        { cause: error },
      );
    }
    throw error;
  }
  const catalog = parseCatalog(value);
  attachCatalogSource(catalog, text);
  return catalog;
}

/**
 * Validates and normalizes an already-parsed `/object_info` object.
 *
 * A node whose definition cannot be read is skipped and listed in `problems` (class, JSON path,
 * reason); the rest load. A value that is not an object, or one in which no node can be read,
 * throws a `CatalogError`.
 *
 * Objects parsed with plain `JSON.parse` have already lost the digits of integers beyond 2^53:
 * such INT bounds become the `bigint` of the rounded double, and 2^64 is read as 2^64−1
 * (`0xffffffffffffffff`, the seed maximum servers send). Use `parseCatalogText` for exact values.
 */
const CATALOG_SHAPE =
  'an object of node definitions keyed by class_type, as GET /object_info returns (e.g. {"KSampler": {"input": {…}, "output": […], …}, …})';

export function parseCatalog(input: unknown): NodeCatalog {
  if (!isPlainObject(input)) {
    throw new CatalogError(
      "not_an_object",
      `an /object_info catalog must be a JSON object keyed by node class, got ${describe(input)}. ` +
        "Pass the whole answer of GET /object_info.",
    );
  }
  const nodes = new Map<string, NodeDef>();
  const problems: CatalogProblem[] = [];
  for (const classType of Object.keys(input)) {
    try {
      nodes.set(classType, normalizeNode(classType, input[classType]));
    } catch (error) {
      if (!(error instanceof NodeParseError)) throw error;
      problems.push({ classType, path: error.path, message: error.message });
    }
  }
  if (nodes.size === 0) {
    const count = Object.keys(input).length;
    const first = problems[0];
    const where = first ? `${JSON.stringify(first.classType)}${first.path ? ` at ${first.path}` : ""}` : "";
    const why =
      count === 0
        ? "it has no node classes"
        : `none of its ${count} node classes could be read (first problem: ${where}: ${first?.message})`;
    throw new CatalogError(
      "no_nodes",
      `the /object_info catalog is unusable: ${why}. Expected ${CATALOG_SHAPE}.`,
      { problems },
    );
  }
  return { nodes, problems };
}

/** Normalizes one node definition; throws `NodeParseError` when it cannot be read. */
export function normalizeNode(classType: string, value: unknown): NodeDef {
  if (!isPlainObject(value))
    throw new NodeParseError("", `node definition must be an object, got ${describe(value)}`);
  const wire = readWire(wrapListFields(value));
  const input = wire.input ?? {};
  const order = wire.input_order ?? {};
  const inputs = [
    ...sectionInputs(input.required, true, "input.required", order.required),
    ...sectionInputs(input.optional, false, "input.optional", order.optional),
  ];
  return {
    classType,
    displayName: wire.display_name ?? wire.name ?? classType,
    description: wire.description ?? "",
    category: wire.category ?? "",
    pythonModule: wire.python_module ?? undefined,
    outputNode: wire.output_node === true,
    deprecated: wire.deprecated === true,
    experimental: wire.experimental === true,
    devOnly: wire.dev_only === true,
    apiNode: wire.api_node === true,
    isInputList: wire.is_input_list === true,
    inputs,
    hidden: hiddenInputs(input.hidden, order.hidden),
    outputs: outputs(wire),
    searchAliases: wire.search_aliases ?? [],
    raw: value,
  };
}

/** The node definition as the wire schema reads it: zod runs only when the structural check fails. */
function readWire(value: Record<string, unknown>): NodeDefWire {
  if (isNodeDefWire(value)) return value;
  const parsed = wireSchemas().nodeDef.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new NodeParseError(issue ? formatPath(issue.path) : "", issue?.message ?? "invalid node definition");
}

// Some packs send a single output as a bare string (`"output": "BOOLEAN", "output_name": "found"`).
const LIST_FIELDS = ["output", "output_is_list", "output_name", "output_tooltips"] as const;

function wrapListFields(value: Record<string, unknown>): Record<string, unknown> {
  let out = value;
  for (const key of LIST_FIELDS) {
    const v = value[key];
    if (v !== undefined && v !== null && !Array.isArray(v) && typeof v !== "object") {
      if (out === value) out = { ...value };
      out[key] = [v];
    }
  }
  return out;
}

function hiddenInputs(
  section: Readonly<Record<string, unknown>> | null | undefined,
  order: readonly string[] | null | undefined,
): HiddenInputDef[] {
  if (!section) return [];
  return orderedKeys(section, order).map((name) => {
    const v = section[name];
    // V1 sends "PROMPT", V3 ["PROMPT"]. Packs also hide ordinary specs (a combo list, a dict) here:
    // they are never sent by clients, so their kind is only informative.
    if (typeof v === "string") return { name, kind: v };
    if (Array.isArray(v)) {
      const head = v[0];
      if (typeof head === "string") return { name, kind: head };
      if (Array.isArray(head)) return { name, kind: "COMBO" };
    }
    if (v === null || v === undefined) {
      throw new NodeParseError(
        `input.hidden.${name}`,
        `hidden input must be a kind string or [kind], got ${describe(v)}`,
      );
    }
    return { name, kind: "*" };
  });
}

function outputs(wire: NodeDefWire): OutputDef[] {
  const types = wire.output ?? [];
  return types.map((t, index) => {
    const comboOptions = Array.isArray(t) ? legacyComboOutput(t, index) : undefined;
    const type = comboOptions ? "COMBO" : (t as string);
    return {
      index,
      type,
      name: wire.output_name?.[index] ?? type,
      isList: wire.output_is_list?.[index] === true,
      tooltip: wire.output_tooltips?.[index] ?? undefined,
      comboOptions,
      matchType: wire.output_matchtypes?.[index] ?? undefined,
    };
  });
}

function legacyComboOutput(values: readonly unknown[], index: number): ComboValue[] {
  return values.map((v, i) => {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    throw new NodeParseError(
      `output[${index}][${i}]`,
      `combo output value must be a string or number, got ${describe(v)}`,
    );
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out;
}
