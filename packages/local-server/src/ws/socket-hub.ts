import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { stringifyJsonLossless } from "@comfy-ts/core";
import { type WebSocket, WebSocketServer } from "ws";
import type { PreviewImage } from "../execution/node-impl.js";
import { originAllowed } from "../http/origin-guard.js";
import { requestUrl } from "../http/request-url.js";
import { encodePreviewFrame, encodePreviewWithMetadataFrame, type PreviewMetadata } from "./binary-frames.js";

/** The server's answer to a client's `feature_flags` message (also `GET /features`). */
export const SERVER_FEATURES = { supports_preview_metadata: true, max_upload_size: 104857600 } as const;

interface Client {
  readonly socket: WebSocket;
  featureFlags: Record<string, unknown>;
}

/** Where a message goes: one client id, or `null` for every socket (ComfyUI's `sid=None`). */
export type Target = string | null;

/**
 * The `/ws` endpoint: sockets keyed by client id (`?clientId=`, or a generated hex id), the
 * on-connect `status` with `sid`, feature-flag negotiation on the first message, and routing of
 * JSON and binary messages to one client or all.
 */
export class SocketHub {
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #clients = new Map<string, Client>();

  constructor(
    private readonly onConnect: (sid: string) => { status: unknown; executingNode: string | undefined },
  ) {}

  /**
   * Takes an HTTP upgrade to `/ws` or `/api/ws` from an allowed origin; returns false (leaving the
   * socket alone) for any other, which the caller answers as a plain request (404, or 403 for a
   * cross-site origin, as ComfyUI's middleware does).
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = requestUrl(req.url);
    if (url.pathname !== "/ws" && url.pathname !== "/api/ws") return false;
    if (!originAllowed({ host: req.headers.host, origin: req.headers.origin })) return false;
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, url));
    return true;
  }

  #accept(ws: WebSocket, url: URL): void {
    const requested = url.searchParams.get("clientId") ?? "";
    const sid = requested !== "" ? requested : randomUUID().replaceAll("-", "");
    const client: Client = { socket: ws, featureFlags: {} };
    this.#clients.set(sid, client);
    const initial = this.onConnect(sid);
    this.#sendTo(client, { type: "status", data: { status: initial.status, sid } });
    if (initial.executingNode !== undefined) {
      this.#sendTo(client, { type: "executing", data: { node: initial.executingNode } });
    }
    let first = true;
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (first && isFeatureFlags(message)) {
        client.featureFlags = message.data ?? {};
        this.#sendTo(client, { type: "feature_flags", data: SERVER_FEATURES });
      }
      first = false;
    });
    ws.on("close", () => {
      // Unlike ComfyUI, a closing old socket does not unregister a newer socket with the same id.
      if (this.#clients.get(sid) === client) this.#clients.delete(sid);
    });
    ws.on("error", () => {});
  }

  /** Sends `{type, data}` to `target` (`null` broadcasts). Unknown client ids are dropped silently. */
  send(type: string, data: unknown, target: Target): void {
    if (this.hasTarget(target)) this.#sendRaw(stringifyJsonLossless({ type, data }), target);
  }

  /** Sends a message already serialized as `{"type": …, "data": …}` JSON. */
  sendText(text: string, target: Target): void {
    this.#sendRaw(text, target);
  }

  /** Sends a binary frame to `target` (`null` broadcasts). */
  sendBinary(frame: Buffer, target: Target): void {
    this.#sendRaw(frame, target);
  }

  /**
   * Sends a preview image: a type-4 frame with `metadata` to a client that negotiated
   * `supports_preview_metadata`, else a type-1 frame. A step's `progress` message goes after a
   * type-4 frame and before a type-1 frame, as ComfyUI's progress hook sends them.
   */
  sendPreview(preview: PreviewImage, metadata: PreviewMetadata, target: Target, progress?: unknown): void {
    if (this.supportsPreviewMetadata(target)) {
      this.sendBinary(encodePreviewWithMetadataFrame(metadata, preview.bytes), target);
      if (progress !== undefined) this.send("progress", progress, target);
    } else {
      if (progress !== undefined) this.send("progress", progress, target);
      this.sendBinary(encodePreviewFrame(preview.format, preview.bytes), target);
    }
  }

  /** Whether a message to `target` reaches any socket. */
  hasTarget(target: Target): boolean {
    return target === null ? this.#clients.size > 0 : this.#clients.has(target);
  }

  #sendRaw(payload: string | Buffer, target: Target): void {
    if (target === null) {
      for (const client of this.#clients.values()) sendRaw(client.socket, payload);
    } else {
      const client = this.#clients.get(target);
      if (client) sendRaw(client.socket, payload);
    }
  }

  /** Whether `sid` negotiated `supports_preview_metadata` (type-4 previews). */
  supportsPreviewMetadata(sid: Target): boolean {
    if (sid === null) return false;
    return this.#clients.get(sid)?.featureFlags.supports_preview_metadata === true;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Closes every socket (server shutdown). */
  async close(): Promise<void> {
    for (const client of this.#clients.values()) client.socket.terminate();
    this.#clients.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #sendTo(client: Client, message: unknown): void {
    sendRaw(client.socket, JSON.stringify(message));
  }
}

function sendRaw(socket: WebSocket, payload: string | Buffer): void {
  if (socket.readyState === socket.OPEN) socket.send(payload);
}

function isFeatureFlags(value: unknown): value is { type: "feature_flags"; data?: Record<string, unknown> } {
  return (
    value !== null && typeof value === "object" && (value as { type?: unknown }).type === "feature_flags"
  );
}
