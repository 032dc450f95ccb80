import { PyFloat, pyRepr, pyStrRepr } from "@comfy-ts/core/python";
import { formatInputValue } from "./execution-errors.js";

/** The pseudo file the frames name, as Python names code that has no source file (`<string>`). */
export const TRACEBACK_FILE = "<comfy-ts local server>";

const MAX_VALUE_CHARS = 60;

/**
 * The `traceback` of an `execution_error` in ComfyUI's shape — Python's `traceback.format_tb`: one
 * string per frame, `  File "…", line N, in func\n    source\n` — for a failure of this server.
 * Two frames: the executor calling the node's class with its inputs, and the node raising
 * `exceptionType(message)`. The JS stack never goes to clients; the server logs it.
 *
 * @example
 * pythonTraceback({ classType: "KSampler", exceptionType: "NotImplementedError",
 *   message: "KSampler needs model weights…", inputs: { seed: [8566257] } })
 * // ['  File "<comfy-ts local server>", line 1, in execute\n    outputs = KSampler(seed=8566257)\n',
 * //  '  File "<comfy-ts local server>", line 1, in KSampler\n    raise NotImplementedError(\'KSampler needs model weights…\')\n']
 */
export function pythonTraceback(failure: {
  readonly classType: string;
  readonly exceptionType: string;
  readonly message: string;
  /** The node's inputs as the executor passes them (lists of values per input), when known. */
  readonly inputs?: Readonly<Record<string, readonly unknown[]>>;
}): string[] {
  const args = Object.entries(failure.inputs ?? {})
    .map(([name, values]) => `${name}=${pythonRepr(values.length === 1 ? values[0] : values)}`)
    .join(", ");
  const func = identifier(failure.classType);
  return [
    frame("execute", `outputs = ${func}(${args})`),
    frame(func, `raise ${failure.exceptionType}(${pyStrRepr(firstLine(failure.message))})`),
  ];
}

function frame(func: string, source: string): string {
  return `  File "${TRACEBACK_FILE}", line 1, in ${func}\n    ${source}\n`;
}

/** Python's `repr()` of an input value, shortened. Tensors read as `<tensor shape=[…] dtype=float32>`. */
function pythonRepr(value: unknown): string {
  let text: string;
  if (Array.isArray(value)) text = `[${value.map(pythonRepr).join(", ")}]`;
  else if (value === null || value === undefined || typeof value !== "object" || value instanceof PyFloat)
    text = pyRepr(value);
  else {
    const formatted = formatInputValue(value);
    text = typeof formatted === "string" ? formatted : String(formatted);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function firstLine(message: string): string {
  return message.trimEnd().split("\n")[0] ?? "";
}

/** Class types of custom nodes may hold spaces or punctuation; a Python frame names an identifier. */
function identifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(id) ? `_${id}` : id || "node";
}
