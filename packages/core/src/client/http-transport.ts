import { randomUUID } from "node:crypto";
import { type Dispatcher, type FormData, request } from "undici";
import type { z } from "zod";
import {
  type Auth,
  type ClientOptions,
  DEFAULT_RECONNECT,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUTS,
  MAX_TIMEOUT_MS,
  type ResolvedClientOptions,
  type RetryOptions,
  type Timeouts,
} from "./client-options.js";
import { type Deadline, msLeft, startDeadline } from "./deadline.js";
import {
  ComfyConnectionError,
  ComfyHttpError,
  ComfyInputError,
  ComfyResponseError,
  ComfyTimeoutError,
  type TimeoutStage,
} from "./errors.js";
import { backoffDelay, retryAfterMs, sleep } from "./retry.js";

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface SendOptions {
  readonly query?: Query;
  /** JSON text (already serialised), raw bytes, or multipart form data. */
  readonly body?: string | Uint8Array | FormData;
  /** Which bound applies; also names the stage in a timeout error. Default "request". */
  readonly stage?: TimeoutStage;
  /** Retry on connection errors and 5xx. Only for requests that are safe to repeat. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
  readonly promptId?: string;
  /** Statuses that are answers, not errors (e.g. 400 for POST /prompt). */
  readonly acceptStatus?: readonly number[];
  /** A bound this request shares with other steps of its stage (default: its own `stage` bound). */
  readonly deadline?: Deadline;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Uint8Array;
  readonly url: string;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_DESTROYED",
]);

/** True when `error` means the connection failed or broke (the request may or may not have arrived). */
export function isConnectionFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    if (e instanceof ComfyConnectionError) return true;
  }
  return false;
}

export function resolveOptions(options: ClientOptions): ResolvedClientOptions {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new ComfyInputError(
      `baseUrl "${redactUrl(String(options.baseUrl))}" is not a URL (expected e.g. http://127.0.0.1:8188)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    // "localhost:8188" parses as a URL of scheme "localhost:".
    const text = String(options.baseUrl);
    const hint = text.includes("//") ? "" : ` (did you mean http://${redactUrl(text)}?)`;
    throw new ComfyInputError(`baseUrl must be http: or https:, got ${url.protocol}${hint}`);
  }
  let auth = options.auth;
  if (url.username || url.password) {
    auth ??= {
      type: "basic",
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    url.username = "";
    url.password = "";
  }
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  const poll = options.pollIntervalMs ?? 500;
  if (!(typeof poll === "number" && poll > 0 && poll <= MAX_TIMEOUT_MS))
    throw new ComfyInputError(`pollIntervalMs must be a number in (0, ${MAX_TIMEOUT_MS}] (ms), got ${poll}`);
  return {
    baseUrl: url,
    apiPrefix: options.apiPrefix ?? false,
    headers: { ...options.headers, ...authHeaders(auth) },
    dispatcher: options.dispatcher,
    timeouts: mergeTimeouts(DEFAULT_TIMEOUTS, options.timeouts),
    retry: checkedRetry("retry", { ...DEFAULT_RETRY, ...options.retry }),
    reconnect: checkedRetry("reconnect", { ...DEFAULT_RECONNECT, ...options.reconnect }),
    pollIntervalMs: poll,
    clientId: options.clientId ?? randomUUID(),
    logger: options.logger ?? {},
  };
}

/**
 * `base` with the bounds set in `overrides`; an `undefined` bound keeps the base one. Throws
 * `ComfyInputError` for a bound that is not a number in (0, 2^31 − 1] (Node would fire it at once).
 */
export function mergeTimeouts(
  base: Timeouts,
  overrides: Partial<Timeouts> | undefined,
  where = "timeouts",
): Timeouts {
  const merged: Record<string, number> = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) continue;
    if (!(typeof value === "number" && value > 0))
      throw new ComfyInputError(`${where}.${key} must be a number > 0 (ms), got ${value}`);
    // Node's timers fire at once for longer delays (TimeoutOverflowWarning).
    if (value > MAX_TIMEOUT_MS)
      throw new ComfyInputError(
        `${where}.${key} must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days), got ${value}`,
      );
    merged[key] = value;
  }
  return merged as unknown as Timeouts;
}

/** A retry policy whose numbers make sense (a NaN factor would make every delay NaN, i.e. none). */
function checkedRetry(name: "retry" | "reconnect", policy: RetryOptions): RetryOptions {
  if (!(Number.isInteger(policy.retries) && policy.retries >= 0 && policy.retries <= 1_000))
    throw new ComfyInputError(`${name}.retries must be an integer from 0 to 1000, got ${policy.retries}`);
  for (const key of ["initialDelayMs", "maxDelayMs"] as const) {
    const value = policy[key];
    if (!(typeof value === "number" && value >= 0 && value <= MAX_TIMEOUT_MS))
      throw new ComfyInputError(
        `${name}.${key} must be a number in [0, ${MAX_TIMEOUT_MS}] (ms), got ${value}`,
      );
  }
  if (!(typeof policy.factor === "number" && policy.factor >= 1 && Number.isFinite(policy.factor)))
    throw new ComfyInputError(`${name}.factor must be a finite number ≥ 1, got ${policy.factor}`);
  return policy;
}

function authHeaders(auth: Auth | undefined): Record<string, string> {
  if (!auth) return {};
  switch (auth.type) {
    case "bearer":
      return { authorization: `Bearer ${auth.token}` };
    case "basic":
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`,
      };
    case "header":
      return { [auth.name.toLowerCase()]: auth.value };
  }
}

/** A URL with its credentials removed, safe for messages (the query is kept: it holds no secrets). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}

/** The HTTP layer of the client: URLs, auth headers, bounds, safe retries, typed errors. */
export class HttpTransport {
  readonly options: ResolvedClientOptions;

  constructor(options: ResolvedClientOptions) {
    this.options = options;
  }

  /** Absolute URL of a route (`"prompt"`, `"history/abc"`), honouring the base path and `/api`. */
  url(route: string, query?: Query, protocol?: "ws"): URL {
    // The jobs routes exist only under /api, whatever the client's prefix setting.
    const prefix = this.options.apiPrefix && !route.startsWith("api/") ? "api/" : "";
    const url = new URL(prefix + route.replace(/^\//, ""), this.options.baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    if (protocol === "ws") url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url;
  }

  /**
   * Sends one request, retrying (idempotent requests only) connection errors and 5xx with backoff —
   * never past its bound: attempts and pauses share one deadline, and a retry that would not fit
   * is not made (the last error is thrown).
   */
  async send(method: "GET" | "POST", route: string, options: SendOptions = {}): Promise<RawResponse> {
    const retry = options.idempotent ? this.options.retry : { ...this.options.retry, retries: 0 };
    const stage = options.stage ?? "request";
    const deadline = options.deadline ?? startDeadline(stage, this.options.timeouts[stage]);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.once(method, route, options, deadline);
        if (
          response.status >= 500 &&
          attempt < retry.retries &&
          (await this.pause(
            attempt + 1,
            retry,
            retryAfterMs(response.headers["retry-after"]),
            `${method} ${route} → ${response.status}`,
            deadline,
            options.signal,
          ))
        ) {
          continue;
        }
        if (
          (response.status < 200 || response.status >= 300) &&
          !options.acceptStatus?.includes(response.status)
        ) {
          throw new ComfyHttpError(method, redactUrl(response.url), response.status, decodeBody(response), {
            ...(options.promptId ? { promptId: options.promptId } : {}),
          });
        }
        return response;
      } catch (error) {
        if (
          error instanceof ComfyConnectionError &&
          attempt < retry.retries &&
          (await this.pause(
            attempt + 1,
            retry,
            undefined,
            `${method} ${route}: ${error.message}`,
            deadline,
            options.signal,
          ))
        ) {
          continue;
        }
        throw error;
      }
    }
  }

  /** Sends and parses a JSON answer with `schema`. */
  async json<S extends z.ZodType>(
    method: "GET" | "POST",
    route: string,
    schema: S,
    options: SendOptions = {},
  ): Promise<z.infer<S>> {
    const response = await this.send(method, route, options);
    return parseJson(response, schema, options.promptId);
  }

  /** Waits before retry `attempt`; false (no wait) when the retry would not fit in the deadline. */
  private async pause(
    attempt: number,
    retry: RetryOptions,
    serverDelay: number | undefined,
    what: string,
    deadline: Deadline,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const delay = Math.min(serverDelay ?? backoffDelay(attempt, retry), retry.maxDelayMs);
    if (delay >= msLeft(deadline)) {
      this.options.logger.debug?.(`no retry (the ${deadline.stage} bound runs out first): ${what}`);
      return false;
    }
    this.options.logger.debug?.(`retry ${attempt}/${retry.retries} in ${delay} ms: ${what}`);
    await sleep(delay, signal);
    return true;
  }

  private async once(
    method: "GET" | "POST",
    route: string,
    options: SendOptions,
    deadline: Deadline,
  ): Promise<RawResponse> {
    const url = this.url(route, options.query);
    const stage = deadline.stage;
    const bound = deadline.timeoutMs;
    const left = msLeft(deadline);
    if (left <= 0) {
      throw new ComfyTimeoutError(stage, bound, `no time left for ${method} ${redactUrl(url.toString())}`, {
        ...(options.promptId ? { promptId: options.promptId } : {}),
      });
    }
    const timer = AbortSignal.timeout(Math.max(1, Math.ceil(left)));
    const signal = options.signal ? AbortSignal.any([options.signal, timer]) : timer;
    const headers: Record<string, string> = { ...this.options.headers };
    if (typeof options.body === "string") headers["content-type"] = "application/json";
    try {
      const response = await request(url, {
        method,
        headers,
        body: options.body as Dispatcher.DispatchOptions["body"],
        signal,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      const body = new Uint8Array(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body, url: url.toString() };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const what = `${method} ${redactUrl(url.toString())}`;
      if (timer.aborted) {
        throw new ComfyTimeoutError(stage, bound, `no complete answer to ${what}`, {
          cause: error,
          ...(options.promptId ? { promptId: options.promptId } : {}),
        });
      }
      if (isConnectionFailure(error)) {
        const cause = innermost(error);
        throw new ComfyConnectionError(
          redactUrl(url.toString()),
          `cannot reach ComfyUI: ${what} failed (${describe(cause)}). Is the server running at ${redactUrl(this.options.baseUrl.toString())}?`,
          {
            cause: error,
            ...(options.promptId ? { promptId: options.promptId } : {}),
          },
        );
      }
      throw error;
    }
  }
}

function innermost(error: unknown): unknown {
  let e = error;
  while ((e as { cause?: unknown })?.cause) e = (e as { cause?: unknown }).cause;
  return e;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = (error as { message?: unknown })?.message;
  return (
    [typeof code === "string" ? code : undefined, typeof message === "string" ? message : undefined]
      .filter(Boolean)
      .join(": ") || String(error)
  );
}

const decoder = new TextDecoder();

/** The body as JSON when it parses, else as text. */
export function decodeBody(response: RawResponse): unknown {
  const text = decoder.decode(response.body);
  if (text === "") return "";
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function parseJson<S extends z.ZodType>(
  response: RawResponse,
  schema: S,
  promptId?: string,
): z.infer<S> {
  const text = decoder.decode(response.body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new ComfyResponseError(
      redactUrl(response.url),
      `expected JSON, got ${JSON.stringify(shown)}`,
      promptId ? { promptId } : undefined,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
      .join("; ");
    throw new ComfyResponseError(redactUrl(response.url), issues, promptId ? { promptId } : undefined);
  }
  return parsed.data;
}
