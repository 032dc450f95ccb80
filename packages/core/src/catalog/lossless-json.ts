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
export class JsonSyntaxError extends SyntaxError {
  readonly code = "invalid_json";
  readonly position: JsonTextPosition | undefined;
  constructor(message: string, position: JsonTextPosition | undefined, cause: unknown) {
    super(message, { cause });
    this.name = "JsonSyntaxError";
    this.position = position;
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
  let left = count;
  const restore = (value: string): bigint | undefined =>
    value.charCodeAt(0) === 0 && value.startsWith(mark) ? BigInt(value.slice(mark.length)) : undefined;
  const visit = (node: object): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length && left > 0; i++) {
        const v: unknown = node[i];
        if (typeof v === "object" && v !== null) visit(v);
        else if (typeof v === "string") {
          const big = restore(v);
          if (big !== undefined) {
            node[i] = big;
            left--;
          }
        }
      }
      return;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (left === 0) return;
      const v = record[key];
      if (typeof v === "object" && v !== null) visit(v);
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
  };
  if (typeof root === "string") return restore(root) ?? root;
  if (typeof root === "object" && root !== null) visit(root);
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

/** Offset of the first character that makes `text` invalid JSON (a small recursive-descent checker). */
function findSyntaxError(text: string): number | undefined {
  let i = 0;
  const fail = (at: number): never => {
    throw new JsonCheckStop(at);
  };
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text.charAt(i))) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text.charAt(i) !== ch) fail(i);
      i++;
    }
  };
  const string = (): void => {
    i++;
    while (true) {
      if (i >= text.length) fail(i);
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return;
      }
      if (c < 32) fail(i);
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      i++;
      if (text.charAt(i) === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(i);
        i += 5;
      } else if ('"\\/bfnrt'.includes(text.charAt(i)) && i < text.length) {
        i++;
      } else {
        fail(i);
      }
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(i);
    else i += m[0].length;
  };
  const container = (close: string, member: () => void): void => {
    i++;
    ws();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    while (true) {
      member();
      ws();
      const c = text.charAt(i);
      i++;
      if (c === close) return;
      if (c !== ",") fail(i - 1);
    }
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === "{") {
      container("}", () => {
        ws();
        if (text.charAt(i) !== '"') fail(i);
        string();
        ws();
        if (text.charAt(i) !== ":") fail(i);
        i++;
        value();
      });
    } else if (c === "[") container("]", value);
    else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else if (c === "-" || (c >= "0" && c <= "9" && c !== "")) number();
    else fail(i);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(i);
    return undefined;
  } catch (stop) {
    if (stop instanceof JsonCheckStop) return Math.min(stop.at, text.length);
    throw stop;
  }
}

class JsonCheckStop {
  constructor(readonly at: number) {}
}

/**
 * `JSON.stringify` that writes `bigint` as exact digits (and unsafe integer-valued doubles in
 * exponent form, so `parseJsonLossless` reads each back as the type it was). With `indent`,
 * pretty-prints like `JSON.stringify(value, null, indent)`.
 */
export function stringifyJsonLossless(value: unknown, indent?: number | string): string {
  let hasBig = false;
  const tokens: string[] = [];
  // A per-call nonce keeps user strings that look like markers intact.
  const nonce = Math.random().toString(36).slice(2, 10);
  const mark = `${MARK}${nonce}:`;
  const out = JSON.stringify(
    value,
    (_key, v: unknown) => {
      let token: string;
      if (typeof v === "bigint") token = v.toString();
      // A double beyond 2^53 is written in exponent form, so reading it back does not make it a bigint.
      else if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v))
        token = v.toExponential();
      else return v;
      hasBig = true;
      tokens.push(token);
      return `${mark}${tokens.length - 1}`;
    },
    indent,
  );
  if (out === undefined) throw new TypeError("stringifyJsonLossless: value is not serializable");
  if (!hasBig) return out;
  const pattern = new RegExp(`"\\\\u0000bigint:${nonce}:(\\d+)"`, "g");
  return out.replace(pattern, (_m, i: string) => tokens[Number(i)] ?? "null");
}
