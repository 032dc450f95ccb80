/**
 * Python's `json.dumps(value)` with default options: `", "` and `": "` separators, non-ASCII escaped
 * as `\uXXXX`, bigints as exact digits. JavaScript numbers carry no int/float distinction, so a whole
 * float prints as an int (`1` where Python writes `1.0`) unless it is wrapped in `PyFloat`.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" || value instanceof PyFloat) {
    const x = typeof value === "number" ? value : value.value;
    if (Number.isNaN(x)) return "NaN";
    if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
    return Number.isInteger(x) && typeof value === "number" ? x.toFixed(0) : pythonFloatRepr(x);
  }
  if (typeof value === "string") return asciiJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${asciiJsonString(k)}: ${pythonJsonDumps(v)}`).join(", ")}}`;
  }
  return asciiJsonString(String(value));
}

function asciiJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A number that Python holds as a float (so `str()` prints `3.0`, not `3`). */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** Python's `repr(float)`: shortest round-trip digits, `.0` on whole numbers, exponent from 1e16 and below 1e-4. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mant, exp] = x.toExponential().split("e") as [string, string];
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const s = String(x);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/** Python's `str()` of a value as PreviewAny shows it. */
export function pythonStr(value: unknown, isFloat = false): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (typeof value === "number")
    return isFloat || !Number.isInteger(value) ? pythonFloatRepr(value) : value.toFixed(0);
  if (typeof value === "bigint") return value.toString();
  return String(value);
}
