import type {
  DefinitionEnv,
  ListedOnlyNode,
  NodeContext,
  NodeImpl,
  NodeResult,
  RawNodeDefinition,
} from "../execution/node-impl.js";

/** One input spec in wire form: `["INT", {...}]`, `[["a", "b"]]`, `["IMAGE"]`. */
export type InputSpec = readonly unknown[];

/** A typed link input: `["IMAGE"]`, or `["IMAGE", {}]` for V3 nodes (which always send options). */
export const T = (type: string, options?: Record<string, unknown>): InputSpec =>
  options ? [type, options] : [type];
export const INT = (options: Record<string, unknown>): InputSpec => ["INT", options];
export const FLOAT = (options: Record<string, unknown>): InputSpec => ["FLOAT", options];
export const STRING = (options: Record<string, unknown>): InputSpec => ["STRING", options];
export const BOOLEAN = (options: Record<string, unknown>): InputSpec => ["BOOLEAN", options];
/** A V1 combo: the option list itself is the type. */
export const COMBO = (options: readonly string[], extra?: Record<string, unknown>): InputSpec =>
  extra ? [options, extra] : [options];
/** A V3 combo: `["COMBO", {…, multiselect: false, options}]` (not checked at validation by ComfyUI). */
export const V3COMBO = (options: readonly string[], extra: Record<string, unknown> = {}): InputSpec => [
  "COMBO",
  { ...extra, multiselect: false, options },
];

/** ComfyUI's `MAX_RESOLUTION`. */
export const MAX_RESOLUTION = 16384;
export const U64_MAX = 18446744073709551615n;

/** One output slot: type, name (defaults to the type), list flag, tooltip. */
export type OutputSpec = readonly [type: string, name?: string, isList?: boolean, tooltip?: string | null];

/** A node's definition as ComfyUI's INPUT_TYPES / RETURN_TYPES / class attributes, or a V3 schema. */
export interface NodeSpec {
  readonly name: string;
  /** V1: DISPLAY_NAME mapping (defaults to the class name). V3: `display_name` (defaults to null). */
  readonly display?: string | null;
  readonly category: string;
  readonly module: string;
  readonly description?: string;
  readonly outputNode?: boolean;
  readonly required?: Record<string, InputSpec>;
  readonly optional?: Record<string, InputSpec>;
  readonly hidden?: Record<string, string>;
  readonly outputs?: readonly OutputSpec[];
  /** V1 OUTPUT_TOOLTIPS present (taken from the outputs), or given verbatim (a subclass may inherit a longer list). */
  readonly outputTooltips?: boolean | readonly (string | null)[];
  readonly deprecated?: boolean;
  readonly experimental?: boolean;
  /** A V3 (`io.ComfyNode`) schema: always sends tooltips, deprecated, experimental and api_node. */
  readonly v3?: boolean;
}

/** The `/object_info` entry of a spec, field for field as ComfyUI builds it. */
export function definition(spec: NodeSpec, required = spec.required): RawNodeDefinition {
  const input: Record<string, unknown> = {};
  const inputOrder: Record<string, string[]> = {};
  const sections = [
    ["required", required ?? {}],
    ["optional", spec.optional],
    ["hidden", spec.hidden],
  ] as const;
  for (const [section, inputs] of sections) {
    if (!inputs || (section !== "required" && Object.keys(inputs).length === 0)) continue;
    input[section] = inputs;
    inputOrder[section] = Object.keys(inputs);
  }
  const outputs = spec.outputs ?? [];
  const def: Record<string, unknown> = {
    input,
    input_order: inputOrder,
    output: outputs.map((o) => o[0]),
    output_is_list: outputs.map((o) => o[2] ?? false),
    output_name: outputs.map((o) => o[1] ?? o[0]),
  };
  if (spec.v3) def.output_tooltips = outputs.map((o) => o[3] ?? null);
  Object.assign(def, {
    name: spec.name,
    display_name: spec.display === undefined ? (spec.v3 ? null : spec.name) : spec.display,
    description: spec.description ?? "",
    python_module: spec.module,
    category: spec.category,
    output_node: spec.outputNode ?? false,
  });
  if (!spec.v3 && spec.outputTooltips) {
    def.output_tooltips = Array.isArray(spec.outputTooltips)
      ? [...spec.outputTooltips]
      : outputs.map((o) => o[3] ?? null);
  }
  if (spec.v3) {
    Object.assign(def, {
      deprecated: spec.deprecated ?? false,
      experimental: spec.experimental ?? false,
      api_node: false,
    });
  } else {
    if (spec.deprecated !== undefined) def.deprecated = spec.deprecated;
    if (spec.experimental !== undefined) def.experimental = spec.experimental;
  }
  return def;
}

export type Execute = (inputs: Record<string, unknown>, ctx: NodeContext) => NodeResult | Promise<NodeResult>;

/** A runnable node from its spec and its function. */
export function node(
  spec: NodeSpec,
  execute: Execute,
  extra: {
    define?: (env: DefinitionEnv) => RawNodeDefinition;
    inputIsList?: boolean;
    fingerprint?: NodeImpl["fingerprint"];
  } = {},
): NodeImpl {
  return {
    classType: spec.name,
    define: extra.define ?? (() => definition(spec)),
    execute,
    ...(extra.inputIsList ? { inputIsList: true } : {}),
    ...(extra.fingerprint ? { fingerprint: extra.fingerprint } : {}),
  };
}

/** A node listed in `/object_info` that this server cannot run (model nodes). */
export function listedOnly(spec: NodeSpec): ListedOnlyNode {
  return { classType: spec.name, define: () => definition(spec) };
}

/** Outputs of a node with the given values, in slot order. */
export function out(...values: unknown[]): NodeResult {
  return { outputs: values };
}
