import type { Dispatcher } from "undici";
import type { BackoffOptions } from "./retry.js";

/**
 * Per-stage bounds in milliseconds. Every wait of the client has one, and each is the total a caller
 * waits in that stage, retries included.
 */
export interface Timeouts {
  /** Opening the WebSocket (each attempt; `run()` makes one before submitting). */
  readonly connect: number;
  /** One ordinary HTTP request (GET /queue, /history, POST /free, …), headers, body and retries. */
  readonly request: number;
  /**
   * `POST /prompt`, with its resends (only after a refused connection) and, after an answer that may
   * have been lost, the search for the prompt id on the server.
   */
  readonly submit: number;
  /** From submission until the job starts executing (time spent behind other jobs). */
  readonly queue: number;
  /** From the start of execution until the server's done signal. */
  readonly execution: number;
  /** One `GET /view` download, retries included. */
  readonly download: number;
  /** After an abort: until the server confirms the interrupt. */
  readonly interrupt: number;
  /**
   * While `run()` follows a submitted job: how long the server may stay unreachable (the socket
   * down and `/history` failing) before the run fails with `ComfyConnectionError`. Shorter outages
   * are ridden out: the job is found again by its id.
   */
  readonly unreachable: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connect: 10_000,
  request: 30_000,
  submit: 30_000,
  queue: 10 * 60_000,
  execution: 30 * 60_000,
  download: 120_000,
  interrupt: 10_000,
  unreachable: 60_000,
};

/** The longest bound a Node.js timer keeps (2^31 − 1 ms); longer ones would fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Retries of idempotent requests (GETs, and commands whose repetition is harmless). */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first try (0 disables). */
  readonly retries: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, initialDelayMs: 200, maxDelayMs: 5_000, factor: 2 };

/** WebSocket reconnects; after `retries` failed attempts in a row the client only polls `/history`. */
export const DEFAULT_RECONNECT: RetryOptions = {
  retries: 6,
  initialDelayMs: 250,
  maxDelayMs: 8_000,
  factor: 2,
};

/**
 * Credentials sent with every request and the WebSocket upgrade. They are never put into error
 * messages, logs or URLs shown to the user.
 */
export type Auth =
  | { readonly type: "bearer"; readonly token: string }
  | { readonly type: "basic"; readonly username: string; readonly password: string }
  | { readonly type: "header"; readonly name: string; readonly value: string };

/** Where the client writes what it does (retries, reconnects). No secrets are ever passed. */
export interface ClientLogger {
  debug?(message: string): void;
  warn?(message: string): void;
}

export interface ClientOptions {
  /**
   * The server, e.g. `http://127.0.0.1:8188` or a proxied `https://host/comfy/` (a path prefix is
   * kept). Credentials in the URL (`http://user:pass@host`) become Basic auth and are removed.
   */
  readonly baseUrl: string | URL;
  /** Route every call under `/api/…` (as the ComfyUI frontend does). Default false. */
  readonly apiPrefix?: boolean;
  readonly auth?: Auth;
  /** Extra headers for every request (e.g. `Comfy-User`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** undici dispatcher (an `Agent`, a `ProxyAgent`, or a `MockAgent` in tests). */
  readonly dispatcher?: Dispatcher;
  readonly timeouts?: Partial<Timeouts>;
  readonly retry?: Partial<RetryOptions>;
  readonly reconnect?: Partial<RetryOptions>;
  /** How often `run()` polls `/history/{id}` while the WebSocket is down. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** The WebSocket client id; one is generated per client when omitted. */
  readonly clientId?: string;
  readonly logger?: ClientLogger;
}

export interface ResolvedClientOptions {
  readonly baseUrl: URL;
  readonly apiPrefix: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly dispatcher: Dispatcher | undefined;
  readonly timeouts: Timeouts;
  readonly retry: RetryOptions;
  readonly reconnect: RetryOptions;
  readonly pollIntervalMs: number;
  readonly clientId: string;
  readonly logger: ClientLogger;
}
