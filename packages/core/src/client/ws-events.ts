import { z } from "zod";
import { ComfyError } from "../errors.js";
import { featuresSchema } from "./schemas.js";

// Typed WebSocket messages of ComfyUI (`/ws`). Text frames are `{type, data}` JSON; binary frames
// start with a big-endian u32 event type. Unknown types are kept as `{type: "unknown"}`, never dropped
// silently and never an error (custom nodes send their own).

const id = z.union([z.string(), z.number().transform(String)]);
const ts = z.number().optional();

const schemas = {
  status: z.looseObject({
    status: z.looseObject({ exec_info: z.looseObject({ queue_remaining: z.number() }) }).optional(),
    sid: z.string().optional(),
  }),
  execution_start: z.looseObject({ prompt_id: z.string(), timestamp: ts }),
  execution_cached: z.looseObject({ prompt_id: z.string(), nodes: z.array(id), timestamp: ts }),
  executing: z.looseObject({
    node: id.nullable(),
    display_node: id.nullable().optional(),
    // The reconnect variant (sent right after the upgrade) carries no prompt_id.
    prompt_id: z.string().optional(),
  }),
  progress: z.looseObject({
    value: z.number(),
    max: z.number(),
    prompt_id: z.string().optional(),
    node: id.nullable().optional(),
  }),
  progress_state: z.looseObject({
    prompt_id: z.string(),
    nodes: z.record(
      z.string(),
      z.looseObject({
        value: z.number(),
        max: z.number(),
        state: z.string(),
        node_id: id.optional(),
        display_node_id: id.nullable().optional(),
        parent_node_id: id.nullable().optional(),
        real_node_id: id.nullable().optional(),
      }),
    ),
  }),
  executed: z.looseObject({
    node: id,
    display_node: id.nullable().optional(),
    output: z.record(z.string(), z.unknown()).nullable(),
    prompt_id: z.string(),
  }),
  execution_success: z.looseObject({ prompt_id: z.string(), timestamp: ts }),
  execution_error: z.looseObject({
    prompt_id: z.string(),
    node_id: id,
    node_type: z.string(),
    executed: z.array(id).default([]),
    exception_message: z.string(),
    exception_type: z.string(),
    // A list of frames since 2024; older servers sent one string.
    traceback: z.union([z.array(z.string()), z.string().transform((s) => [s])]).default([]),
    current_inputs: z.unknown().optional(),
    current_outputs: z.unknown().optional(),
    timestamp: ts,
  }),
  execution_interrupted: z.looseObject({
    prompt_id: z.string(),
    node_id: id.nullable().optional(),
    node_type: z.string().nullable().optional(),
    executed: z.array(id).default([]),
    timestamp: ts,
  }),
  feature_flags: featuresSchema,
} as const;

type Schemas = typeof schemas;
export type KnownEventType = keyof Schemas;
export type EventData<T extends KnownEventType> = z.infer<Schemas[T]>;

/** A parsed JSON message. `type` discriminates; `data` is typed for every known type. */
export type JsonEvent = {
  [T in KnownEventType]: { readonly type: T; readonly data: EventData<T> };
}[KnownEventType];

/** A message of a type this client does not model (custom nodes, `logs`, `notification`, …). */
export interface UnknownEvent {
  readonly type: "unknown";
  readonly messageType: string;
  readonly data: unknown;
}

export type PreviewFormat = "image/jpeg" | "image/png" | "unknown";

/** Binary type 1 (no metadata) and 4 (with metadata): a preview or a `SaveImageWebsocket` image. */
export interface PreviewImageEvent {
  readonly type: "preview_image";
  /** 1 for the plain frame, 4 when preview metadata was negotiated. */
  readonly frameType: 1 | 4;
  readonly mimeType: PreviewFormat;
  readonly image: Uint8Array;
  /** Type-4 metadata (`node_id`, `prompt_id`, `display_node_id`, …); undefined for type 1. */
  readonly metadata: PreviewMetadata | undefined;
}

export interface PreviewMetadata {
  readonly node_id?: string;
  readonly prompt_id?: string;
  readonly display_node_id?: string;
  readonly parent_node_id?: string | null;
  readonly real_node_id?: string;
  readonly image_type?: string;
  readonly [key: string]: unknown;
}

/** Binary type 3: progress text for a node (broadcast to every socket, no prompt_id). */
export interface ProgressTextEvent {
  readonly type: "progress_text";
  readonly nodeId: string;
  readonly text: string;
}

/** A binary frame of a type this client does not know. */
export interface UnknownBinaryEvent {
  readonly type: "unknown_binary";
  readonly frameType: number;
  readonly payload: Uint8Array;
}

export type BinaryEvent = PreviewImageEvent | ProgressTextEvent | UnknownBinaryEvent;
export type ComfyEvent = JsonEvent | UnknownEvent | BinaryEvent;

/** A text frame whose JSON or shape is wrong. Carries the raw text for a bug report. */
export class EventParseError extends ComfyError {
  declare readonly code: "COMFY_BAD_WS_MESSAGE";
  readonly raw: string;
  constructor(message: string, raw: string) {
    super("COMFY_BAD_WS_MESSAGE", message);
    this.raw = raw.length > 1000 ? `${raw.slice(0, 1000)}…` : raw;
  }
}

/** Parses an already-decoded `{type, data}` message. */
export function parseJsonMessage(message: unknown, raw = ""): JsonEvent | UnknownEvent {
  if (
    typeof message !== "object" ||
    message === null ||
    typeof (message as { type?: unknown }).type !== "string"
  ) {
    throw new EventParseError(
      "WebSocket message is not an object with a string `type`",
      raw || String(message),
    );
  }
  const { type, data } = message as { type: string; data?: unknown };
  if (!Object.hasOwn(schemas, type)) return { type: "unknown", messageType: type, data };
  const schema = schemas[type as KnownEventType];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "data"}: ${i.message}`).join("; ");
    throw new EventParseError(
      `WebSocket "${type}" message has an unexpected shape: ${issues}`,
      raw || JSON.stringify(message),
    );
  }
  return { type, data: parsed.data } as JsonEvent;
}

/** Parses one text frame. */
export function parseTextFrame(text: string): JsonEvent | UnknownEvent {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (cause) {
    throw new EventParseError(`WebSocket text frame is not JSON: ${(cause as Error).message}`, text);
  }
  return parseJsonMessage(message, text);
}

const decoder = new TextDecoder();
const FORMAT: Record<number, PreviewFormat> = { 1: "image/jpeg", 2: "image/png" };

/** Parses one binary frame (types 1, 3, 4; others are returned as `unknown_binary`). */
export function parseBinaryFrame(frame: Uint8Array): BinaryEvent {
  if (frame.byteLength < 4)
    throw new EventParseError(`binary frame of ${frame.byteLength} bytes has no event type`, "");
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const frameType = view.getUint32(0);
  if (frameType === 1) {
    if (frame.byteLength < 8)
      throw new EventParseError("binary preview frame (type 1) is shorter than its header", "");
    const format = view.getUint32(4);
    return {
      type: "preview_image",
      frameType: 1,
      mimeType: FORMAT[format] ?? "unknown",
      image: frame.subarray(8),
      metadata: undefined,
    };
  }
  if (frameType === 3) {
    const length = frame.byteLength >= 8 ? view.getUint32(4) : -1;
    if (length < 0 || 8 + length > frame.byteLength)
      throw new EventParseError("binary text frame (type 3) has a bad node id length", "");
    return {
      type: "progress_text",
      nodeId: decoder.decode(frame.subarray(8, 8 + length)),
      text: decoder.decode(frame.subarray(8 + length)),
    };
  }
  if (frameType === 4) {
    const length = frame.byteLength >= 8 ? view.getUint32(4) : -1;
    if (length < 0 || 8 + length > frame.byteLength)
      throw new EventParseError("binary preview frame (type 4) has a bad metadata length", "");
    const json = decoder.decode(frame.subarray(8, 8 + length));
    let metadata: PreviewMetadata;
    try {
      metadata = JSON.parse(json) as PreviewMetadata;
    } catch (cause) {
      throw new EventParseError(
        `binary preview metadata (type 4) is not JSON: ${(cause as Error).message}`,
        json,
      );
    }
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
      throw new EventParseError("binary preview metadata (type 4) is not a JSON object", json);
    const mime =
      metadata.image_type === "image/png" || metadata.image_type === "image/jpeg"
        ? metadata.image_type
        : "unknown";
    return {
      type: "preview_image",
      frameType: 4,
      mimeType: mime,
      image: frame.subarray(8 + length),
      metadata,
    };
  }
  return { type: "unknown_binary", frameType, payload: frame.subarray(4) };
}

/** The prompt an event belongs to, when it says. */
export function eventPromptId(event: ComfyEvent): string | undefined {
  switch (event.type) {
    case "preview_image":
      return event.metadata?.prompt_id;
    case "progress_text":
    case "unknown_binary":
    case "status":
    case "feature_flags":
      return undefined;
    case "unknown": {
      const data = event.data as { prompt_id?: unknown } | null | undefined;
      return typeof data?.prompt_id === "string" ? data.prompt_id : undefined;
    }
    default:
      return event.data.prompt_id;
  }
}
