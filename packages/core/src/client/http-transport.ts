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
  if (!(poll > 0)) throw new ComfyInputError(`pollIntervalMs must be > 0, got ${poll}`);
  return {
    baseUrl: url,
    apiPrefix: options.apiPrefix ?? false,
    headers: { ...options.headers, ...authHeaders(auth) },
    dispatcher: options.dispatcher,
    timeouts: mergeTimeouts(DEFAULT_TIMEOUTS, options.timeouts),
    retry: { ...DEFAULT_RETRY, ...options.retry },
    reconnect: { ...DEFAULT_RECONNECT, ...options.reconnect },
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

  async send(method: "GET" | "POST", route: string, options: SendOptions = {}): Promise<RawResponse> {
    const retry = options.idempotent ? this.options.retry : { ...this.options.retry, retries: 0 };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.once(method, route, options);
        if (response.status >= 500 && attempt < retry.retries) {
          await this.pause(
            attempt + 1,
            retry,
            retryAfterMs(response.headers["retry-after"]),
            `${method} ${route} → ${response.status}`,
            options.signal,
          );
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
        if (error instanceof ComfyConnectionError && attempt < retry.retries) {
          await this.pause(
            attempt + 1,
            retry,
            undefined,
            `${method} ${route}: ${error.message}`,
            options.signal,
          );
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

  private async pause(
    attempt: number,
    retry: RetryOptions,
    serverDelay: number | undefined,
    what: string,
    signal?: AbortSignal,
  ) {
    const delay = Math.min(serverDelay ?? backoffDelay(attempt, retry), retry.maxDelayMs);
    this.options.logger.debug?.(`retry ${attempt}/${retry.retries} in ${delay} ms: ${what}`);
    await sleep(delay, signal);
  }

  private async once(method: "GET" | "POST", route: string, options: SendOptions): Promise<RawResponse> {
    const url = this.url(route, options.query);
    const stage = options.stage ?? "request";
    const bound = this.options.timeouts[stage];
    const timer = AbortSignal.timeout(bound);
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
