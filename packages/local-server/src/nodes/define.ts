import { ComfyError } from "@comfy-ts/core";
import { PyFloat } from "@comfy-ts/core/python";
import {
  type DefinitionEnv,
  type ListedOnlyNode,
  type NodeContext,
  NodeExecutionError,
  type NodeImpl,
  type NodeResult,
  type RawNodeDefinition,
} from "../execution/node-impl.js";
import type { SocketValues } from "./socket-types.js";

/** One input spec in wire form: `["INT", {...}]`, `[["a", "b"]]`, `["IMAGE"]`. */
export type InputSpec = readonly unknown[];

/** The options object of an input spec (`default`, `min`, `tooltip`, …) as ComfyUI sends it. */
export type InputOptions = Readonly<Record<string, unknown>>;

/** Options of an INT input. Bounds beyond 2^53 must be `bigint` (a JS number there is not exact). */
export interface IntOptions extends InputOptions {
  readonly default?: number | bigint;
  readonly min?: number | bigint;
  readonly max?: number | bigint;
  readonly step?: number;
}

/** Options of a FLOAT input; ComfyUI sends some bounds as exact integers (`0xffffffffffffffff`). */
export interface FloatOptions extends InputOptions {
  readonly default?: number;
  readonly min?: number | bigint;
  readonly max?: number | bigint;
  readonly step?: number;
  readonly round?: number | false;
}

export type IntSpec<O extends IntOptions = IntOptions> = readonly ["INT", O];
export type FloatSpec = readonly ["FLOAT", FloatOptions];
export type StringSpec = readonly ["STRING", InputOptions];
export type BooleanSpec = readonly ["BOOLEAN", InputOptions];
/** A V1 combo: the option list itself is the type. */
export type ComboSpec<V> = readonly [readonly V[]] | readonly [readonly V[], InputOptions];
/** A V3 combo: `["COMBO", {…, multiselect: false, options}]`. */
export type V3ComboSpec<V> = readonly ["COMBO", InputOptions & { readonly options: readonly V[] }];
/** A link input of a socket type: `["IMAGE"]`, or `["IMAGE", {}]` for V3 nodes (which always send options). */
export type SocketSpec<K extends string> = readonly [K] | readonly [K, InputOptions];

/** A typed link input: `["IMAGE"]`, or `["IMAGE", {}]` for V3 nodes (which always send options). */
export function T<const K extends string>(type: K, options?: InputOptions): SocketSpec<K> {
  return options ? [type, options] : [type];
}

/** An INT widget. A number bound must be a safe integer; write larger ones as `bigint` (`U64_MAX`). */
export function INT<const O extends IntOptions>(options: O): IntSpec<O> {
  for (const key of ["min", "max", "default"] as const) {
    const bound = options[key];
    if (typeof bound === "number" && !Number.isSafeInteger(bound))
      throw new NodeDefinitionError(`INT ${key} ${bound} is not a safe integer: write it as a bigint`);
  }
  return ["INT", options];
}

export function FLOAT(options: FloatOptions): FloatSpec {
  return ["FLOAT", options];
}

export function STRING(options: InputOptions): StringSpec {
  return ["STRING", options];
}

export function BOOLEAN(options: InputOptions): BooleanSpec {
  return ["BOOLEAN", options];
}

/** A V1 combo: the option list itself is the type. ComfyUI checks values against it. */
export function COMBO<const V extends string>(options: readonly V[], extra?: InputOptions): ComboSpec<V> {
  return extra ? [options, extra] : [options];
}

/**
 * A V3 combo: `["COMBO", {…, multiselect: false, options}]`. ComfyUI 0.3.65 does not check its value
 * against the options, so a node also receives values outside them (typed `Unlisted`).
 */
export function V3COMBO<const V extends string>(
  options: readonly V[],
  extra: InputOptions = {},
): V3ComboSpec<V> {
  return ["COMBO", { ...extra, multiselect: false, options }];
}

/** Lists the files a file combo offers, from the server's folders at the time of the request. */
export type FileLister = (env: DefinitionEnv) => readonly string[];

/**
 * A combo of file names (LoadImage's `image`, a checkpoint loader's `ckpt_name`): its options follow
 * the server's folders, so `definition(spec, env)` lists them per request. `v3` combos are sent as
 * `["COMBO", {…, options}]` and, like every V3 combo, not checked by ComfyUI 0.3.65.
 */
export class FileCombo<V3 extends boolean = boolean> {
  constructor(
    readonly files: FileLister,
    readonly options: InputOptions | undefined,
    readonly v3: V3,
  ) {}

  /** The wire spec with the files of this moment. */
  wire(env: DefinitionEnv): InputSpec {
    const files = [...this.files(env)];
    if (this.v3) return ["COMBO", { ...this.options, multiselect: false, options: files }];
    return this.options ? [files, this.options] : [files];
  }
}

/** The files of a model folder (`env.modelFiles(folder)`), none on a server without model folders. */
export function modelFolder(folder: string): FileLister {
  return (env) => env.modelFiles?.(folder) ?? [];
}

/** A V1 file combo (checked by ComfyUI against the files listed at validation). */
export function FILES(files: FileLister, options?: InputOptions): readonly [FileCombo<false>] {
  return [new FileCombo(files, options, false)];
}

/** A V3 file combo (not checked by ComfyUI 0.3.65). */
export function V3FILES(files: FileLister, options?: InputOptions): readonly [FileCombo<true>] {
  return [new FileCombo(files, options, true)];
}

declare const unlisted: unique symbol;

/**
 * A value outside a V3 combo's options: ComfyUI 0.3.65 passes V3 combo values to the node unchecked,
 * so a node compares them (`mode === "x"`) or narrows them with `isListed` before relying on the list.
 */
export interface Unlisted {
  readonly [unlisted]: true;
}

/** Whether a V3 combo value is one of its options. */
export function isListed<V>(options: readonly V[], value: V | Unlisted): value is V {
  const values: readonly unknown[] = options;
  return values.includes(value);
}

/** The value a node receives for an input of spec `S`. */
export type InputValue<S> = S extends readonly ["INT", infer O]
  ? IntValue<O>
  : S extends readonly ["FLOAT", ...unknown[]]
    ? number
    : S extends readonly ["STRING", ...unknown[]]
      ? string
      : S extends readonly ["BOOLEAN", ...unknown[]]
        ? boolean
        : S extends readonly ["COMBO", { readonly options: readonly (infer V)[] }, ...unknown[]]
          ? V | Unlisted
          : S extends readonly [FileCombo<infer V3>, ...unknown[]]
            ? V3 extends true
              ? string | Unlisted
              : string
            : S extends readonly [readonly (infer V)[], ...unknown[]]
              ? V
              : S extends readonly [infer K extends keyof SocketValues, ...unknown[]]
                ? SocketValues[K]
                : unknown;

/**
 * INT values are numbers when both bounds are numbers (safe integers, checked by `INT`); without a
 * bound, or with a `bigint` one, a value beyond 2^53 arrives as a `bigint` with its exact digits.
 */
type IntValue<O> = O extends { readonly min: number; readonly max: number } ? number : number | bigint;

/** A lazy input (`lazy: true`) is absent until the node asks for it. */
type Arrived<S> = S extends readonly [unknown, { readonly lazy: true }, ...unknown[]]
  ? InputValue<S> | undefined
  : InputValue<S>;

type Section<S, K extends "required" | "optional"> = S extends { readonly [P in K]?: infer R }
  ? NonNullable<R> extends Readonly<Record<string, InputSpec>>
    ? NonNullable<R>
    : Record<never, InputSpec>
  : Record<never, InputSpec>;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The inputs `execute` receives for a spec: required inputs, then optional ones (possibly undefined). */
export type NodeInputs<S> = Flatten<
  { readonly [K in keyof Section<S, "required">]: Arrived<Section<S, "required">[K]> } & {
    readonly [K in keyof Section<S, "optional">]?: InputValue<Section<S, "optional">[K]> | undefined;
  }
>;

/** The inputs of an `inputIsList` node: every input as the whole list of its values. */
export type NodeListInputs<S> = Flatten<
  { readonly [K in keyof Section<S, "required">]: readonly Arrived<Section<S, "required">[K]>[] } & {
    readonly [K in keyof Section<S, "optional">]?:
      | readonly InputValue<Section<S, "optional">[K]>[]
      | undefined;
  }
>;

/** What `execute` of a spec receives: `NodeListInputs` for `inputIsList` nodes, else `NodeInputs`. */
export type InputsOf<S> = S extends { readonly inputIsList: true } ? NodeListInputs<S> : NodeInputs<S>;

/** ComfyUI's `MAX_RESOLUTION`. */
export const MAX_RESOLUTION = 16384;

/** A size input up to `MAX_RESOLUTION`: `INT({ default, min, max: MAX_RESOLUTION, step })`. */
export function RESOLUTION<const D extends number, const M extends number, const S extends number>(
  defaultValue: D,
  min: M,
  step: S,
) {
  return INT({ default: defaultValue, min, max: MAX_RESOLUTION, step });
}

/** The usual `batch_size` input: 1 to 4096. */
export const BATCH_SIZE = INT({ default: 1, min: 1, max: 4096 });
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
  readonly required?: Readonly<Record<string, InputSpec>>;
  readonly optional?: Readonly<Record<string, InputSpec>>;
  /** Hidden inputs (`PROMPT`, `EXTRA_PNGINFO`, …) as sent: a kind, or `[kind]` for V3 nodes. */
  readonly hidden?: Readonly<Record<string, string | readonly [string]>>;
  readonly outputs?: readonly OutputSpec[];
  /** V1 OUTPUT_TOOLTIPS present (taken from the outputs), or given verbatim (a subclass may inherit a longer list). */
  readonly outputTooltips?: boolean | readonly (string | null)[];
  readonly deprecated?: boolean;
  readonly experimental?: boolean;
  /** A V3 (`io.ComfyNode`) schema: always sends tooltips, deprecated, experimental and api_node. */
  readonly v3?: boolean;
  /**
   * `INPUT_IS_LIST`: `execute` receives every input as the whole list instead of being called once per
   * element (not part of `/object_info`).
   */
  readonly inputIsList?: boolean;
}

/** The `/object_info` entry of a spec, field for field as ComfyUI builds it, with file combos listed from `env`. */
export function definition(spec: NodeSpec, env: DefinitionEnv): RawNodeDefinition {
  const input: Record<string, unknown> = {};
  const inputOrder: Record<string, string[]> = {};
  const sections = [
    ["required", spec.required ?? {}],
    ["optional", spec.optional],
    ["hidden", spec.hidden],
  ] as const;
  for (const [section, inputs] of sections) {
    if (!inputs || (section !== "required" && Object.keys(inputs).length === 0)) continue;
    const wire: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(inputs))
      wire[name] = Array.isArray(value) && value[0] instanceof FileCombo ? value[0].wire(env) : value;
    input[section] = wire;
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

/** A node's function: its typed inputs (see `InputsOf`) and the executor's context. */
export type Execute<S extends NodeSpec> = (
  inputs: InputsOf<S>,
  ctx: NodeContext,
) => NodeResult | Promise<NodeResult>;

/**
 * A runnable node from its spec and its function. `execute`'s inputs are typed from the spec (see
 * `InputValue`): a wrong input name or a wrong use of a value is a compile error.
 *
 * @example
 * export const imageInvert = defineNode(
 *   { name: "ImageInvert", category: "image", module: "nodes", required: { image: T("IMAGE") }, outputs: [["IMAGE"]] },
 *   ({ image }) => out(tensor(image.shape, image.data.map((v) => Math.fround(1 - v)))),
 * );
 */
export function defineNode<const S extends NodeSpec>(
  spec: S,
  execute: Execute<S>,
  extra: {
    /**
     * ComfyUI's `IS_CHANGED` / `fingerprint_inputs`: part of the cache key; `NaN` re-runs the node
     * every time. Receives the literal inputs only (linked ones are absent), as the prompt holds them.
     */
    fingerprint?: NodeImpl["fingerprint"];
  } = {},
): NodeImpl {
  const check = inputChecks(spec);
  return {
    classType: spec.name,
    define: (env) => definition(spec, env),
    // The one cast of node inputs: `check` proved the widget kinds (INT, FLOAT, STRING, BOOLEAN, file
    // names); combo and socket values are what the validator let through, and only a link from a "*"
    // output can bring another type there, as on ComfyUI.
    execute: (raw, ctx) => execute(check(raw, ctx.nodeId, spec.inputIsList === true) as InputsOf<S>, ctx),
    ...(spec.inputIsList ? { inputIsList: true } : {}),
    ...(extra.fingerprint ? { fingerprint: extra.fingerprint } : {}),
  };
}

type Check = (value: unknown) => unknown;

/**
 * The per-input checks of a spec: the executor hands a node what the prompt and upstream nodes
 * produced, and only a link from a `"*"` output or a custom node can bring a value of another kind.
 * Such a value fails here with a message naming the input instead of deep inside the node.
 */
function inputChecks(
  spec: NodeSpec,
): (raw: Readonly<Record<string, unknown>>, nodeId: string, lists: boolean) => Record<string, unknown> {
  const checks = new Map<string, Check>();
  for (const section of [spec.required, spec.optional]) {
    for (const [name, inputSpec] of Object.entries(section ?? {})) {
      const check = checkOf(inputSpec);
      if (check) checks.set(name, check);
    }
  }
  return (raw, nodeId, lists) => {
    const inputs: Record<string, unknown> = { ...raw };
    for (const [name, check] of checks) {
      const value = inputs[name];
      if (value === undefined) continue;
      try {
        inputs[name] = lists && Array.isArray(value) ? value.map(check) : check(value);
      } catch (error) {
        if (!(error instanceof InputKindError)) throw error;
        throw new NodeInputError(spec.name, nodeId, name, error.message);
      }
    }
    return inputs;
  };
}

/** Why a value does not fit an input; `NodeInputError` adds the node and input. */
class InputKindError extends ComfyError {
  constructor(message: string) {
    super("NODE_INPUT_KIND", message);
  }
}

function checkOf(spec: InputSpec): Check | undefined {
  const [type, options] = spec;
  const opts: InputOptions = typeof options === "object" && options !== null ? { ...options } : {};
  switch (type) {
    case "INT": {
      // A bigint reaches an input with number bounds only through a link (ComfyUI checks bounds of
      // literals only); Python would carry on with the big int, here it becomes the nearest number.
      const numberOnly = typeof opts.min === "number" && typeof opts.max === "number";
      return (v) => {
        if (typeof v === "bigint") return numberOnly ? Number(v) : v;
        if (typeof v === "number") return v;
        throw new InputKindError(`expected an INT, got ${describe(v)}`);
      };
    }
    case "FLOAT":
      return (v) => {
        if (typeof v === "number") return v;
        if (v instanceof PyFloat) return v.value;
        if (typeof v === "bigint") return Number(v);
        throw new InputKindError(`expected a FLOAT, got ${describe(v)}`);
      };
    case "STRING":
      return kind("string", "a STRING");
    case "BOOLEAN":
      return kind("boolean", "a BOOLEAN");
  }
  if (type instanceof FileCombo && !type.v3) return kind("string", "a file name");
  return undefined;
}

function kind(js: "string" | "boolean", what: string): Check {
  return (v) => {
    if (typeof v === js) return v;
    throw new InputKindError(`expected ${what}, got ${describe(v)}`);
  };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "an object";
  const text = String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
}

/** A value of the wrong kind reached a node input (possible only through `"*"` outputs and custom nodes). */
export class NodeInputError extends ComfyError {
  constructor(
    readonly classType: string,
    readonly nodeId: string,
    readonly input: string,
    reason: string,
  ) {
    super(
      "NODE_INPUT_KIND",
      `node ${nodeId} (${classType}) input "${input}": ${reason}; the value comes from a link of another ` +
        "type (an output typed \"*\" or a custom node's): link an output of the input's type",
    );
  }
}

/** A node spec that cannot be sent as ComfyUI would (a bound that is not exact, …). */
export class NodeDefinitionError extends ComfyError {
  constructor(message: string) {
    super("NODE_DEFINITION", message);
  }
}

/**
 * A model-free ComfyUI node this server lists (so graphs validate) but cannot run: it fails at run time
 * with a `NotImplementedError` saying what it would need.
 */
export function unsupportedNode(spec: NodeSpec, reason: string): NodeImpl {
  return defineNode(spec, () => {
    throw new NodeExecutionError(
      "NotImplementedError",
      `${spec.name} is not supported by the comfy-ts local server: ${reason}`,
    );
  });
}

/** A node listed in `/object_info` that this server cannot run (model nodes). */
export function listedOnly(spec: NodeSpec): ListedOnlyNode {
  return { classType: spec.name, define: (env) => definition(spec, env) };
}

/** Outputs of a node with the given values, in slot order. */
export function out(...values: unknown[]): NodeResult {
  return { outputs: values };
}
