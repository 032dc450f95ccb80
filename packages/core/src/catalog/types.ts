/**
 * The normalized node catalog: what `/object_info` says, in one documented shape that codegen,
 * validation, the workflow converters and the local server share. Produced by `parseCatalog()`.
 *
 * Conventions: `null` and absent fields of the wire format both become `undefined`; numeric INT bounds
 * beyond 2^53 are `bigint` (exact digits when parsed from text); input lists keep the server's order
 * (`input_order` when present, else object key order).
 */

/** The whole catalog of one server. */
export interface NodeCatalog {
  /** Node definitions keyed by class_type, in the order the server listed them. */
  readonly nodes: ReadonlyMap<string, NodeDef>;
  /** Nodes that could not be parsed, and were skipped. */
  readonly problems: readonly CatalogProblem[];
}

/** One node class that could not be parsed (the rest of the catalog still loads). */
export interface CatalogProblem {
  readonly classType: string;
  /** JSON path inside the node definition, e.g. `input.required.seed[1].min`. */
  readonly path: string;
  readonly message: string;
}

export interface NodeDef {
  readonly classType: string;
  readonly displayName: string;
  readonly description: string;
  /** Slash-separated menu path, e.g. `"model/sampling"`. */
  readonly category: string;
  /** `"nodes"`, `"comfy_extras.nodes_xxx"`, `"custom_nodes.<pack>"`; undefined on old servers. */
  readonly pythonModule: string | undefined;
  /** Output nodes are the roots of execution. */
  readonly outputNode: boolean;
  readonly deprecated: boolean;
  readonly experimental: boolean;
  readonly devOnly: boolean;
  readonly apiNode: boolean;
  /** `INPUT_IS_LIST`: the node receives whole lists instead of being mapped over them. */
  readonly isInputList: boolean;
  /** Required inputs first, then optional ones, each in server order. Hidden inputs are not here. */
  readonly inputs: readonly InputDef[];
  /** Hidden inputs (`PROMPT`, `EXTRA_PNGINFO`, `UNIQUE_ID`, …), supplied by the server, never by clients. */
  readonly hidden: readonly HiddenInputDef[];
  readonly outputs: readonly OutputDef[];
  /** Extra search keywords (V3). */
  readonly searchAliases: readonly string[];
  /** The definition exactly as the server sent it (after JSON parsing). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface HiddenInputDef {
  readonly name: string;
  /** `PROMPT`, `EXTRA_PNGINFO`, `UNIQUE_ID`, `DYNPROMPT`, `AUTH_TOKEN_COMFY_ORG`, … */
  readonly kind: string;
}

export interface OutputDef {
  readonly index: number;
  /** Socket type. Legacy "combo outputs" (a list of values) have type `"COMBO"` and `comboOptions`. */
  readonly type: string;
  /** `output_name[index]`; may repeat or be empty in custom nodes. */
  readonly name: string;
  /** `OUTPUT_IS_LIST`: the output is a list, and consumers are mapped over it. */
  readonly isList: boolean;
  readonly tooltip: string | undefined;
  readonly comboOptions: readonly ComboValue[] | undefined;
  /** V3 MatchType template id: the output has the type bound to that template. */
  readonly matchType: string | undefined;
}

/** Every input kind; dispatch on `kind` exhaustively (`Record<InputKind, …>`). */
export type InputDef =
  | IntInputDef
  | FloatInputDef
  | StringInputDef
  | BooleanInputDef
  | ComboInputDef
  | SocketInputDef
  | MatchTypeInputDef
  | AutogrowInputDef
  | DynamicComboInputDef;

export type InputKind = InputDef["kind"];

/** Fields shared by every input kind. */
export interface InputDefBase {
  readonly name: string;
  readonly required: boolean;
  /**
   * The type as the server wrote it: `"INT"`, `"IMAGE"`, `"STRING,INT"`, `"COMBO"` (also for list combos), …
   * A V3 MultiType with a `widgetType` (`"INT,FLOAT"` shown as a FLOAT widget) has that widget's kind
   * and keeps the union here; links of any of its types fit.
   */
  readonly rawType: string;
  readonly tooltip: string | undefined;
  /** Label override (V3 `display_name`). */
  readonly displayName: string | undefined;
  /** Widget types: rendered as a socket only; a link is required (no literal). */
  readonly forceInput: boolean;
  /** Legacy: socket by default but convertible to a widget. */
  readonly defaultInput: boolean;
  readonly lazy: boolean;
  readonly rawLink: boolean;
  readonly advanced: boolean;
  /** Widget only, cannot be linked (V3). */
  readonly socketless: boolean;
  /** The options object as sent (unknown keys kept). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The input spec as sent: `[type]` or `[type, options, …]` (a bare type string is wrapped). */
  readonly spec: readonly unknown[];
}

export type ControlAfterGenerate = boolean | "fixed" | "increment" | "decrement" | "randomize";

export interface IntInputDef extends InputDefBase {
  readonly kind: "int";
  readonly default: number | bigint | undefined;
  readonly min: number | bigint | undefined;
  readonly max: number | bigint | undefined;
  readonly step: number | undefined;
  readonly controlAfterGenerate: ControlAfterGenerate | undefined;
}

export interface FloatInputDef extends InputDefBase {
  readonly kind: "float";
  readonly default: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly step: number | undefined;
  readonly round: number | false | undefined;
}

export interface StringInputDef extends InputDefBase {
  readonly kind: "string";
  readonly default: string | undefined;
  readonly multiline: boolean;
  readonly dynamicPrompts: boolean;
  readonly placeholder: string | undefined;
}

export interface BooleanInputDef extends InputDefBase {
  readonly kind: "boolean";
  readonly default: boolean | undefined;
  readonly labelOn: string | undefined;
  readonly labelOff: string | undefined;
}

/**
 * A combo value: strings and numbers, and booleans in a few custom packs. Object entries some packs
 * send (`{"content": name, "image": …}`) are normalized to their `content` string.
 */
export type ComboValue = string | number | boolean;

/** Which upload widget a combo carries: such combos list files on the server. */
export type UploadKind = "image" | "video" | "audio" | "animated_image" | "mesh" | "file";

export interface ComboInputDef extends InputDefBase {
  readonly kind: "combo";
  /** Known values. May be empty (no model files installed) or very long. */
  readonly values: readonly ComboValue[];
  readonly default: ComboValue | undefined;
  readonly multiselect: boolean;
  readonly upload: UploadKind | undefined;
  /** `image_folder` of upload combos: `input | output | temp`. */
  readonly imageFolder: string | undefined;
  /** Options fetched by the frontend from a route (`remote`). */
  readonly remote: boolean;
  readonly controlAfterGenerate: ControlAfterGenerate | undefined;
}

/** A link-only input of a socket type (`IMAGE`, `MODEL`, a custom type, `*`, or comma-joined types). */
export interface SocketInputDef extends InputDefBase {
  readonly kind: "socket";
  /** Accepted types: the comma-joined list split and trimmed. `["*"]` accepts anything. */
  readonly types: readonly string[];
}

/** V3 MatchType: accepts any type; all sockets sharing `templateId` take the same concrete type. */
export interface MatchTypeInputDef extends InputDefBase {
  readonly kind: "matchtype";
  readonly templateId: string;
  /** Allowed types, split; `["*"]` means any. */
  readonly allowedTypes: readonly string[];
}

/** V3 Autogrow: a variable number of sockets named `<name>.<child>` in the API prompt. */
export interface AutogrowInputDef extends InputDefBase {
  readonly kind: "autogrow";
  /** The template inputs repeated for each entry. */
  readonly template: readonly InputDef[];
  /** Explicit entry names (`image_1`, …), or names made from `prefix` + index. */
  readonly names: readonly string[];
  readonly prefix: string | undefined;
  readonly min: number;
  readonly max: number | undefined;
}

/** V3 DynamicCombo: the chosen option adds child inputs named `<name>.<child>`. */
export interface DynamicComboInputDef extends InputDefBase {
  readonly kind: "dynamic_combo";
  readonly choices: readonly DynamicComboChoice[];
  readonly default: string | undefined;
}

export interface DynamicComboChoice {
  readonly key: string;
  readonly inputs: readonly InputDef[];
}

/** Widget kinds: inputs that take a literal value (unless `forceInput`). */
export const WIDGET_KINDS: ReadonlySet<InputKind> = new Set([
  "int",
  "float",
  "string",
  "boolean",
  "combo",
  "dynamic_combo",
]);
