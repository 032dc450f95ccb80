/**
 * Python's behaviour on JSON values, where ComfyUI's answers are made of it: `str()`, `repr()`, `int()`,
 * `float()`, `bool()`, `round()`, `==` and `<`, so messages and files read byte for byte like the
 * server's. JSON cannot say whether `5` was `5` or `5.0` in Python; numbers are written as ints when
 * integral unless they are wrapped in `PyFloat` or the caller says the value is a float.
 */
import { ComfyError } from "../errors.js";

/**
 * A Python exception being emulated: `type` is the Python class name (`KeyError`, `TypeError`, …) that
 * ComfyUI reports, the message is Python's text.
 */
export class PythonException extends ComfyError {
  readonly type: string;
  /** Frames as `traceback.format_tb` writes them (innermost last). */
  readonly frames: string[];
  constructor(type: string, message: string, frames: string[] = []) {
    super("python_exception", message);
    this.type = type;
    this.frames = frames;
  }
}

/** A number that Python holds as a float: `repr`, `str` and `json.dumps` write `3.0`, not `3`. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** Python's `round(x)` of a float, and torch's `round`: halves go to the even neighbour. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's name of the type of a JSON value (`'dict'`, `'NoneType'`, …). */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (v instanceof PyFloat) return "float";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return "dict";
}

/** `repr(float)`: shortest round-trip digits, `.0` on integral values, exponent form like Python. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (Object.is(n, -0)) return "-0.0";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    // Python: 1e-05, 1.5e+17 (exponent with sign and at least two digits).
    const [mantissa, exp] = n.toExponential().split("e") as [string, string];
    const sign = exp.startsWith("-") ? "-" : "+";
    const digits = exp.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const s = String(n);
  return s.includes(".") ? s : `${s}.0`;
}

/** `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** `repr(v)` of a JSON value. `asFloat` writes integral numbers as floats (`1.0`). */
export function pyRepr(v: unknown, asFloat = false): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === "bigint") return asFloat ? pyFloatRepr(Number(v)) : v.toString();
  // An integral double beyond 2^53 came from a float literal (lossless parsing makes integers bigint).
  if (typeof v === "number") return asFloat || !Number.isSafeInteger(v) ? pyFloatRepr(v) : String(v);
  if (typeof v === "string") return pyStrRepr(v);
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x)).join(", ")}]`;
  const entries = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`,
  );
  return `{${entries.join(", ")}}`;
}

/** `str(v)` of a JSON value: strings as they are, everything else as `repr`. */
export function pyStr(v: unknown, asFloat = false): string {
  return typeof v === "string" ? v : pyRepr(v, asFloat);
}

/** Python `int(v)`: truncates floats, parses strings, raises like Python. Unsafe results are bigint. */
export function pyInt(v: unknown): number | bigint {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (typeof v === "number") {
    if (Number.isNaN(v)) throw new PythonException("ValueError", "cannot convert float NaN to integer");
    if (!Number.isFinite(v))
      throw new PythonException("OverflowError", "cannot convert float infinity to integer");
    const t = Math.trunc(v);
    return Number.isSafeInteger(t) ? t : BigInt(t);
  }
  if (typeof v === "string") {
    const m = /^\s*([+-]?)(\d(?:_?\d)*)\s*$/.exec(v);
    if (!m)
      throw new PythonException("ValueError", `invalid literal for int() with base 10: ${pyStrRepr(v)}`);
    const big = BigInt(`${m[1]}${m[2]!.replaceAll("_", "")}`);
    return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  throw new PythonException(
    "TypeError",
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`,
  );
}

/** Python `float(v)`. */
export function pyFloat(v: unknown): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new PythonException("OverflowError", "int too large to convert to float");
    return n;
  }
  if (typeof v === "string") {
    const t = v.trim();
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
    if (special)
      return special[2]!.toLowerCase() === "nan" ? Number.NaN : special[1] === "-" ? -Infinity : Infinity;
    if (/^[+-]?(\d(?:_?\d)*(\.(\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)([eE][+-]?\d(?:_?\d)*)?$/.test(t)) {
      return Number(t.replaceAll("_", ""));
    }
    throw new PythonException("ValueError", `could not convert string to float: ${pyStrRepr(v)}`);
  }
  throw new PythonException(
    "TypeError",
    `float() argument must be a string or a real number, not '${pyTypeName(v)}'`,
  );
}

/** Python `bool(v)` (truthiness): `"false"` is True, `{}` and `""` are False. */
export function pyBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "bigint") return v !== 0n;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v as object).length > 0;
}

/** Python `==` on JSON values: numbers and booleans compare by value (`1 == 1.0 == True`). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    return typeof na === typeof nb ? na === nb : looseEqual(na, nb);
  }
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEquals(x, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b as object, k) &&
      pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "number" || typeof v === "bigint") return v;
  return undefined;
}

// number vs bigint: equal when the number is integral and has the same value.
function looseEqual(a: number | bigint, b: number | bigint): boolean {
  const n = typeof a === "number" ? a : (b as number);
  const big = typeof a === "bigint" ? a : (b as bigint);
  return Number.isInteger(n) && BigInt(n) === big;
}

/**
 * Python `a < b` / `a > b` on JSON values. Numbers (and booleans) compare by value; other mixes
 * raise `TypeError: '<' not supported between instances of 'str' and 'int'` like Python.
 */
export function pyCompare(op: "<" | ">", a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return op === "<" ? na < nb : na > nb;
  if (typeof a === "string" && typeof b === "string") return op === "<" ? a < b : a > b;
  throw new PythonException(
    "TypeError",
    `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}
