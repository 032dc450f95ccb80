import { pyTypeName } from "@comfy-ts/core";
import { BadRequestBodyError } from "./request-body.js";

// What ComfyUI's handlers do with a JSON body, in Python's terms: `key in body`, `body[key]`,
// `body.get(key)`, `for x in body`. A body of the wrong type raises in Python, and aiohttp answers
// 500; these throw a BadRequestBodyError (answered 500) at the same points.

function isDict(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function pythonTypeError(message: string): BadRequestBodyError {
  return new BadRequestBodyError(`TypeError: ${message}`);
}

/** `key in value`: a dict's keys, a list's elements, a string's substrings; anything else raises. */
export function pyContains(value: unknown, key: string): boolean {
  if (isDict(value)) return Object.hasOwn(value, key);
  if (Array.isArray(value)) return value.some((v) => v === key);
  if (typeof value === "string") return value.includes(key);
  throw pythonTypeError(`argument of type '${pyTypeName(value)}' is not iterable`);
}

/** `value[key]` with a string key: only a dict has one (a list or string raises). */
export function pyGetItem(value: unknown, key: string): unknown {
  if (isDict(value)) return value[key];
  throw pythonTypeError(`'${pyTypeName(value)}' indices must be integers`);
}

/** `value.get(key)`: only a dict has `.get`. */
export function pyGet(value: unknown, key: string): unknown {
  if (isDict(value)) return value[key];
  throw new BadRequestBodyError(`AttributeError: '${pyTypeName(value)}' object has no attribute 'get'`);
}

/** `for x in value`: a list's elements, a string's characters, a dict's keys; anything else raises. */
export function pyIterate(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (isDict(value)) return Object.keys(value);
  throw pythonTypeError(`'${pyTypeName(value)}' object is not iterable`);
}

/** Python's `hash(value)` precondition: a list or dict used as a key raises. */
export function pyAssertHashable(value: unknown): void {
  if (value !== null && typeof value === "object")
    throw pythonTypeError(`unhashable type: '${pyTypeName(value)}'`);
}
