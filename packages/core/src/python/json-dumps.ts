import { PyFloat, pyFloatRepr } from "./values.js";

/**
 * Python's `json.dumps(value)` with default options, as ComfyUI writes prompts and workflows into
 * files: `", "` and `": "` separators, non-ASCII escaped as `\uXXXX`, `NaN`/`Infinity`, bigints with
 * their exact digits, `PyFloat`s as floats (`2.0`); properties that are `undefined` are left out.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" || value instanceof PyFloat) {
    const x = typeof value === "number" ? value : value.value;
    if (Number.isNaN(x)) return "NaN";
    if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
    return Number.isInteger(x) && typeof value === "number" ? x.toFixed(0) : pyFloatRepr(x);
  }
  if (typeof value === "string") return asciiJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiJsonString(k)}: ${pyJsonDumps(v)}`).join(", ")}}`;
  }
  return asciiJsonString(String(value));
}

function asciiJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
