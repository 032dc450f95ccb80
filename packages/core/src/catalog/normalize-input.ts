import type { z } from "zod";
import { ComfyError } from "../errors.js";
import type {
  AutogrowInputDef,
  BooleanInputDef,
  ComboInputDef,
  ComboValue,
  ControlAfterGenerate,
  DynamicComboChoice,
  DynamicComboInputDef,
  FloatInputDef,
  InputDef,
  InputDefBase,
  IntInputDef,
  MatchTypeInputDef,
  SocketInputDef,
  StringInputDef,
  UploadKind,
} from "./types.js";
import { isAutogrowTemplateWire, isDynamicComboOptionsWire, isMatchTypeTemplateWire } from "./wire-check.js";
import { type WireSchemas, wireSchemas } from "./wire-schema.js";

/** A part of one node definition that cannot be read; the node is skipped and reported. */
export class NodeParseError extends ComfyError {
  declare readonly code: "invalid_node_definition";
  readonly path: string;
  constructor(path: string, message: string) {
    super("invalid_node_definition", message);
    this.path = path;
  }
}

type Options = Readonly<Record<string, unknown>>;
const EMPTY: Options = Object.freeze({});

/** Type strings of V3 dynamic inputs (`io.MatchType`, `io.Autogrow`, `io.DynamicCombo`). */
export const V3_TYPES = {
  matchType: "COMFY_MATCHTYPE_V3",
  autogrow: "COMFY_AUTOGROW_V3",
  dynamicCombo: "COMFY_DYNAMICCOMBO_V3",
} as const;

const MULTITYPE_WIDGETS: ReadonlySet<string> = new Set(["INT", "FLOAT", "STRING", "BOOLEAN"]);

const UPLOAD_KEYS: readonly [string, UploadKind][] = [
  ["image_upload", "image"],
  ["video_upload", "video"],
  ["audio_upload", "audio"],
  ["animated_image_upload", "animated_image"],
  ["mesh_upload", "mesh"],
  ["file_upload", "file"],
];

/**
 * Normalizes one input spec (`[TYPE]`, `[TYPE, OPTIONS]`, or a bare type string some packs send).
 * `path` locates the spec inside the node definition, for error reports.
 */
export function normalizeInput(name: string, spec: unknown, required: boolean, path: string): InputDef {
  const tuple: readonly unknown[] = typeof spec === "string" ? [spec] : Array.isArray(spec) ? spec : [];
  if (tuple.length === 0) {
    throw new NodeParseError(
      path,
      `input spec must be [type, options?] or a type string, got ${describe(spec)}`,
    );
  }
  const type = tuple[0];
  // Some packs send "" or null as options; they mean none.
  const options: Options = isPlainObject(tuple[1]) ? tuple[1] : EMPTY;
  if (Array.isArray(type)) return combo(name, required, tuple, options, type, "COMBO", path);
  if (typeof type !== "string") {
    throw new NodeParseError(
      `${path}[0]`,
      `input type must be a string or a list of values, got ${describe(type)}`,
    );
  }
  // V3 MultiType ("INT,FLOAT") with a widget takes literals of the widget's type; rawType keeps the union.
  const widget =
    type.includes(",") && typeof options["widgetType"] === "string" ? options["widgetType"] : undefined;
  switch (widget !== undefined && MULTITYPE_WIDGETS.has(widget) ? widget : type) {
    case "INT":
      return int(base(name, required, tuple, options, type));
    case "FLOAT":
      return float(base(name, required, tuple, options, type));
    case "STRING":
      return string(base(name, required, tuple, options, type));
    case "BOOLEAN":
      return boolean(base(name, required, tuple, options, type));
    case "COMBO": {
      const values = options["options"];
      return combo(name, required, tuple, options, Array.isArray(values) ? values : [], type, path);
    }
    case V3_TYPES.matchType:
      return matchType(base(name, required, tuple, options, type), options, path);
    case V3_TYPES.autogrow:
      return autogrow(base(name, required, tuple, options, type), options, path);
    case V3_TYPES.dynamicCombo:
      return dynamicCombo(base(name, required, tuple, options, type), options, path);
    default: {
      return extend<SocketInputDef>(base(name, required, tuple, options, type), {
        kind: "socket",
        types: splitTypes(type),
      });
    }
  }
}

/** Splits a comma-joined type list (`"STRING, INT"`) and trims each part. */
export function splitTypes(type: string): string[] {
  if (!type.includes(",")) return [type.trim()];
  return type
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function base(
  name: string,
  required: boolean,
  spec: readonly unknown[],
  options: Options,
  rawType: string,
): InputDefBase {
  return {
    name,
    required,
    rawType,
    tooltip: str(options["tooltip"]),
    displayName: str(options["display_name"]),
    forceInput: options["forceInput"] === true,
    defaultInput: options["defaultInput"] === true,
    lazy: options["lazy"] === true,
    rawLink: options["rawLink"] === true,
    advanced: options["advanced"] === true,
    socketless: options["socketless"] === true,
    options,
    spec,
  };
}

function int(b: InputDefBase): IntInputDef {
  const o = b.options;
  return extend<IntInputDef>(b, {
    kind: "int",
    default: intValue(first(o["default"]), "default"),
    min: intValue(o["min"], "min"),
    max: intValue(o["max"], "max"),
    step: num(o["step"]),
    controlAfterGenerate: controlAfterGenerate(o["control_after_generate"]),
  });
}

function float(b: InputDefBase): FloatInputDef {
  const o = b.options;
  const round = o["round"];
  return extend<FloatInputDef>(b, {
    kind: "float",
    default: num(first(o["default"])),
    min: num(o["min"]),
    max: num(o["max"]),
    step: num(o["step"]),
    round: round === false ? false : num(round),
  });
}

function string(b: InputDefBase): StringInputDef {
  const o = b.options;
  return extend<StringInputDef>(b, {
    kind: "string",
    default: str(o["default"]) ?? str(o["defaultVal"]),
    multiline: o["multiline"] === true,
    dynamicPrompts: o["dynamicPrompts"] === true,
    placeholder: str(o["placeholder"]),
  });
}

function boolean(b: InputDefBase): BooleanInputDef {
  const o = b.options;
  const d = o["default"];
  return extend<BooleanInputDef>(b, {
    kind: "boolean",
    default: typeof d === "boolean" ? d : undefined,
    labelOn: str(o["label_on"]),
    labelOff: str(o["label_off"]),
  });
}

function combo(
  name: string,
  required: boolean,
  spec: readonly unknown[],
  options: Options,
  rawValues: readonly unknown[],
  rawType: string,
  path: string,
): ComboInputDef {
  const values = comboValues(rawValues, `${path}[0]`);
  const d = comboValue(first(options["default"]));
  let upload: UploadKind | undefined;
  for (const [key, kind] of UPLOAD_KEYS) {
    if (options[key] === true) {
      upload = kind;
      break;
    }
  }
  return extend<ComboInputDef>(base(name, required, spec, options, rawType), {
    kind: "combo",
    values,
    default: d,
    multiselect: options["multiselect"] === true,
    upload,
    imageFolder: str(options["image_folder"]),
    remote: isPlainObject(options["remote"]),
    controlAfterGenerate: controlAfterGenerate(options["control_after_generate"]),
  });
}

/** Combo values: primitives as is; `{content}` objects (pysssss) and `[name, …]` lists (VHS) by their name. */
export function comboValues(raw: readonly unknown[], path: string): ComboValue[] {
  const out: ComboValue[] = [];
  for (let i = 0; i < raw.length; i++) {
    const v = comboValue(raw[i]);
    if (v === undefined)
      throw new NodeParseError(
        `${path}[${i}]`,
        `combo value must be a string, number or boolean, got ${describe(raw[i])}`,
      );
    out.push(v);
  }
  return out;
}

function comboValue(v: unknown): ComboValue | undefined {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  if (isPlainObject(v) && typeof v["content"] === "string") return v["content"];
  // VHS sends ["name", [sub-options]]; a few packs nest the whole list once more.
  if (Array.isArray(v)) {
    const head = v[0];
    if (typeof head === "string" || typeof head === "number" || typeof head === "boolean") return head;
  }
  return undefined;
}

function matchType(b: InputDefBase, options: Options, path: string): MatchTypeInputDef {
  const t = readWire(
    (s) => s.matchTypeTemplate,
    isMatchTypeTemplateWire,
    options["template"],
    `${path}[1].template`,
  );
  const allowed = t.allowed_types;
  const allowedTypes = allowed == null ? ["*"] : Array.isArray(allowed) ? allowed : splitTypes(allowed);
  return extend<MatchTypeInputDef>(b, { kind: "matchtype", templateId: t.template_id, allowedTypes });
}

function autogrow(b: InputDefBase, options: Options, path: string): AutogrowInputDef {
  const at = `${path}[1].template`;
  const t = readWire((s) => s.autogrowTemplate, isAutogrowTemplateWire, options["template"], at);
  const template = [
    ...sectionInputs(t.input.required, true, `${at}.input.required`),
    ...sectionInputs(t.input.optional, false, `${at}.input.optional`),
  ];
  const prefix = t.prefix ?? undefined;
  const max = t.max ?? undefined;
  let names: string[] = t.names ?? [];
  if (names.length === 0 && prefix !== undefined && max !== undefined) {
    names = Array.from({ length: max }, (_, i) => `${prefix}${i}`);
  }
  return extend<AutogrowInputDef>(b, { kind: "autogrow", template, names, prefix, min: t.min ?? 0, max });
}

function dynamicCombo(b: InputDefBase, options: Options, path: string): DynamicComboInputDef {
  const at = `${path}[1].options`;
  const raw = readWire((s) => s.dynamicComboOptions, isDynamicComboOptionsWire, options["options"] ?? [], at);
  const choices: DynamicComboChoice[] = raw.map((c, i) => ({
    key: String(c.key),
    inputs: [
      ...sectionInputs(c.inputs?.required, true, `${at}[${i}].inputs.required`),
      ...sectionInputs(c.inputs?.optional, false, `${at}[${i}].inputs.optional`),
    ],
  }));
  const d = options["default"];
  return extend<DynamicComboInputDef>(b, {
    kind: "dynamic_combo",
    choices,
    default: typeof d === "string" ? d : choices[0]?.key,
  });
}

/** Normalizes every input of one section (`required` / `optional`), in the given order. */
export function sectionInputs(
  section: Readonly<Record<string, unknown>> | null | undefined,
  required: boolean,
  path: string,
  order?: readonly string[] | null,
): InputDef[] {
  if (!section) return [];
  const out: InputDef[] = [];
  for (const name of orderedKeys(section, order)) {
    out.push(normalizeInput(name, section[name], required, `${path}.${name}`));
  }
  return out;
}

/** `order` (the server's `input_order`) first, then any key it does not list, in object order. */
export function orderedKeys(
  section: Readonly<Record<string, unknown>>,
  order?: readonly string[] | null,
): string[] {
  const keys = Object.keys(section);
  if (!order || order.length === 0) return keys;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of order) {
    if (Object.hasOwn(section, name) && !seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  if (out.length !== keys.length) for (const k of keys) if (!seen.has(k)) out.push(k);
  return out;
}

/** `value` read by a wire schema: its structural check first, zod only when that fails (for the message). */
function readWire<S extends z.ZodType>(
  schema: (all: WireSchemas) => S,
  check: (v: unknown) => v is z.infer<S>,
  value: unknown,
  path: string,
): z.infer<S> {
  if (check(value)) return value;
  const r = schema(wireSchemas()).safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const sub = issue
    ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")
    : "";
  throw new NodeParseError(`${path}${sub}`, issue?.message ?? "invalid");
}

// Adds the kind's fields to a fresh base object (cheaper than spreading it into a new one).
function extend<T extends InputDef>(b: InputDefBase, fields: Omit<T, keyof InputDefBase>): T {
  return Object.assign(b, fields) as T;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

const TWO_64 = 2 ** 64;
const U64_MAX = 18446744073709551615n;

/**
 * INT bounds and defaults. Exact `bigint`s (from `parseCatalogText`) are kept; an unsafe `number`
 * (from an object parsed by `JSON.parse`, or a server that wrote a float such as
 * `1.8446744073709552e+19`) becomes a `bigint` of the double's value, except that 2^64 becomes
 * 2^64−1: it is the rounded form of `0xffffffffffffffff`, the only bound servers send up there.
 */
function intValue(v: unknown, _which: string): number | bigint | undefined {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
  if (Number.isSafeInteger(Math.trunc(v)) || !Number.isInteger(v)) return v;
  return v === TWO_64 ? U64_MAX : BigInt(v);
}

function controlAfterGenerate(v: unknown): ControlAfterGenerate | undefined {
  if (typeof v === "boolean") return v;
  if (v === "fixed" || v === "increment" || v === "decrement" || v === "randomize") return v;
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}
