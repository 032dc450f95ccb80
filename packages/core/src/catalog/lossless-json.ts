import { ComfyError } from "../errors.js";

/**
 * JSON with exact big integers. ComfyUI writes seeds and INT maxima up to 2^64−1
 * (`18446744073709551615`), which `JSON.parse` rounds to 2^64. These helpers keep the digits.
 */

/** Where malformed JSON text went wrong (1-based line and column). */
export interface JsonTextPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Thrown by `parseJsonLossless` for malformed text; says where. */
export class JsonSyntaxError extends ComfyError {
  declare readonly code: "invalid_json";
  readonly position: JsonTextPosition | undefined;
  constructor(message: string, position: JsonTextPosition | undefined, cause: unknown) {
    super("invalid_json", message, { cause });
    this.position = position;
  }
}

/** Thrown by `stringifyJsonLossless` for a value that contains itself (JSON has no references). */
export class JsonCycleError extends ComfyError {
  declare readonly code: "json_cycle";
  /** The JSONPath of the property that closes the circle. */
  readonly path: string;
  /** The JSONPath of the object it refers back to. */
  readonly target: string;
  constructor(path: string, target: string, cause: unknown) {
    super(
      "json_cycle",
      `cannot write JSON of a value that contains itself: ${path} refers back to ${target}; JSON has no references, so give that input a copy or a plain value`,
      { cause },
    );
    this.path = path;
    this.target = target;
  }
}

/**
 * Thrown by `stringifyJsonLossless` for a value nested deeper than a JSON writer can go (the
 * engine's `JSON.stringify` stops at a few thousand levels; ComfyUI's Python reads at most 995).
 */
export class JsonNestingError extends ComfyError {
  declare readonly code: "json_too_deep";
  /** How many arrays/objects deep the value goes. */
  readonly depth: number;
  /** Where the deepest point is, as a JSONPath (`$.x[0][0]…`, shortened). */
  readonly path: string;
  constructor(depth: number, path: string, cause: unknown) {
    super(
      "json_too_deep",
      `cannot write JSON nested ${depth} levels deep (at ${path}); keep values under about 1,000 levels ` +
        "(ComfyUI reads at most 995)",
      { cause },
    );
    this.depth = depth;
    this.path = path;
  }
}

// Marks a digit run that was moved into a string so JSON.parse keeps it; a walk turns it back.
const MARK = "\u0000bigint:";
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * `JSON.parse`, except that integer literals outside the safe range (|n| > 2^53−1) become `bigint`
 * with their exact digits. Numbers with a fraction or exponent stay `number`.
 * Malformed text throws a `JsonSyntaxError` with the line and column.
 *
 * @example
 * parseJsonLossless('{"max": 18446744073709551615, "step": 1}')
 * // → { max: 18446744073709551615n, step: 1 }
 */
export function parseJsonLossless(text: string): unknown {
  // A UTF-8 byte order mark is not JSON, but files saved by some editors start with one.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A per-call nonce keeps strings of the input that look like markers intact.
  const mark = `${MARK}${Math.random().toString(36).slice(2, 10)}:`;
  const escapedMark = JSON.stringify(mark).slice(1, -1);
  let marked = markBigIntegers(text, escapedMark, false);
  let prepared = marked?.text ?? text;
  try {
    let value: unknown;
    try {
      value = JSON.parse(prepared);
    } catch (error) {
      // A digit run inside a string that looked like a number: marking it broke the string (the
      // mark starts with a backslash, never valid outside one). Mark again, tracking strings.
      if (marked === undefined) throw error;
      marked = markBigIntegers(text, escapedMark, true);
      prepared = marked?.text ?? text;
      value = JSON.parse(prepared);
    }
    // A walk that stops at the last marker is ~3x faster than a reviver (V8 calls it for every value).
    return marked ? restoreBigIntegers(value, mark, marked.count) : value;
  } catch (error) {
    // Report positions in the caller's text: parse it again unmodified to get the native message.
    let original: unknown = error;
    if (prepared !== text) {
      try {
        JSON.parse(text);
      } catch (e) {
        original = e;
      }
    }
    const native = original instanceof Error ? original.message : String(original);
    const position = positionOf(text, native);
    const where = position ? ` at line ${position.line}, column ${position.column}` : "";
    throw new JsonSyntaxError(`malformed JSON${where}: ${native}`, position, original);
  }
}

/**
 * Rewrites unsafe integer literals as marked strings; undefined when there are none. With `exact`,
 * string state is tracked by hopping from quote to quote (every quote before the last candidate);
 * without, a digit run counts as a number when its neighbours say so (`[:,` before, `,]}` after),
 * which a run inside a string can fake — the caller then parses a broken text and asks for `exact`.
 */
function markBigIntegers(
  text: string,
  escapedMark: string,
  exact: boolean,
): { text: string; count: number } | undefined {
  const candidates = /-?\d{16,}/g;
  let match = candidates.exec(text);
  if (match === null) return undefined;
  const parts: string[] = [];
  let copied = 0;
  let scanned = 0;
  let inString = false;
  while (match !== null) {
    const start = match.index;
    const end = start + match[0].length;
    if (exact) {
      while (true) {
        const q = text.indexOf('"', scanned);
        if (q === -1 || q >= start) break;
        if (!inString || !isEscaped(text, q)) inString = !inString;
        scanned = q + 1;
      }
    } else {
      inString = !betweenNumberDelimiters(text, start, end);
    }
    if (!inString && isIntegerToken(text, start, end) && !Number.isSafeInteger(Number(match[0]))) {
      parts.push(text.slice(copied, start), `"${escapedMark}${match[0]}"`);
      copied = end;
    }
    match = candidates.exec(text);
  }
  if (parts.length === 0) return undefined;
  const count = parts.length / 2;
  parts.push(text.slice(copied));
  return { text: parts.join(""), count };
}

/** Turns the `count` marked strings in a parsed tree back into `bigint`s (in place); returns the root. */
function restoreBigIntegers(root: unknown, mark: string, count: number): unknown {
  const restore = (value: string): bigint | undefined =>
    value.charCodeAt(0) === 0 && value.startsWith(mark) ? BigInt(value.slice(mark.length)) : undefined;
  if (typeof root === "string") return restore(root) ?? root;
  if (typeof root !== "object" || root === null) return root;
  let left = count;
  // An explicit stack: JSON.parse reads any depth, and so must this walk.
  const stack: object[] = [root];
  while (stack.length > 0 && left > 0) {
    const node = stack.pop() as object;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "object" && v !== null) stack.push(v);
        else if (typeof v === "string") {
          const big = restore(v);
          if (big !== undefined) {
            node[i] = big;
            left--;
          }
        }
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (typeof v === "object" && v !== null) stack.push(v);
      else if (typeof v === "string") {
        const big = restore(v);
        if (big !== undefined) {
          // defineProperty: a key named "__proto__" is an own property here, not the prototype.
          Object.defineProperty(record, key, {
            value: big,
            writable: true,
            enumerable: true,
            configurable: true,
          });
          left--;
        }
      }
    }
  }
  return root;
}

/** Whether the nearest non-blank characters around `start..end` can delimit a JSON value. */
function betweenNumberDelimiters(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  const before = i < 0 ? -1 : text.charCodeAt(i);
  if (before !== -1 && before !== 58 /* : */ && before !== 91 /* [ */ && before !== 44 /* , */) return false;
  let j = end;
  while (j < text.length && isBlank(text.charCodeAt(j))) j++;
  const after = j >= text.length ? -1 : text.charCodeAt(j);
  return after === -1 || after === 44 /* , */ || after === 93 /* ] */ || after === 125 /* } */;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isEscaped(text: string, quote: number): boolean {
  let n = 0;
  for (let i = quote - 1; i >= 0 && text.charCodeAt(i) === BACKSLASH; i--) n++;
  return n % 2 === 1;
}

/** A whole JSON integer token: not part of a fraction, exponent or longer word. */
function isIntegerToken(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  const badBefore =
    before === 46 /* . */ ||
    before === 101 ||
    before === 69 ||
    before === 43 ||
    (before >= 48 && before <= 57);
  const badAfter = after === 46 || after === 101 || after === 69;
  return !badBefore && !badAfter && text.charCodeAt(start) !== QUOTE;
}

/** Line and column of the first syntax error (V8's message does not always carry a position). */
function positionOf(text: string, message: string): JsonTextPosition | undefined {
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : findSyntaxError(text);
  if (offset === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first character that makes `text` invalid JSON, or undefined when it is valid. A
 * small checker with an explicit stack of open containers, so any depth is checked.
 */
function findSyntaxError(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  /** The closing character each open container waits for (`]` or `}`). */
  const open: number[] = [];
  const blank = (): void => {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
  };
  /** Reads the string whose quote is at `i`; the offset of its fault, or undefined. */
  const string = (): number | undefined => {
    i++;
    for (;;) {
      if (i >= n) return i;
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return undefined;
      }
      if (c < 32) return i;
      i++;
      if (c !== BACKSLASH) continue;
      const escaped = text.charAt(i);
      if (escaped === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return i;
        i += 5;
      } else if (escaped !== "" && '"\\/bfnrt'.includes(escaped)) i++;
      else return i;
    }
  };
  /** Reads an object member's key and colon; the offset of a fault, or undefined. */
  const key = (): number | undefined => {
    blank();
    if (text.charCodeAt(i) !== QUOTE) return i;
    const fault = string();
    if (fault !== undefined) return fault;
    blank();
    if (text.charCodeAt(i) !== 58 /* : */) return i;
    i++;
    return undefined;
  };
  for (;;) {
    // A value starts here.
    blank();
    const c = text.charCodeAt(i);
    let fault: number | undefined;
    if (c === 123 /* { */ || c === 91 /* [ */) {
      i++;
      blank();
      const close = c === 123 ? 125 : 93;
      if (text.charCodeAt(i) === close) i++;
      else {
        open.push(close);
        if (c === 123) fault = key();
        if (fault !== undefined) return Math.min(fault, n);
        continue;
      }
    } else if (c === QUOTE) fault = string();
    else if (c === 116 /* t */ || c === 102 /* f */ || c === 110 /* n */) {
      const word = c === 116 ? "true" : c === 102 ? "false" : "null";
      let k = 0;
      while (k < word.length && text.charAt(i + k) === word[k]) k++;
      if (k < word.length) fault = i + k;
      i += k;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (m) i += m[0].length;
      else fault = i;
    } else fault = i;
    if (fault !== undefined) return Math.min(fault, n);
    // After a value: close containers, or go on to the next member.
    for (;;) {
      blank();
      const close = open.at(-1);
      if (close === undefined) return i < n ? i : undefined;
      const d = text.charCodeAt(i);
      if (d === close) {
        open.pop();
        i++;
        continue;
      }
      if (d !== 44 /* , */) return Math.min(i, n);
      i++;
      if (close === 125) {
        const bad = key();
        if (bad !== undefined) return Math.min(bad, n);
      }
      break;
    }
  }
}

/** How `stringifyJsonLossless` writes what JSON has no literal for. */
export interface StringifyJsonOptions {
  /**
   * `Infinity`, `-Infinity` and `NaN`: `"null"` (default, as `JSON.stringify`) or `"python"` — the
   * bare tokens Python's `json.dumps` writes (not JSON, but what ComfyUI answers with).
   */
  readonly nonFinite?: "null" | "python";
}

/**
 * `JSON.stringify` that writes `bigint` as exact digits (and unsafe integer-valued doubles in
 * exponent form, so `parseJsonLossless` reads each back as the type it was). With `indent`,
 * pretty-prints like `JSON.stringify(value, null, indent)`. A value nested deeper than the engine's
 * writer goes (a few thousand levels) throws a `JsonNestingError` saying how deep and where.
 */
export function stringifyJsonLossless(
  value: unknown,
  indent?: number | string,
  options: StringifyJsonOptions = {},
): string {
  let hasBig = false;
  const tokens: string[] = [];
  const python = options.nonFinite === "python";
  // A per-call nonce keeps user strings that look like markers intact.
  const nonce = Math.random().toString(36).slice(2, 10);
  const mark = `${MARK}${nonce}:`;
  let out: string | undefined;
  try {
    out = JSON.stringify(
      value,
      (_key, v: unknown) => {
        let token: string;
        if (typeof v === "bigint") token = v.toString();
        // A double beyond 2^53 is written in exponent form, so reading it back does not make it a bigint.
        else if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v))
          token = v.toExponential();
        else if (python && typeof v === "number" && !Number.isFinite(v))
          token = Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        else return v;
        hasBig = true;
        tokens.push(token);
        return `${mark}${tokens.length - 1}`;
      },
      indent,
    );
  } catch (error) {
    if (error instanceof RangeError) {
      const deepest = deepestPoint(value);
      if (deepest.depth > 1_000) throw new JsonNestingError(deepest.depth, deepest.path, error);
    }
    if (error instanceof TypeError) {
      const cycle = cyclePoint(value);
      if (cycle) throw new JsonCycleError(cycle.path, cycle.target, error);
    }
    throw error;
  }
  if (out === undefined) throw new TypeError("stringifyJsonLossless: value is not serializable");
  if (!hasBig) return out;
  const pattern = new RegExp(`"\\\\u0000bigint:${nonce}:(\\d+)"`, "g");
  return out.replace(pattern, (_m, i: string) => tokens[Number(i)] ?? "null");
}

/** A JSONPath step to `key` of an object or array. */
function pathStep(container: object, key: string): string {
  if (Array.isArray(container)) return `[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * The first property whose value is one of its own ancestors, as JSONPaths of the property and of
 * the ancestor (depth-first without recursion, so any depth is fine), or undefined.
 */
function cyclePoint(value: unknown): { path: string; target: string } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  // Each frame: an object on the current path, its path, and the keys still to visit.
  const frames: { node: object; path: string; keys: string[] }[] = [
    { node: value, path: "$", keys: Object.keys(value) },
  ];
  const onPath = new Map<object, string>([[value, "$"]]);
  const done = new Set<object>();
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const key = frame.keys.shift();
    if (key === undefined) {
      frames.pop();
      onPath.delete(frame.node);
      done.add(frame.node);
      continue;
    }
    let child = (frame.node as Record<string, unknown>)[key];
    // JSON.stringify writes what toJSON returns.
    if (typeof (child as { toJSON?: unknown } | null)?.toJSON === "function")
      child = (child as { toJSON: () => unknown }).toJSON();
    if (typeof child !== "object" || child === null || done.has(child)) continue;
    const path = `${frame.path}${pathStep(frame.node, key)}`;
    const target = onPath.get(child);
    if (target !== undefined) return { path, target };
    onPath.set(child, path);
    frames.push({ node: child, path, keys: Object.keys(child) });
  }
  return undefined;
}

/** How many arrays/objects deep `value` goes, and a JSONPath to the deepest (its first 12 steps). */
function deepestPoint(value: unknown): { depth: number; path: string } {
  let best = { depth: 0, path: "$" };
  const stack: { node: unknown; depth: number; path: string[] }[] = [{ node: value, depth: 0, path: [] }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop() as (typeof stack)[number];
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    const here = depth + 1;
    if (here > best.depth) {
      const shown = path.length > 12 ? `${path.slice(0, 12).join("")}…` : path.join("");
      best = { depth: here, path: `$${shown}` };
    }
    const entries = Array.isArray(node)
      ? node.map((v, i) => [`[${i}]`, v] as const)
      : Object.entries(node).map(
          ([k, v]) => [/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`, v] as const,
        );
    for (const [step, child] of entries) {
      if (typeof child === "object" && child !== null)
        stack.push({ node: child, depth: here, path: path.length < 13 ? [...path, step] : path });
    }
  }
  return best;
}
