import { pyJsonDumps } from "@comfy-ts/core/python";

/** Binary WebSocket event types (big-endian u32 at the start of every binary frame). */
export const BinaryEventType = {
  previewImage: 1,
  text: 3,
  previewImageWithMetadata: 4,
} as const;

/** Image format codes of type-1 frames. */
export const PreviewFormat = { JPEG: 1, PNG: 2 } as const;
export type PreviewFormatName = keyof typeof PreviewFormat;

/** Type 1: `u32 1 | u32 format | image bytes`. */
export function encodePreviewFrame(format: PreviewFormatName, image: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(BinaryEventType.previewImage, 0);
  head.writeUInt32BE(PreviewFormat[format], 4);
  return Buffer.concat([head, image]);
}

/** Type 3: `u32 3 | u32 len | node id | UTF-8 text` (`send_progress_text`). */
export function encodeTextFrame(nodeId: string, text: string): Buffer {
  const id = Buffer.from(nodeId, "utf8");
  const head = Buffer.alloc(8);
  head.writeUInt32BE(BinaryEventType.text, 0);
  head.writeUInt32BE(id.length, 4);
  return Buffer.concat([head, id, Buffer.from(text, "utf8")]);
}

/** Metadata JSON of a type-4 frame. */
export interface PreviewMetadata {
  node_id: string;
  prompt_id: string;
  display_node_id: string;
  parent_node_id: string | null;
  real_node_id: string;
  image_type: "image/png" | "image/jpeg";
}

/** Type 4: `u32 4 | u32 len | metadata JSON | image bytes`. */
export function encodePreviewWithMetadataFrame(metadata: PreviewMetadata, image: Uint8Array): Buffer {
  // ComfyUI serializes with json.dumps defaults (", " and ": " separators).
  const json = Buffer.from(pyJsonDumps({ ...metadata }), "utf8");
  const head = Buffer.alloc(8);
  head.writeUInt32BE(BinaryEventType.previewImageWithMetadata, 0);
  head.writeUInt32BE(json.length, 4);
  return Buffer.concat([head, json, image]);
}
