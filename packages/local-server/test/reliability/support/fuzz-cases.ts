// Generators of malformed and hostile requests for the local server, each with the answer ComfyUI
// 0.3.65 gives to its class (an oracle that follows ComfyUI's handlers, written independently of
// the server's code).
import { isAbsolute, join, normalize, resolve, sep } from "node:path";
import type { SeededRandom } from "@comfy-ts/test-support";
import WebSocket from "ws";
import {
  type AnswerCheck,
  empty,
  json,
  jsonObject,
  methodNotAllowed,
  notFound,
  oneOf,
  queued,
  refused,
  serverError,
  statusIn,
} from "./fuzz-expectations.js";
import { httpRequest, type RawAnswer, sendRaw } from "./raw-http.js";

export interface FuzzContext {
  readonly url: string;
  /** `host:port` of the server. */
  readonly host: string;
  /** The folder holding the server's `input/`, `output/` and `temp/`. */
  readonly root: string;
  /** A folder around `root` (and the server's working directory): nothing may appear here outside `root`'s folders. */
  readonly sandbox: string;
}

export interface FuzzCase {
  /** The class of request (counts are reported per kind). */
  readonly kind: string;
  /** What was sent, for a failure message. */
  readonly detail: string;
  /** Sends the request(s); resolves to what differs from the expected answer, or undefined. */
  run(): Promise<string | undefined>;
}

type Generate = (r: SeededRandom, ctx: FuzzContext) => FuzzCase;

function exchange(
  kind: string,
  detail: string,
  ctx: FuzzContext,
  request: Uint8Array | string,
  check: AnswerCheck,
  options?: Parameters<typeof sendRaw>[2],
): FuzzCase {
  return {
    kind,
    detail,
    run: async () => {
      const answer = await sendRaw(ctx.url, request, options);
      const problem = check(answer);
      return problem === undefined ? undefined : `${problem} — request: ${detail}`;
    },
  };
}

// ---- building blocks -----------------------------------------------------------------------

const NASTY_SEGMENTS = [
  "..",
  "%2e%2e",
  "%2E%2E%2F",
  "....//",
  "%00",
  "%ff",
  "%",
  "%zz",
  "~",
  "ä",
  "%E2%80%AE",
  "a b",
  "\\..\\",
  "con",
  "x".repeat(300),
  ";",
  "@",
  ":",
  "*",
];

function junkSegment(r: SeededRandom): string {
  return r.chance(0.4) ? r.pick(NASTY_SEGMENTS) : r.string(r.between(1, 12));
}

/**
 * A path no route has: under `/fzXXX/f/f/f/f/`, so its up to four random segments (`..` among them)
 * never climb to `/` or a real route.
 */
function unknownPath(r: SeededRandom): string {
  const parts = Array.from({ length: r.between(1, 4) }, () =>
    encodeURI(junkSegment(r)).replaceAll("?", "%3F").replaceAll("#", "%23"),
  );
  const path = `/fz${r.string(3)}/f/f/f/f/${parts.join("/")}`;
  return r.chance(0.2) ? `/api${path}` : path;
}

/** ComfyUI's routes and their methods (aiohttp adds HEAD to every GET route). */
const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/prompt": ["GET", "POST"],
  "/queue": ["GET", "POST"],
  "/interrupt": ["POST"],
  "/free": ["POST"],
  "/history": ["GET", "POST"],
  "/history/some-id": ["GET"],
  "/view": ["GET"],
  "/upload/image": ["POST"],
  "/upload/mask": ["POST"],
  "/object_info": ["GET"],
  "/object_info/EmptyImage": ["GET"],
  "/system_stats": ["GET"],
  "/embeddings": ["GET"],
  "/extensions": ["GET"],
  "/features": ["GET"],
  "/models": ["GET"],
  "/settings": ["GET", "POST"],
  "/i18n": ["GET"],
  "/ws": ["GET"],
};

/** Methods aiohttp allows on `path`: the route's, HEAD for GET, and the static route's GET/HEAD. */
function allowedOn(path: string): string[] {
  const own = ROUTES[path.replace(/^\/api(?=\/)/, "")] ?? [];
  return [...new Set(["GET", "HEAD", ...own, ...(own.includes("GET") ? ["HEAD"] : [])])].sort();
}

/** Random JSON of any type (depth-bounded); `deep` allows some nesting. */
function randomJson(r: SeededRandom, depth = 0): unknown {
  const pick = r.int(depth > 3 ? 6 : 8);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53 + 2, 1e300, -0.0, 42]);
    case 3:
      return r.pick([
        "",
        "prompt",
        "number",
        "front",
        "clear",
        "delete",
        "x".repeat(r.between(0, 40)),
        "ä\u0000\n",
        "[object Object]",
      ]);
    case 4:
      return r.string(r.between(0, 20));
    case 5:
      return r.int(1000);
    case 6:
      return Array.from({ length: r.between(0, 4) }, () => randomJson(r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = r.between(0, 4); i > 0; i--)
        out[r.pick(["prompt", "number", "front", "x", "class_type", "inputs", r.string(4)])] = randomJson(
          r,
          depth + 1,
        );
      return out;
    }
  }
}

// ---- a Python oracle for the JSON handlers ---------------------------------------------------

class PyTypeError extends Error {}

function pyEq(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean" || typeof b === "boolean")
    return Number(a) === Number(b) && typeof a !== "string" && typeof b !== "string";
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Python's `key in container` for JSON values. */
function pyIn(container: unknown, key: string): boolean {
  if (Array.isArray(container)) return container.some((v) => pyEq(v, key));
  if (typeof container === "string") return container.includes(key);
  if (container !== null && typeof container === "object") return Object.hasOwn(container, key);
  throw new PyTypeError("argument is not iterable");
}

/** Python's `container[key]` with a string key. */
function pyItem(container: unknown, key: string): unknown {
  if (container !== null && typeof container === "object" && !Array.isArray(container))
    return (container as Record<string, unknown>)[key];
  throw new PyTypeError("indices must be integers");
}

/** Python's `for x in value` over a JSON value. */
function pyIter(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return [...value];
  if (value !== null && typeof value === "object") return Object.keys(value);
  throw new PyTypeError("not iterable");
}

function pyFloatOk(v: unknown): boolean {
  if (typeof v === "number" || typeof v === "boolean") return true;
  if (typeof v === "string") {
    const t = v.trim();
    return (
      /^[+-]?(inf|infinity|nan)$/i.test(t) ||
      /^[+-]?(\d(?:_?\d)*(\.(\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)([eE][+-]?\d(?:_?\d)*)?$/.test(t)
    );
  }
  return false;
}

// ---- generators ----------------------------------------------------------------------------

const unknownGet: Generate = (r, ctx) => {
  const method = r.chance(0.8) ? "GET" : "HEAD";
  const path = unknownPath(r);
  const check: AnswerCheck = method === "HEAD" ? statusIn([404]) : notFound;
  return exchange(
    "unknown path (GET/HEAD)",
    `${method} ${path}`,
    ctx,
    httpRequest(method, path, ctx.host),
    check,
  );
};

const wrongMethod: Generate = (r, ctx) => {
  const known = Object.keys(ROUTES);
  const path = r.chance(0.6) ? `${r.chance(0.3) ? "/api" : ""}${r.pick(known)}` : unknownPath(r);
  const allowed = allowedOn(path);
  const candidates = ["POST", "PUT", "DELETE", "PATCH", "PROPFIND"].filter((m) => !allowed.includes(m));
  const method = r.pick(candidates);
  const body = r.chance(0.5) ? JSON.stringify(randomJson(r)) : undefined;
  return exchange(
    "method without a route (405)",
    `${method} ${path}`,
    ctx,
    httpRequest(method, path, ctx.host, {}, body),
    methodNotAllowed(allowed),
  );
};

const MALFORMED_JSON: readonly ((r: SeededRandom) => Uint8Array | string)[] = [
  () => "",
  () => "{",
  () => '{"prompt": {"1": {"class_type": "EmptyImage"',
  () => "[1, 2,]",
  () => "{'prompt': {}}",
  (r) => r.bytes(r.between(1, 200)),
  (r) => `{"prompt": {}}${r.string(3)}`,
  () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  () => "\ufeff{}",
  () => '{"a": 01}',
  () => '{"a": "\u0001"}',
  () => "undefined",
];

const promptBadJson: Generate = (r, ctx) => {
  const body = r.pick(MALFORMED_JSON)(r);
  const shown = typeof body === "string" ? JSON.stringify(body.slice(0, 60)) : `${body.length} random bytes`;
  const route = r.pick(["/prompt", "/api/prompt", "/queue", "/history", "/free", "/settings"]);
  const asBytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  // Random bytes may happen to be JSON ("1", "[]"): such bodies are other cases.
  if (isValidJsonBytes(asBytes)) return promptNotObject(r, ctx);
  return exchange(
    "malformed JSON body",
    `POST ${route} ${shown}`,
    ctx,
    httpRequest("POST", route, ctx.host, {}, asBytes),
    serverError,
  );
};

function isValidJsonBytes(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (text.startsWith("\ufeff")) return false;
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `POST /prompt` with a JSON body that is not an object, answered as Python's handler reads it. */
const promptNotObject: Generate = (r, ctx) => {
  const body = r.pick<unknown>([
    null,
    true,
    7,
    2.5,
    "just text",
    "a prompt",
    "number",
    "front matter",
    [],
    [1, 2],
    ["prompt"],
    ["number"],
    ["front", 1],
    [{ prompt: {} }],
  ]);
  let check: AnswerCheck;
  try {
    if (pyIn(body, "number")) pyItem(body, "number");
    else if (pyIn(body, "front")) pyItem(body, "front");
    if (pyIn(body, "prompt")) {
      pyItem(body, "prompt");
      check = serverError; // unreachable for non-objects: pyItem throws
    } else {
      check = refusedAs("no_prompt");
    }
  } catch (error) {
    if (!(error instanceof PyTypeError)) throw error;
    check = serverError;
  }
  const text = JSON.stringify(body);
  return exchange(
    "prompt body not an object",
    `POST /prompt ${text}`,
    ctx,
    httpRequest("POST", "/prompt", ctx.host, {}, text),
    check,
  );
};

function refusedAs(type: string): AnswerCheck {
  const base = refused;
  return (a) =>
    base(a) ??
    (JSON.parse(a.body.toString("utf8")).error.type === type
      ? undefined
      : `expected error type ${type}, got ${a.body.toString("utf8").slice(0, 200)}`);
}

/** A node graph that is junk in random ways: unknown classes, bad links, wrong types. */
function junkPrompt(r: SeededRandom): unknown {
  if (r.chance(0.25)) return randomJson(r);
  const prompt: Record<string, unknown> = {};
  for (let i = r.between(1, 4); i > 0; i--) {
    const id = r.chance(0.8) ? String(r.between(1, 6)) : r.string(3);
    const node: Record<string, unknown> = {};
    if (r.chance(0.85))
      node.class_type = r.pick([
        "EmptyImage",
        "SaveImage",
        "ImageInvert",
        "LoadImage",
        "NoSuchNode",
        5,
        null,
        "",
      ]);
    if (r.chance(0.85)) {
      const inputs: Record<string, unknown> = {};
      for (let j = r.between(0, 4); j > 0; j--) {
        inputs[
          r.pick([
            "width",
            "height",
            "image",
            "images",
            "filename_prefix",
            "color",
            "batch_size",
            r.string(3),
          ])
        ] = r.pick<unknown>([
          [String(r.between(1, 6)), r.between(-2, 3)],
          [r.between(1, 6), 0],
          ["1", "0"],
          ["1"],
          r.between(-5, 5000),
          r.string(5),
          null,
          { __value__: [1] },
          randomJson(r),
        ]);
      }
      node.inputs = inputs;
    } else if (r.chance(0.5)) node.inputs = randomJson(r);
    prompt[id] = r.chance(0.9) ? node : randomJson(r);
  }
  return prompt;
}

const promptJunkGraph: Generate = (r, ctx) => {
  const body = { prompt: junkPrompt(r), client_id: "fuzz" };
  const text = JSON.stringify(body);
  // ComfyUI's validation answers 400 for what it can name and raises (500) where Python fails;
  // a graph that happens to be valid is queued.
  return exchange(
    "prompt graph of junk",
    `POST /prompt ${text.slice(0, 200)}`,
    ctx,
    httpRequest("POST", "/prompt", ctx.host, {}, text),
    oneOf(refused, serverError, queued),
  );
};

const PREFIXES = [
  "../escape",
  "../../escape/deeper",
  "..foo/bar",
  "/abs/escape",
  "%width%/../../x",
  "a/../../b",
  "sub/ok",
  "~/home",
  "C:\\x\\y",
  "..\\..\\x",
  "",
  ".",
  "..",
  "x".repeat(300),
];

/** A valid job with hostile fields around it: prompt_id, number, front, extra_data, filename_prefix. */
const promptHostileFields: Generate = (r, ctx) => {
  const prefix = r.pick(PREFIXES);
  const body: Record<string, unknown> = {
    prompt: {
      "1": {
        class_type: "EmptyImage",
        inputs: { width: r.between(1, 16), height: r.between(1, 16), batch_size: 1, color: r.int(0xffffff) },
      },
      "2": { class_type: "SaveImage", inputs: { images: ["1", 0], filename_prefix: prefix } },
    },
  };
  if (r.chance(0.5)) body.prompt_id = r.chance(0.5) ? randomJson(r) : `fuzz-${r.string(8)}`;
  if (r.chance(0.4))
    body.number = r.pick<unknown>([
      "inf",
      "-Infinity",
      "nan",
      "1_000",
      " 2.5 ",
      "0x10",
      "",
      null,
      [],
      {},
      3,
      true,
      "1e400",
    ]);
  if (r.chance(0.3)) body.front = randomJson(r);
  if (r.chance(0.7)) body.client_id = r.chance(0.8) ? "fuzz" : randomJson(r);
  if (r.chance(0.4)) body.extra_data = r.chance(0.5) ? { extra_pnginfo: randomJson(r) } : randomJson(r);
  // The oracle: ComfyUI's post_prompt for a valid prompt.
  let check: AnswerCheck = queued;
  if ("number" in body && !pyFloatOk(body.number)) check = serverError;
  else if ("extra_data" in body) {
    const extra = body.extra_data;
    const isDict = extra !== null && typeof extra === "object" && !Array.isArray(extra);
    const iterable = Array.isArray(extra) || typeof extra === "string";
    // `extra_data["client_id"] = …` fails on anything but a dict; `key in extra_data` on a number, bool or None.
    if (!isDict && ("client_id" in body || !iterable)) check = serverError;
  }
  const text = JSON.stringify(body);
  return exchange(
    "valid job, hostile fields",
    `POST /prompt ${text.slice(0, 300)}`,
    ctx,
    httpRequest("POST", "/prompt", ctx.host, {}, text),
    check,
  );
};

const historyQuery: Generate = (r, ctx) => {
  const value = () =>
    r.pick(["5", "-1", "0", " 3 ", "+2", "abc", "1.5", "", "99999999999999999999", "1_0", "0x1", "-0"]);
  const params: string[] = [];
  if (r.chance(0.8)) params.push(`max_items=${encodeURIComponent(value())}`);
  if (r.chance(0.5)) params.push(`offset=${encodeURIComponent(value())}`);
  const pyInt = (v: string) => /^\s*[+-]?\d(?:_?\d)*\s*$/.test(v);
  const ok = params.every((p) => pyInt(decodeURIComponent(p.split("=")[1] ?? "")));
  const target = `/history${params.length ? `?${params.join("&")}` : ""}`;
  return exchange(
    "history query",
    `GET ${target}`,
    ctx,
    httpRequest("GET", target, ctx.host),
    ok ? jsonObject : serverError,
  );
};

const historyId: Generate = (r, ctx) => {
  // A lone `..` or `.` is a dot segment (the path would be another route's), not an id.
  const segment = r.chance(0.5) ? junkSegment(r) : r.string(r.between(1, 64));
  const id = encodeURIComponent(segment === ".." || segment === "." ? `${segment}x` : segment);
  return exchange(
    "history of an unknown id",
    `GET /history/${id}`,
    ctx,
    httpRequest("GET", `/history/${id}`, ctx.host),
    json(200, (v) =>
      JSON.stringify(v) === "{}" ? undefined : `expected {}, got ${JSON.stringify(v).slice(0, 100)}`,
    ),
  );
};

/** `/view`, answered as ComfyUI's `view_image` does (no file by those names exists). */
const view: Generate = (r, ctx) => {
  const filename = r.chance(0.1)
    ? undefined
    : r.pick([
        "",
        "/etc/passwd",
        "../../etc/passwd",
        "..%2F..%2Fx",
        "a..b.png",
        "nothing.png",
        "x [output]",
        "../x [input]",
        "[temp]",
        "ok.png",
        `${r.string(8)}.png`,
        "%00.png",
      ]);
  const type = r.chance(0.3) ? undefined : r.pick(["output", "input", "temp", "bogus", "", "../output"]);
  const subfolder = r.chance(0.5)
    ? undefined
    : r.pick(["", "sub", "../..", "/tmp", "..", "a/../..", "a/../b", "../output"]);
  const query = new URLSearchParams();
  if (filename !== undefined) query.set("filename", filename);
  if (type !== undefined) query.set("type", type);
  if (subfolder !== undefined) query.set("subfolder", subfolder);
  if (r.chance(0.2)) query.set("channel", r.pick(["rgb", "a", "x"]));
  if (r.chance(0.2)) query.set("preview", r.pick(["webp;50", "jpeg", "x"]));
  const target = `/view?${query.toString()}`;
  // The oracle (ComfyUI's view_image).
  let check: AnswerCheck;
  if (filename === undefined) check = empty(404);
  else {
    let name = filename;
    let dir: string | undefined;
    const annotation = ["output", "input", "temp"].find((t) => name.endsWith(`[${t}]`));
    if (annotation) {
      name = name.slice(0, -(annotation.length + 3));
      dir = join(ctx.root, annotation);
    }
    if (name === "") check = empty(400);
    else if (name.startsWith("/") || name.includes("..")) check = empty(400);
    else {
      dir ??=
        type === undefined || type === "output"
          ? join(ctx.root, "output")
          : type === "input" || type === "temp"
            ? join(ctx.root, type)
            : undefined;
      if (dir === undefined) check = empty(400);
      else if (
        subfolder !== undefined &&
        !inside(dir, resolve(isAbsolute(subfolder) ? subfolder : join(dir, subfolder)))
      )
        check = empty(403);
      else check = empty(404);
    }
  }
  return exchange("view", `GET ${target}`, ctx, httpRequest("GET", target, ctx.host), check);
};

function inside(parent: string, child: string): boolean {
  const p = resolve(parent);
  const c = resolve(child);
  return c === p || c.startsWith(p + sep);
}

/** `/upload/image` with hostile names; the answer as `image_upload` gives it (or 400 where this server is stricter). */
const upload: Generate = (r, ctx) => {
  const boundary = `----fuzz${r.string(12)}`;
  const fields: [string, string][] = [];
  const type = r.chance(0.5) ? undefined : r.pick(["input", "output", "temp", "bogus", ""]);
  if (type !== undefined) fields.push(["type", type]);
  const subfolder = r.chance(0.4)
    ? undefined
    : r.pick([
        "",
        "sub",
        "../escape_dir",
        "../../x",
        "/abs/dir",
        "a/../b",
        "..",
        join(ctx.sandbox, "outside"),
      ]);
  if (subfolder !== undefined) fields.push(["subfolder", subfolder]);
  if (r.chance(0.3)) fields.push(["overwrite", r.pick(["true", "1", "false", ""])]);
  const filename = r.pick([
    `${r.string(6)}.png`,
    "../escape.png",
    "../input/back_in.png",
    "/abs/file.png",
    join(ctx.root, "input", "abs_inside.png"),
    "sub/inner.png",
    "..",
    "x".repeat(300),
    "a\u0000b.png",
  ]);
  const imageKind = r.pick(["file", "file", "file", "text", "none"]);
  const parts: string[] = fields.map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (imageKind === "file")
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${filename.replaceAll('"', "%22")}"\r\nContent-Type: image/png\r\n\r\n${r.string(20)}\r\n`,
    );
  if (imageKind === "text")
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="image"\r\n\r\nnot a file\r\n`);
  let body = `${parts.join("")}--${boundary}--\r\n`;
  const truncated = r.chance(0.1);
  if (truncated) body = body.slice(0, r.between(0, body.length - 1));
  // The oracle: type → folder (unknown types raise); image must be a file; the path (and here the
  // folder too) must stay inside; then 200, or 500 where the file system refuses the name.
  const uploadDir =
    type === undefined || type === "input"
      ? join(ctx.root, "input")
      : type === "output" || type === "temp"
        ? join(ctx.root, type)
        : undefined;
  let check: AnswerCheck;
  if (truncated) check = statusIn([400, 500]);
  else if (imageKind === "text") check = serverError;
  else if (imageKind === "none") check = uploadDir === undefined ? serverError : empty(400);
  else if (uploadDir === undefined) check = serverError;
  else {
    const folder = resolve(
      isAbsolute(normalize(subfolder ?? ""))
        ? normalize(subfolder ?? "")
        : join(uploadDir, normalize(subfolder === undefined || subfolder === "" ? "." : subfolder)),
    );
    const path = resolve(folder, filename.includes("\u0000") ? filename.replaceAll("\u0000", "") : filename);
    if (!inside(uploadDir, path) || path === resolve(uploadDir) || !inside(uploadDir, folder))
      check = empty(400);
    else check = oneOf(json(200), serverError);
  }
  const request = httpRequest(
    "POST",
    r.chance(0.2) ? "/upload/mask" : "/upload/image",
    ctx.host,
    { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body,
  );
  return exchange(
    "upload",
    `upload ${JSON.stringify({ type, subfolder, filename: filename.slice(0, 80), imageKind, truncated })}`,
    ctx,
    request,
    request.includes(Buffer.from("/upload/mask")) ? oneOf(check, statusIn([400, 500])) : check,
  );
};

/** `/queue`, `/history`, `/free`, `/interrupt` with JSON bodies of every type. */
const commandBodies: Generate = (r, ctx) => {
  const route = r.pick(["/queue", "/history", "/free", "/interrupt"]);
  const body = r.pick<unknown>([
    {},
    [],
    ["clear"],
    ["delete"],
    "clear",
    "delete me",
    5,
    null,
    true,
    { delete: 5 },
    { delete: "abc" },
    { delete: [1, null] },
    { clear: false },
    { prompt_id: ["x"] },
    { prompt_id: "nope" },
    { unload_models: "yes" },
  ]);
  let check: AnswerCheck = empty(200);
  try {
    if (route === "/queue" || route === "/history") {
      // `if "clear" in json_data: if json_data["clear"]: …` then `for id in json_data["delete"]`
      // (history pops each id from a dict: a list or dict id is unhashable).
      if (pyIn(body, "clear")) pyItem(body, "clear");
      if (pyIn(body, "delete")) {
        const ids = pyIter(pyItem(body, "delete"));
        if (route === "/history" && ids.some((id) => id !== null && typeof id === "object"))
          throw new PyTypeError("unhashable");
      }
    } else if (route === "/free" || route === "/interrupt") {
      // `json_data.get(…)`: only a dict has it.
      if (body === null || typeof body !== "object" || Array.isArray(body)) throw new PyTypeError("no .get");
    }
  } catch (error) {
    if (!(error instanceof PyTypeError)) throw error;
    check = serverError;
  }
  const text = JSON.stringify(body);
  return exchange(
    "command body",
    `POST ${route} ${text}`,
    ctx,
    httpRequest("POST", route, ctx.host, {}, text),
    check,
  );
};

const crossOrigin: Generate = (r, ctx) => {
  const path = r.pick(["/prompt", "/queue", "/upload/image", "/ws", unknownPath(r), "/history"]);
  const method = r.pick(["GET", "POST"]);
  const origin = r.pick(["http://evil.example", "https://attacker.test:8188", "null", "http://127.0.0.2"]);
  const host = r.pick([ctx.host, `localhost:${ctx.host.split(":")[1]}`]);
  const lines = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
  // "null" and loopback origins are not cross-site by ComfyUI's rule when they parse to no host or a loopback one.
  // An origin without a host ("null") is not compared; any other host than the loopback Host's is refused.
  const check = origin === "null" ? statusIn([200, 400, 404, 405, 500]) : empty(403);
  return exchange("cross-site origin", `${method} ${path} Origin: ${origin}`, ctx, lines, check);
};

const malformedHttp: Generate = (r, ctx) => {
  const variants: [string, string | Uint8Array][] = [
    ["garbage request line", `${r.string(20)}\r\n\r\n`],
    ["no Host on HTTP/1.1", "GET /queue HTTP/1.1\r\nConnection: close\r\n\r\n"],
    [
      "huge header",
      `GET /queue HTTP/1.1\r\nHost: ${ctx.host}\r\nX-Big: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    ],
    [
      "two Content-Lengths",
      `POST /prompt HTTP/1.1\r\nHost: ${ctx.host}\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}`,
    ],
    [
      "bad chunk size",
      `POST /prompt HTTP/1.1\r\nHost: ${ctx.host}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    ],
    [
      "header without colon",
      `GET /queue HTTP/1.1\r\nHost: ${ctx.host}\r\nNoColonHere\r\nConnection: close\r\n\r\n`,
    ],
    ["binary bytes", Buffer.from(r.bytes(r.between(1, 300)))],
    ["HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
    ["bad version", `GET /queue HTTP/9.9\r\nHost: ${ctx.host}\r\n\r\n`],
    [
      "negative Content-Length",
      `POST /prompt HTTP/1.1\r\nHost: ${ctx.host}\r\nContent-Length: -1\r\nConnection: close\r\n\r\n`,
    ],
  ];
  const [name, request] = r.pick(variants);
  // aiohttp answers parser errors with 400 (431 here for oversized headers) and closes.
  return exchange("malformed HTTP", name, ctx, request, statusIn([400, 431, 505], true), {
    timeoutMs: 3_000,
  });
};

const resetMidRequest: Generate = (r, ctx) => {
  const full = httpRequest(
    "POST",
    r.pick(["/prompt", "/upload/image", "/queue"]),
    ctx.host,
    { "Content-Type": "application/json", "Content-Length": "100000" },
    "{".repeat(r.between(0, 50)),
  );
  return {
    kind: "reset mid-request",
    detail: `${full.length} bytes then RST`,
    run: async () => {
      await sendRaw(ctx.url, full, { resetAfterMs: r.between(0, 30) });
      return undefined;
    },
  };
};

const WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

const wsUpgrade: Generate = (r, ctx) => {
  const variants: [string, Record<string, string>, string, AnswerCheck][] = [
    [
      "missing key",
      { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Version": "13" },
      "/ws",
      statusIn([400]),
    ],
    [
      "bad version",
      {
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": WS_KEY,
        "Sec-WebSocket-Version": "9",
      },
      "/ws",
      statusIn([400, 426]),
    ],
    [
      "unknown path",
      {
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": WS_KEY,
        "Sec-WebSocket-Version": "13",
      },
      unknownPath(r),
      notFound,
    ],
    [
      "route path",
      {
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": WS_KEY,
        "Sec-WebSocket-Version": "13",
      },
      "/queue",
      jsonObject,
    ],
    [
      "cross-site",
      {
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": WS_KEY,
        "Sec-WebSocket-Version": "13",
        Origin: "http://evil.example",
      },
      "/ws",
      empty(403),
    ],
    ["not websocket", { Upgrade: "h2c", Connection: "Upgrade" }, "/ws", statusIn([400, 404])],
  ];
  const [name, headers, path, check] = r.pick(variants);
  const reset = r.chance(0.3);
  return {
    kind: "WebSocket upgrade",
    detail: `${name} on ${path}${reset ? " then RST" : ""}`,
    run: async () => {
      const answer: RawAnswer = await sendRaw(
        ctx.url,
        httpRequest("GET", path, ctx.host, { ...headers, Connection: headers.Connection ?? "close" }),
        reset ? { resetAfterMs: r.between(0, 50), timeoutMs: 2_000 } : { timeoutMs: 3_000 },
      );
      if (reset) return undefined;
      const problem = check(answer);
      return problem ? `${problem} — ${name} on ${path}` : undefined;
    },
  };
};

const wsFrames: Generate = (r, ctx) => {
  const messages: (string | Buffer)[] = [];
  for (let i = r.between(1, 6); i > 0; i--) {
    messages.push(
      r.pick<string | Buffer>([
        "not json",
        JSON.stringify(randomJson(r)),
        JSON.stringify({ type: "feature_flags", data: randomJson(r) }),
        JSON.stringify({ type: "feature_flags", data: { supports_preview_metadata: r.chance(0.5) } }),
        Buffer.from(r.bytes(r.between(1, 64))),
        "x".repeat(r.between(1000, 200_000)),
        JSON.stringify({ type: r.string(5), data: null }),
      ]),
    );
  }
  const ending = r.pick(["close", "terminate", "bad close code", "stay"]);
  const clientId = r.chance(0.5) ? encodeURIComponent(junkSegment(r)) : "";
  return {
    kind: "WebSocket frames",
    detail: `${messages.length} frames to /ws?clientId=${clientId}, then ${ending}`,
    run: async () => {
      const ws = new WebSocket(`${ctx.url.replace("http", "ws")}/ws?clientId=${clientId}`);
      const first = await new Promise<string | undefined>((resolveFirst) => {
        const timer = setTimeout(() => resolveFirst(undefined), 5_000);
        ws.once("message", (data) => {
          clearTimeout(timer);
          resolveFirst(String(data));
        });
        ws.once("error", () => {
          clearTimeout(timer);
          resolveFirst(undefined);
        });
      });
      if (first === undefined || !first.includes('"status"')) {
        ws.terminate();
        return `no status greeting (${first})`;
      }
      for (const m of messages) ws.send(m);
      await new Promise((done) => setTimeout(done, 10));
      if (ending === "close") ws.close();
      else if (ending === "bad close code") ws.close(4999, "x".repeat(100));
      else ws.terminate();
      return undefined;
    },
  };
};

const wsRawFrames: Generate = (r, ctx) => {
  // A handshake, then frames a client must not send: unmasked, reserved opcodes, bad UTF-8, a
  // 2^63 length, or random bytes.
  const frames = [
    Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]),
    Buffer.from([0x83, 0x80, 1, 2, 3, 4]),
    Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xff, 0xfe]),
    Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]),
    Buffer.from(r.bytes(r.between(1, 40))),
  ];
  const frame = r.pick(frames);
  const handshake = httpRequest("GET", "/ws?clientId=fuzzraw", ctx.host, {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": WS_KEY,
    "Sec-WebSocket-Version": "13",
  });
  return {
    kind: "WebSocket protocol violations",
    detail: `handshake then ${frame.subarray(0, 12).toString("hex")}`,
    run: async () => {
      const answer = await sendRaw(ctx.url, handshake, { chunks: [handshake, frame], timeoutMs: 1_500 });
      return answer.status === 101 ? undefined : `expected 101 before the bad frame, got ${answer.status}`;
    },
  };
};

const settingsKeys: Generate = (r, ctx) => {
  const key = r.pick(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", r.string(6)]);
  const write = r.chance(0.5);
  const body = JSON.stringify(randomJson(r));
  if (write)
    return exchange(
      "settings key",
      `POST /settings/${key}`,
      ctx,
      httpRequest("POST", `/settings/${key}`, ctx.host, {}, body),
      empty(200),
    );
  return exchange(
    "settings key",
    `GET /settings/${key}`,
    ctx,
    httpRequest("GET", `/settings/${key}`, ctx.host),
    json(200),
  );
};

/** Every generator with its weight (how often it is drawn). */
export const GENERATORS: readonly [Generate, number][] = [
  [unknownGet, 4],
  [wrongMethod, 4],
  [promptBadJson, 6],
  [promptNotObject, 4],
  [promptJunkGraph, 8],
  [promptHostileFields, 8],
  [historyQuery, 4],
  [historyId, 2],
  [view, 6],
  [upload, 8],
  [commandBodies, 5],
  [crossOrigin, 3],
  [malformedHttp, 4],
  [resetMidRequest, 2],
  [wsUpgrade, 4],
  [wsFrames, 4],
  [wsRawFrames, 2],
  [settingsKeys, 2],
];

/** The `index`-th case of a run: drawn from its own fork of `r`, so a case can be replayed alone. */
export function generateCase(r: SeededRandom, ctx: FuzzContext): FuzzCase {
  const total = GENERATORS.reduce((a, [, w]) => a + w, 0);
  let pick = r.int(total);
  for (const [generate, weight] of GENERATORS) {
    if (pick < weight) return generate(r, ctx);
    pick -= weight;
  }
  throw new Error("unreachable");
}
