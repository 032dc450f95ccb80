import type { IncomingMessage } from "node:http";
import { parseJsonLossless } from "@comfy-ts/core";
import { MAX_JSON_NESTING, nestsDeeperThan } from "./json-nesting.js";

/** The largest body accepted, like ComfyUI's default `--max-upload-size 100` (MB). */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;

/** Thrown when a body cannot be read as the route needs it; the router answers 500 like aiohttp. */
export class BadRequestBodyError extends Error {
  readonly code = "ERR_BAD_REQUEST_BODY";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BadRequestBodyError";
  }
}

/** Thrown when a body exceeds {@link MAX_BODY_BYTES}; answered with 413. */
export class BodyTooLargeError extends Error {
  readonly code = "ERR_BODY_TOO_LARGE";
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
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
 * Parses a JSON body like aiohttp's `request.json()`: no Content-Type check; malformed or empty
 * JSON, and JSON nested deeper than Python decodes, throws (the route then answers 500, as ComfyUI does). Integers beyond 2^53 keep their
 * exact digits as `bigint` (seeds up to 2^64−1).
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString("utf8");
  if (nestsDeeperThan(text, MAX_JSON_NESTING)) {
    throw new BadRequestBodyError(`request body nests deeper than ${MAX_JSON_NESTING} levels`);
  }
  try {
    return parseJsonLossless(text);
  } catch (cause) {
    throw new BadRequestBodyError("request body is not valid JSON", { cause });
  }
}

/** A JSON object body, or undefined when the body is not an object (callers decide). */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
