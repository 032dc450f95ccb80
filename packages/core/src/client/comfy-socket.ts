import { WebSocket } from "undici";
import { ComfyConnectionError, ComfyTimeoutError } from "./errors.js";
import type { HttpTransport } from "./http-transport.js";
import { redactUrl } from "./http-transport.js";
import { backoffDelay } from "./retry.js";
import type { Features } from "./schemas.js";
import { type ComfyEvent, EventParseError, parseBinaryFrame, parseTextFrame } from "./ws-events.js";

export type SocketState = "connecting" | "open" | "reconnecting" | "failed" | "closed";

export interface SocketOptions {
  /**
   * Send `feature_flags` first so previews arrive as type-4 frames with metadata (node and prompt id).
   * Servers older than mid-2025 ignore it and keep sending type 1. Default true.
   */
  readonly previewMetadata?: boolean;
  /** Reconnect after an unexpected close. Default true. */
  readonly reconnect?: boolean;
}

type Listener = (event: ComfyEvent) => void;
type StateListener = (state: SocketState, detail: { attempt: number; error?: unknown }) => void;

/**
 * The `/ws` connection of one client id: typed events, feature-flag negotiation, and reconnects with
 * bounded exponential backoff and jitter. After `reconnect.retries` failed attempts in a row the state
 * becomes `"failed"` and callers fall back to polling.
 */
export class ComfySocket {
  readonly clientId: string;
  /** Flags the server sent in reply to ours (undefined until then, or on servers without negotiation). */
  serverFeatures: Features | undefined;
  #state: SocketState = "closed";
  #ws: WebSocket | undefined;
  #listeners = new Set<Listener>();
  #stateListeners = new Set<StateListener>();
  #errorListeners = new Set<(error: unknown) => void>();
  #closing = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #connecting: Promise<void> | undefined;
  readonly #transport: HttpTransport;
  readonly #options: Required<SocketOptions>;

  constructor(transport: HttpTransport, options: SocketOptions = {}) {
    this.#transport = transport;
    this.clientId = transport.options.clientId;
    this.#options = {
      previewMetadata: options.previewMetadata ?? true,
      reconnect: options.reconnect ?? true,
    };
  }

  get state(): SocketState {
    return this.#state;
  }

  /** Every event (JSON and binary) received from now on. Returns an unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Frames that could not be parsed (they are skipped; the socket stays up). */
  onParseError(listener: (error: unknown) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /**
   * Opens the socket; resolves once it is open. Rejects with a connection or timeout error. Calls made
   * while an attempt is under way share it (and its `signal`): one client id gets one socket.
   */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.#state === "open") return Promise.resolve();
    this.#connecting ??= (async () => {
      this.#closing = false;
      this.#setState("connecting", { attempt: 0 });
      try {
        await this.#open(signal);
      } catch (error) {
        this.#setState("closed", { attempt: 0, error });
        throw error;
      } finally {
        this.#connecting = undefined;
      }
    })();
    return this.#connecting;
  }

  /** Closes the socket and stops reconnecting. */
  close(): void {
    this.#closing = true;
    clearTimeout(this.#retryTimer);
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
    if (this.#state !== "closed") this.#setState("closed", { attempt: this.#attempt });
  }

  #setState(state: SocketState, detail: { attempt: number; error?: unknown }) {
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state, detail);
  }

  #open(signal?: AbortSignal): Promise<void> {
    const url = this.#transport.url("ws", { clientId: this.clientId }, "ws");
    const bound = this.#transport.options.timeouts.connect;
    return new Promise<void>((resolve, reject) => {
      const { headers, dispatcher } = this.#transport.options;
      const ws = new WebSocket(url, { headers, ...(dispatcher ? { dispatcher } : {}) });
      ws.binaryType = "arraybuffer";
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (error) {
          ws.close();
          reject(error);
        } else resolve();
      };
      const timer = setTimeout(
        () =>
          finish(
            new ComfyTimeoutError("connect", bound, `WebSocket ${redactUrl(url.toString())} did not open`),
          ),
        bound,
      );
      const onAbort = () => finish(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      ws.addEventListener("open", () => {
        if (settled) return;
        if (this.#closing) {
          // close() was called while this attempt was under way.
          finish(
            new ComfyConnectionError(redactUrl(url.toString()), "the WebSocket was closed by the client"),
          );
          return;
        }
        this.#ws = ws;
        this.#attempt = 0;
        if (this.#options.previewMetadata) {
          ws.send(JSON.stringify({ type: "feature_flags", data: { supports_preview_metadata: true } }));
        }
        this.#setState("open", { attempt: 0 });
        finish();
      });
      ws.addEventListener("message", (message) => this.#receive(message.data));
      ws.addEventListener("error", (event) => {
        if (!settled) {
          const cause = (event as unknown as { error?: unknown }).error;
          finish(
            new ComfyConnectionError(
              redactUrl(url.toString()),
              `cannot open the ComfyUI WebSocket ${redactUrl(url.toString())}`,
              { cause },
            ),
          );
        }
      });
      ws.addEventListener("close", (event) => {
        if (!settled) {
          finish(
            new ComfyConnectionError(
              redactUrl(url.toString()),
              `the ComfyUI WebSocket closed before opening (code ${event.code})`,
            ),
          );
          return;
        }
        if (this.#ws !== ws) return;
        this.#ws = undefined;
        if (this.#closing || !this.#options.reconnect) {
          this.#setState("closed", { attempt: this.#attempt });
          return;
        }
        this.#scheduleReconnect(
          new ComfyConnectionError(redactUrl(url.toString()), `WebSocket closed (code ${event.code})`),
        );
      });
    });
  }

  #scheduleReconnect(error: unknown) {
    const policy = this.#transport.options.reconnect;
    this.#attempt += 1;
    if (this.#attempt > policy.retries) {
      this.#setState("failed", { attempt: this.#attempt - 1, error });
      return;
    }
    const delay = backoffDelay(this.#attempt, policy);
    this.#transport.options.logger.debug?.(
      `WebSocket reconnect ${this.#attempt}/${policy.retries} in ${delay} ms`,
    );
    this.#setState("reconnecting", { attempt: this.#attempt, error });
    this.#retryTimer = setTimeout(() => {
      if (this.#closing) return;
      this.#open().catch((e) => {
        if (!this.#closing) this.#scheduleReconnect(e);
      });
    }, delay);
  }

  #receive(data: unknown) {
    let event: ComfyEvent;
    try {
      if (typeof data === "string") event = parseTextFrame(data);
      else if (data instanceof ArrayBuffer) event = parseBinaryFrame(new Uint8Array(data));
      else if (ArrayBuffer.isView(data))
        event = parseBinaryFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else return;
    } catch (error) {
      if (!(error instanceof EventParseError)) throw error;
      this.#transport.options.logger.warn?.(error.message);
      for (const listener of this.#errorListeners) listener(error);
      return;
    }
    if (event.type === "feature_flags") this.serverFeatures = event.data;
    for (const listener of this.#listeners) listener(event);
  }
}
