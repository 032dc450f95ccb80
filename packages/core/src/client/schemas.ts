import { z } from "zod";

// Response shapes of ComfyUI 0.3.65 and the 0.26-era server. Objects are loose: servers add fields
// over time, and a client must not break on an extra key.

const nodeId = z.union([z.string(), z.number().transform(String)]);

export const queueInfoSchema = z.looseObject({ exec_info: z.looseObject({ queue_remaining: z.number() }) });
export type QueueInfo = z.infer<typeof queueInfoSchema>;

/** `POST /prompt` success body. `node_errors` may be non-empty on 200 (some outputs dropped). */
export const submitResponseSchema = z.looseObject({
  prompt_id: z.string(),
  number: z.number(),
  node_errors: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).default({}),
});
export type SubmitResponse = z.infer<typeof submitResponseSchema>;

export const validationErrorItemSchema = z.looseObject({
  type: z.string(),
  message: z.string(),
  details: z.string().default(""),
  extra_info: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
});
export type ValidationErrorItem = z.infer<typeof validationErrorItemSchema>;

export const nodeErrorSchema = z.looseObject({
  errors: z.array(validationErrorItemSchema),
  dependent_outputs: z.array(nodeId).default([]),
  class_type: z.string().optional(),
});
export type NodeError = z.infer<typeof nodeErrorSchema>;

/**
 * `POST /prompt` 400 body. Servers before 2025-04 sent `{"error": "no prompt", "node_errors": []}`.
 */
export const promptErrorBodySchema = z.looseObject({
  error: z.union([
    validationErrorItemSchema,
    z
      .string()
      .transform((message) => ({ type: message.replaceAll(" ", "_"), message, details: "", extra_info: {} })),
  ]),
  node_errors: z
    .union([z.record(z.string(), nodeErrorSchema), z.array(z.unknown()).transform(() => ({}))])
    .default({}),
});
export type PromptErrorBody = z.infer<typeof promptErrorBodySchema>;

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]` (a sixth hidden element never leaves the server). */
export const queueItemSchema = z
  .tuple([
    z.number(),
    z.string(),
    z.record(z.string(), z.unknown()),
    z.record(z.string(), z.unknown()),
    z.array(nodeId),
  ])
  .rest(z.unknown());
export type QueueItem = z.infer<typeof queueItemSchema>;

export const queueSchema = z.looseObject({
  queue_running: z.array(queueItemSchema),
  queue_pending: z.array(queueItemSchema),
});
export type Queue = z.infer<typeof queueSchema>;

/** One output file in a UI dict (`images`, `audio`, `gifs`, …). */
export const fileRefSchema = z.looseObject({
  filename: z.string(),
  subfolder: z.string().default(""),
  type: z.string().default("output"),
});
export type FileRef = z.infer<typeof fileRefSchema>;

export const historyMessageSchema = z.tuple([z.string(), z.unknown()]);

export const historyEntrySchema = z.looseObject({
  prompt: queueItemSchema,
  outputs: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).default({}),
  status: z
    .looseObject({
      status_str: z.string(),
      completed: z.boolean(),
      messages: z.array(historyMessageSchema).default([]),
    })
    .optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const historySchema = z.record(z.string(), historyEntrySchema);
export type History = z.infer<typeof historySchema>;

export const uploadResponseSchema = z.looseObject({
  name: z.string(),
  subfolder: z.string().default(""),
  type: z.string().default("input"),
});
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

export const deviceSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  index: z.number().nullable().optional(),
  vram_total: z.number().optional(),
  vram_free: z.number().optional(),
  torch_vram_total: z.number().optional(),
  torch_vram_free: z.number().optional(),
});

export const systemStatsSchema = z.looseObject({
  system: z.looseObject({
    os: z.string(),
    comfyui_version: z.string().optional(),
    python_version: z.string().optional(),
    pytorch_version: z.string().optional(),
    embedded_python: z.boolean().optional(),
    ram_total: z.number().optional(),
    ram_free: z.number().optional(),
    argv: z.array(z.string()).optional(),
  }),
  devices: z.array(deviceSchema),
});
export type SystemStats = z.infer<typeof systemStatsSchema>;

/** `/features` and the WS `feature_flags` reply. `max_upload_size` is a float on newer servers. */
export const featuresSchema = z.looseObject({
  supports_preview_metadata: z.boolean().optional(),
  max_upload_size: z.number().optional(),
});
export type Features = z.infer<typeof featuresSchema>;

export const stringListSchema = z.array(z.string());

/** `/object_info` as raw JSON objects; `@comfy-ts/core`'s catalog normalises them. */
export const objectInfoSchema = z.record(
  z.string(),
  z.looseObject({ input: z.unknown(), output: z.unknown() }),
);
export type ObjectInfo = Record<string, Record<string, unknown>>;

export const viewMetadataSchema = z.record(z.string(), z.unknown());

/** A job of `/api/jobs` (servers since 2025-12). Absent fields were null on the server. */
export const jobSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  priority: z.number().optional(),
  create_time: z.number().optional(),
  execution_start_time: z.number().optional(),
  execution_end_time: z.number().optional(),
  execution_error: z.record(z.string(), z.unknown()).optional(),
  outputs_count: z.number().optional(),
  preview_output: z.record(z.string(), z.unknown()).optional(),
  workflow_id: z.string().optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  execution_status: z.record(z.string(), z.unknown()).optional(),
  workflow: z.record(z.string(), z.unknown()).optional(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobListSchema = z.looseObject({
  jobs: z.array(jobSchema),
  pagination: z.looseObject({
    offset: z.number(),
    limit: z.number().nullable(),
    total: z.number(),
    has_more: z.boolean(),
  }),
});
export type JobList = z.infer<typeof jobListSchema>;

export const cancelledSchema = z.looseObject({ cancelled: z.boolean() });
