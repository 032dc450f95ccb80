import type {
  AutogrowInputDef,
  ComboInputDef,
  ComboValue,
  DynamicComboInputDef,
  InputDef,
  InputKind,
  MatchTypeInputDef,
  SocketInputDef,
} from "@comfy-ts/core/catalog";
import { isFileCombo } from "./file-combos.js";
import { inputDocs } from "./jsdoc.js";
import type { InputModel } from "./module-model.js";
import type { ResolvedOptions } from "./options.js";

/** Names the generated declarations import from core, aliased so no class name can shadow them. */
export const T = {
  int: "$Int",
  float: "$Float",
  string: "$String",
  boolean: "$Boolean",
  combo: "$Combo",
  file: "$File",
  link: "$Link",
  output: "$Output",
  anyOutput: "$AnyOutput",
  listOutput: "$ListOutput",
  factory: "$NodeFactory",
  single: "$SingleOutputNode",
  multi: "$MultiOutputNode",
  outputNode: "$OutputNode",
  handle: "$NodeHandle",
} as const;

/** Core export behind each alias. */
export const CORE_TYPE_NAMES: Readonly<Record<(typeof T)[keyof typeof T], string>> = {
  $Int: "IntInput",
  $Float: "FloatInput",
  $String: "StringInput",
  $Boolean: "BooleanInput",
  $Combo: "ComboInput",
  $File: "FileInput",
  $Link: "Link",
  $Output: "Output",
  $AnyOutput: "AnyOutput",
  $ListOutput: "ListOutput",
  $NodeFactory: "NodeFactory",
  $SingleOutputNode: "SingleOutputNode",
  $MultiOutputNode: "MultiOutputNode",
  $OutputNode: "OutputNode",
  $NodeHandle: "NodeHandle",
};

export interface InputContext {
  readonly classType: string;
  readonly options: ResolvedOptions;
}

type Expand<K extends InputKind> = (
  input: Extract<InputDef, { kind: K }>,
  key: string,
  required: boolean,
  ctx: InputContext,
) => InputModel[];

/** A string literal type. */
export function lit(value: string): string {
  return JSON.stringify(value);
}

function union(types: readonly string[]): string {
  return types.length === 0 ? "never" : [...new Set(types)].join(" | ");
}

function links(types: readonly string[]): string {
  return types.includes("*") ? T.output : `${T.link}<${union(types.map(lit))}>`;
}

function comboValueType(value: ComboValue): string {
  return typeof value === "string" ? lit(value) : String(value);
}

/** The type of a combo's values, and whether it was capped or names files. */
interface ComboType {
  readonly type: string;
  readonly values: string;
  readonly file: boolean;
  readonly capped: boolean;
}

// The same option lists (checkpoints, samplers) repeat across many nodes: print each once per options.
const comboCache = new WeakMap<ResolvedOptions, Map<string, ComboType>>();

export function comboType(input: ComboInputDef, ctx: InputContext): ComboType {
  const file = isFileCombo(ctx.classType, input, ctx.options);
  let cache = comboCache.get(ctx.options);
  if (!cache) {
    cache = new Map();
    comboCache.set(ctx.options, cache);
  }
  const key = `${file}\u0000${input.values.map((v) => `${typeof v}:${v}`).join("\u0000")}`;
  let result = cache.get(key);
  if (!result) {
    result = printCombo(input, file, ctx.options);
    cache.set(key, result);
  }
  return result;
}

function printCombo(input: ComboInputDef, file: boolean, options: ResolvedOptions): ComboType {
  const max = options.maxComboValues;
  const capped = input.values.length > max;
  if (file || capped) {
    const known =
      file && options.fileValues === "none"
        ? []
        : input.values.slice(0, max).map((v) => (typeof v === "string" ? v : String(v)));
    const type = known.length === 0 ? T.file : `${T.file}<${union(known.map(lit))}>`;
    const values = known.length === 0 ? "string" : `${union(known.map(lit))} | (string & {})`;
    return { type, values, file, capped };
  }
  const plain = input.values.filter((v) => typeof v !== "boolean");
  const hasBoolean = plain.length !== input.values.length;
  const type = `${T.combo}<${union(plain.map(comboValueType))}>${hasBoolean ? " | boolean" : ""}`;
  const values = union([...plain.map(comboValueType), ...(hasBoolean ? ["boolean"] : [])]);
  return { type, values, file, capped };
}

function one(input: InputDef, key: string, required: boolean, type: string, extra?: string): InputModel[] {
  return [{ key, type, optional: !required, docs: inputDocs(input, extra) }];
}

// A Map: a socket type is any catalog string, `constructor` and `__proto__` included.
const PRIMITIVE_LITERALS: ReadonlyMap<string, readonly string[]> = new Map([
  ["INT", ["number", "bigint"]],
  ["FLOAT", ["number"]],
  ["STRING", ["string"]],
  ["BOOLEAN", ["boolean"]],
]);

/** Expands one catalog input into the properties of the factory's input type (V3 kinds give several). */
export const EXPANDERS: { readonly [K in InputKind]: Expand<K> } = {
  int: (input, key, required) => one(input, key, required, input.forceInput ? `${T.link}<"INT">` : T.int),
  float: (input, key, required) =>
    one(input, key, required, input.forceInput ? `${T.link}<"FLOAT">` : T.float),
  string: (input, key, required) =>
    one(input, key, required, input.forceInput ? `${T.link}<"STRING">` : T.string),
  boolean: (input, key, required) =>
    one(input, key, required, input.forceInput ? `${T.link}<"BOOLEAN">` : T.boolean),
  combo: (input, key, required, ctx) => {
    if (input.forceInput) return one(input, key, required, `${T.link}<"COMBO">`);
    const { type, values, file, capped } = comboType(input, ctx);
    const note = capped
      ? `${input.values.length} options; the first ${ctx.options.maxComboValues} are offered, any string is accepted.`
      : file
        ? "Names a file on the server: known files are offered, any string is accepted."
        : undefined;
    const withList = input.multiselect ? `${type} | readonly (${values})[]` : type;
    return one(input, key, required, withList, note);
  },
  socket: (input: SocketInputDef, key, required) => {
    const literals = input.forceInput ? [] : input.types.flatMap((t) => PRIMITIVE_LITERALS.get(t) ?? []);
    return one(input, key, required, union([...literals, links(input.types)]));
  },
  matchtype: (input: MatchTypeInputDef, key, required) =>
    one(
      input,
      key,
      required,
      links(input.allowedTypes),
      `MatchType \`${input.templateId}\`: the sockets of this template take one type; it is not checked here.`,
    ),
  autogrow: (input: AutogrowInputDef, key, required, ctx) => {
    const out: InputModel[] = [];
    const multi = input.template.length > 1;
    input.names.forEach((entry, index) => {
      for (const child of input.template) {
        const childKey = multi ? `${key}.${entry}.${child.name}` : `${key}.${entry}`;
        const need = required && child.required && index < input.min;
        out.push(...expandInput(child, childKey, need, ctx));
      }
    });
    if (input.prefix !== undefined && input.max === undefined) {
      for (const child of input.template) {
        const childKey = multi
          ? `${key}.${input.prefix}\${number}.${child.name}`
          : `${key}.${input.prefix}\${number}`;
        for (const m of expandInput(child, childKey, false, ctx)) out.push({ ...m, pattern: true });
      }
    }
    if (out.length === 0) return out;
    const first = out[0]!;
    const bounds = [
      ...(input.min > 0 ? [`at least ${input.min}`] : []),
      ...(input.max !== undefined ? [`at most ${input.max}`] : []),
    ];
    const count = bounds.length > 0 ? `${bounds.join(", ")} entries` : "any number of entries";
    const note = `Autogrow \`${key}\`: ${count}, keys \`${key}.<entry>\`.`;
    out[0] = { ...first, docs: first.docs === "" ? note : `${first.docs}\n\n${note}` };
    return out;
  },
  dynamic_combo: (input: DynamicComboInputDef, key, required, ctx) => {
    const keys = input.choices.map((c) => c.key);
    const out: InputModel[] = [
      {
        key,
        type: input.forceInput ? `${T.link}<"COMBO">` : `${T.combo}<${union(keys.map(lit))}>`,
        optional: !required || input.default !== undefined,
        docs: inputDocs(
          input,
          `Dynamic combo: each choice adds inputs \`${key}.<name>\` (${keys.map((k) => `\`${k}\``).join(", ")}). Give only those of the chosen option.`,
        ),
      },
    ];
    const byKey = new Map<string, InputModel[]>();
    for (const choice of input.choices) {
      for (const child of choice.inputs) {
        for (const m of expandInput(child, `${key}.${child.name}`, false, ctx)) {
          const list = byKey.get(m.key) ?? [];
          list.push({
            ...m,
            docs: `Only when \`${key}\` is \`${choice.key}\`.${m.docs ? `\n\n${m.docs}` : ""}`,
          });
          byKey.set(m.key, list);
        }
      }
    }
    for (const [childKey, list] of byKey) {
      const firstModel = list[0]!;
      out.push({
        key: childKey,
        type: union(list.map((m) => m.type)),
        optional: true,
        docs: [...new Set(list.map((m) => m.docs))].join("\n\n"),
        ...(firstModel.pattern ? { pattern: true } : {}),
      });
    }
    return out;
  },
};

/** The properties one catalog input contributes, keyed as in the API prompt. */
export function expandInput(
  input: InputDef,
  key: string,
  required: boolean,
  ctx: InputContext,
): InputModel[] {
  return (EXPANDERS[input.kind] as Expand<InputKind>)(input as never, key, required, ctx);
}
