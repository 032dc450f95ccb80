import type { ServerResponse } from "node:http";
import { stringifyJsonLossless } from "@comfy-ts/core";

/**
 * JSON as ComfyUI's `json.dumps` writes it: `bigint` values (seeds up to 2^64−1) as exact digits,
 * infinities and NaN as the bare `Infinity`/`NaN` tokens (e.g. a queue `number` given as "inf").
 */
export function pythonJson(value: unknown): string {
  return stringifyJsonLossless(value, undefined, { nonFinite: "python" });
}

/** Writes a JSON body the way aiohttp's `json_response` does (`application/json; charset=utf-8`). */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = pythonJson(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Writes a JSON text that was already serialized (exact INT digits beyond 2^53 survive).
 */
export function sendJsonText(res: ServerResponse, text: string, status = 200): void {
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** An empty body, as aiohttp's bare `web.Response(status=…)` sends it. */
export function sendEmpty(res: ServerResponse, status = 200): void {
  res.writeHead(status, { "Content-Type": "application/octet-stream", "Content-Length": 0 });
  res.end();
}

export function sendText(res: ServerResponse, text: string, status: number): void {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendBytes(
  res: ServerResponse,
  bytes: Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, { "Content-Type": contentType, "Content-Length": bytes.byteLength, ...headers });
  res.end(bytes);
}

/** aiohttp's answer for an unknown route (and for a known path with the wrong method). */
export function sendNotFound(res: ServerResponse): void {
  sendText(res, "404: Not Found", 404);
}

/** aiohttp's answer when a handler raises (malformed JSON bodies, bad `int()` query values). */
export function sendServerError(res: ServerResponse): void {
  res.setHeader("Connection", "close");
  sendText(res, "500 Internal Server Error\n\nServer got itself in trouble", 500);
}

/** aiohttp's answer for a method the path has no route for, with the methods it has. */
export function sendMethodNotAllowed(res: ServerResponse, allowed: readonly string[]): void {
  res.setHeader("Allow", allowed.join(","));
  sendText(res, "405: Method Not Allowed", 405);
}
