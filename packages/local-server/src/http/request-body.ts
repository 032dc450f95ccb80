import type { IncomingMessage } from "node:http";
import { ComfyError, parseJsonLossless } from "@comfy-ts/core";
import { MAX_JSON_NESTING, nestsDeeperThan } from "./json-nesting.js";

/** The largest body accepted, like ComfyUI's default `--max-upload-size 100` (MB). */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

/**
 * Thrown when a body cannot be read as the route needs it; the router answers 500 like aiohttp.
 * `jsonSyntax` marks what Python's `json.loads` raises `JSONDecodeError` for (some routes catch that).
 */
export class BadRequestBodyError extends ComfyError {
  readonly jsonSyntax: boolean;
  constructor(message: string, options?: { cause?: unknown; jsonSyntax?: boolean }) {
    super("ERR_BAD_REQUEST_BODY", message, { cause: options?.cause });
    this.jsonSyntax = options?.jsonSyntax === true;
  }
}

/** Thrown when a body exceeds {@link MAX_BODY_BYTES}; answered with 413. */
export class BodyTooLargeError extends ComfyError {
  constructor(readonly limit: number) {
    super("ERR_BODY_TOO_LARGE", `request body exceeds ${limit} bytes`);
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a JSON body like aiohttp's `request.json()`: no Content-Type check; the body must be
 * UTF-8 (else `UnicodeDecodeError`), then JSON for Python's `json.loads` (malformed or empty text, a
 * byte order mark: `JSONDecodeError`; nesting deeper than Python decodes: `RecursionError`). Any of
 * these throws, and the route answers 500 as ComfyUI does. Integers beyond 2^53 keep their exact
 * digits as `bigint` (seeds up to 2^64−1).
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const bytes = await readBody(req);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (cause) {
    throw new BadRequestBodyError("request body is not UTF-8", { cause });
  }
  if (text.startsWith("\ufeff"))
    throw new BadRequestBodyError("request body starts with a byte order mark", { jsonSyntax: true });
  if (nestsDeeperThan(text, MAX_JSON_NESTING)) {
    throw new BadRequestBodyError(`request body nests deeper than ${MAX_JSON_NESTING} levels`);
  }
  try {
    return parseJsonLossless(text);
  } catch (cause) {
    throw new BadRequestBodyError("request body is not valid JSON", { cause, jsonSyntax: true });
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A JSON object body, or undefined when the body is not an object (callers decide). */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
