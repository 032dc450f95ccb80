/**
 * Fast structural twins of the zod schemas in `wire-schema.ts`. Each accepts only values its schema
 * accepts unchanged (so the value itself can stand for the schema's output); anything else — a
 * wrong type, a `__proto__` or symbol key, an unusual prototype — goes to zod, which then reports
 * the problem in its own words. Loading and running zod for every node of a 2,000-node catalog costs
 * more than the rest of parsing; real catalogs almost never need it.
 */
import type {
  AutogrowTemplateWire,
  DynamicComboOptionsWire,
  MatchTypeTemplateWire,
  NodeDefWire,
} from "./wire-schema.js";

type Check = (v: unknown) => boolean;

/** `z.looseObject` reads any non-array object. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `z.record(z.string(), z.unknown())`, when its output equals its input: a plain object (zod's
 * `isPlainObject`, narrowed) with no `__proto__` key (zod drops it) and no symbol keys (zod rejects them).
 */
function isSection(v: unknown): boolean {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.hasOwn(v, "constructor") || Object.hasOwn(v, "__proto__")) return false;
  return Object.getOwnPropertySymbols(v).length === 0;
}

const isString: Check = (v) => typeof v === "string";
const isBoolean: Check = (v) => typeof v === "boolean";
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isNullish: Check = (v) => v === undefined || v === null;

function nullish(check: Check): Check {
  return (v) => v === undefined || v === null || check(v);
}

function arrayOf(check: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
    return true;
  };
}

const section = nullish(isSection);
const order = nullish(arrayOf(isString));
const flag = nullish(isBoolean);
const text = nullish(isString);
const stringOrNull = (v: unknown) => v === null || typeof v === "string";
const outputType = (v: unknown) => typeof v === "string" || Array.isArray(v);
const booleanOrNull = (v: unknown) => v === null || typeof v === "boolean";

function looseObject(shape: Readonly<Record<string, Check>>): Check {
  const entries = Object.entries(shape);
  return (v) => {
    if (!isObject(v)) return false;
    for (const [key, check] of entries) if (!check(v[key])) return false;
    return true;
  };
}

const sections = nullish(looseObject({ required: section, optional: section, hidden: section }));
const orders = nullish(looseObject({ required: order, optional: order, hidden: order }));
const listOfText = nullish(arrayOf(stringOrNull));

const nodeDef = looseObject({
  input: sections,
  input_order: orders,
  output: nullish(arrayOf(outputType)),
  output_is_list: nullish(arrayOf(booleanOrNull)),
  output_name: listOfText,
  output_tooltips: listOfText,
  output_matchtypes: listOfText,
  name: text,
  display_name: text,
  description: text,
  python_module: text,
  category: text,
  output_node: flag,
  deprecated: flag,
  experimental: flag,
  dev_only: flag,
  api_node: flag,
  is_input_list: flag,
  search_aliases: nullish(arrayOf(isString)),
});

const autogrowTemplate = looseObject({
  input: looseObject({ required: section, optional: section }),
  names: nullish(arrayOf(isString)),
  prefix: text,
  min: nullish(isNumber),
  max: nullish(isNumber),
});

const matchTypeTemplate = looseObject({
  template_id: isString,
  allowed_types: (v) => isNullish(v) || typeof v === "string" || arrayOf(isString)(v),
});

const dynamicComboOptions = arrayOf(
  looseObject({
    key: (v) => typeof v === "string" || isNumber(v),
    inputs: nullish(looseObject({ required: section, optional: section })),
  }),
);

/** True when `nodeDefWireSchema` would accept `v` and return it as is. */
export const isNodeDefWire = nodeDef as (v: unknown) => v is NodeDefWire;
/** True when `autogrowTemplateSchema` would accept `v` and return it as is. */
export const isAutogrowTemplateWire = autogrowTemplate as (v: unknown) => v is AutogrowTemplateWire;
/** True when `matchTypeTemplateSchema` would accept `v` and return it as is. */
export const isMatchTypeTemplateWire = matchTypeTemplate as (v: unknown) => v is MatchTypeTemplateWire;
/** True when `dynamicComboOptionsSchema` would accept `v` and return it as is. */
export const isDynamicComboOptionsWire = dynamicComboOptions as (v: unknown) => v is DynamicComboOptionsWire;
