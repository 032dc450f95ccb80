import type { RawAnswer } from "./raw-http.js";

/**
 * What ComfyUI 0.3.65 (aiohttp) answers, by class of request. Each check returns a problem (what
 * differs) or undefined.
 */
export type AnswerCheck = (answer: RawAnswer) => string | undefined;

const SERVER_ERROR_TEXT = "500 Internal Server Error\n\nServer got itself in trouble";

function describe(answer: RawAnswer): string {
  if (answer.status === undefined) return `no answer (${JSON.stringify(answer.raw.slice(0, 120))})`;
  const type = answer.headers["content-type"] ?? "no content-type";
  return `${answer.status} ${type} ${JSON.stringify(answer.body.toString("utf8").slice(0, 160))}`;
}

function expectText(status: number, text: string): AnswerCheck {
  return (a) =>
    a.status === status &&
    a.body.toString("utf8") === text &&
    /^text\/plain/.test(a.headers["content-type"] ?? "")
      ? undefined
      : `expected ${status} text ${JSON.stringify(text)}, got ${describe(a)}`;
}

/** aiohttp's `HTTPNotFound` (no route, or a file the static route does not have). */
export const notFound: AnswerCheck = expectText(404, "404: Not Found");

/** aiohttp's `HTTPMethodNotAllowed`: the path exists for other methods (at least the static GET/HEAD). */
export function methodNotAllowed(allowed: readonly string[]): AnswerCheck {
  const text = expectText(405, "405: Method Not Allowed");
  return (a) => {
    const problem = text(a);
    if (problem) return problem;
    const allow = a.headers.allow;
    return allow === [...allowed].sort().join(",")
      ? undefined
      : `expected Allow ${allowed.join(",")}, got ${allow}`;
  };
}

/** A handler raised (malformed JSON, a bad `int()` of a query value): aiohttp's 500 page. */
export const serverError: AnswerCheck = expectText(500, SERVER_ERROR_TEXT);

/** `web.Response(status=…)`: an empty body. */
export function empty(status: number): AnswerCheck {
  return (a) =>
    a.status === status && a.body.length === 0
      ? undefined
      : `expected an empty ${status}, got ${describe(a)}`;
}

/** A JSON answer (Python's json: `Infinity`/`NaN` tokens allowed) whose value passes `shape`. */
export function json(
  status: number,
  shape: (value: unknown) => string | undefined = () => undefined,
): AnswerCheck {
  return (a) => {
    if (a.status !== status || !/^application\/json/.test(a.headers["content-type"] ?? ""))
      return `expected ${status} JSON, got ${describe(a)}`;
    let value: unknown;
    try {
      value = parsePythonJson(a.body.toString("utf8"));
    } catch (error) {
      return `the ${status} answer is not JSON (${(error as Error).message}): ${describe(a)}`;
    }
    return shape(value);
  };
}

/** One of several classes (when the class depends on details the generator does not model). */
export function oneOf(...checks: AnswerCheck[]): AnswerCheck {
  return (a) => {
    const problems = checks.map((c) => c(a));
    return problems.some((p) => p === undefined) ? undefined : problems.join("; or ");
  };
}

/** Any HTTP answer of these statuses, or the connection closed without one (a malformed request). */
export function statusIn(statuses: readonly number[], allowClose = false): AnswerCheck {
  return (a) => {
    if (a.status === undefined) return allowClose ? undefined : `no answer: ${describe(a)}`;
    return statuses.includes(a.status)
      ? undefined
      : `expected one of ${statuses.join("/")}, got ${describe(a)}`;
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `POST /prompt` accepted: `{prompt_id, number, node_errors}`. */
export const queued: AnswerCheck = json(200, (v) =>
  isObject(v) && typeof v.prompt_id === "string" && typeof v.number === "number" && isObject(v.node_errors)
    ? undefined
    : `expected {prompt_id, number, node_errors}, got ${JSON.stringify(v).slice(0, 200)}`,
);

/** `POST /prompt` refused: `{error: {type, message, details, extra_info}, node_errors}`. */
export const refused: AnswerCheck = json(400, (v) => {
  if (!isObject(v) || !isObject(v.error) || !isObject(v.node_errors))
    return `expected {error, node_errors}, got ${JSON.stringify(v).slice(0, 200)}`;
  const e = v.error;
  return typeof e.type === "string" &&
    typeof e.message === "string" &&
    typeof e.details === "string" &&
    isObject(e.extra_info)
    ? undefined
    : `expected error {type, message, details, extra_info}, got ${JSON.stringify(e).slice(0, 200)}`;
});

/** A JSON object (any keys). */
export const jsonObject: AnswerCheck = json(200, (v) =>
  isObject(v) ? undefined : `expected an object, got ${JSON.stringify(v).slice(0, 120)}`,
);

/** JSON as Python writes it: the bare `Infinity`, `-Infinity` and `NaN` tokens are numbers. */
export function parsePythonJson(text: string): unknown {
  const marked = text.replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[\],}])/g, '"\\u0000$1"');
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith("\u0000") ? Number(value.slice(1)) : value,
  );
}
