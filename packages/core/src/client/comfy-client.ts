import { randomUUID } from "node:crypto";
import { FormData } from "undici";
import { parseCatalogText } from "../catalog/parse-catalog.js";
import type { NodeCatalog } from "../catalog/types.js";
import type { ApiPrompt } from "../compile/api-prompt.js";
import { stringifyPrompt } from "../compile/stringify-prompt.js";
import type { ClientOptions, ResolvedClientOptions } from "./client-options.js";
import { ComfySocket, type SocketOptions } from "./comfy-socket.js";
import { type Deadline, msLeft, startDeadline } from "./deadline.js";
import {
  ComfyHttpError,
  ComfyInputError,
  ComfyOutcomeUnknownError,
  ComfyResponseError,
  ComfyTimeoutError,
  type ComfyValidationError,
} from "./errors.js";
import {
  HttpTransport,
  isConnectionFailure,
  parseJson,
  resolveOptions,
  type SendOptions,
} from "./http-transport.js";
import { backoffDelay, sleep } from "./retry.js";
import { type RunInput, type RunOptions, type RunResult, runJob } from "./run.js";
import {
  cancelledSchema,
  type Features,
  featuresSchema,
  type History,
  type HistoryEntry,
  historySchema,
  type Job,
  type JobList,
  jobListSchema,
  jobSchema,
  type ObjectInfo,
  objectInfoSchema,
  promptErrorBodySchema,
  type Queue,
  type QueueInfo,
  queueInfoSchema,
  queueSchema,
  type SystemStats,
  stringListSchema,
  submitResponseSchema,
  systemStatsSchema,
  type UploadResponse,
  uploadResponseSchema,
  viewMetadataSchema,
} from "./schemas.js";
import { validationErrorFrom } from "./validation-issues.js";

/** Options of `POST /prompt` besides the prompt. */
export interface SubmitOptions {
  /** Client-chosen id (a lowercase UUID; servers since 2026-06 require that form). Generated when omitted. */
  readonly promptId?: string;
  /** The WebSocket that receives the job's events. Default: this client's id. */
  readonly clientId?: string;
  /** Free-form `extra_data` (e.g. `extra_pnginfo`, `preview_method`). */
  readonly extraData?: Readonly<Record<string, unknown>>;
  /** Put the job before others in the queue. */
  readonly front?: boolean;
  /** Explicit priority (lower runs first). */
  readonly number?: number;
  /** Only run these output nodes (servers since 2025-07-30). */
  readonly partialExecutionTargets?: readonly string[];
  /**
   * How many times to resubmit after an ambiguous failure (connection lost, timeout, 502/503/504) —
   * only after `/queue` and `/history` show the server does not have the prompt. Default 2.
   */
  readonly resubmits?: number;
  /**
   * When the server queues the prompt with some outputs dropped (HTTP 200 with `node_errors`: they
   * failed validation, the others run): `"fail"` (default) cancels the job and throws
   * `ComfyValidationError`; `"report"` lets the valid outputs run and returns the error as `dropped`.
   */
  readonly droppedOutputs?: DroppedOutputs;
  readonly signal?: AbortSignal;
}

/** What a run does when the server drops outputs that failed validation. See `SubmitOptions`. */
export type DroppedOutputs = "fail" | "report";

export interface SubmitResult {
  readonly promptId: string;
  /** Queue number; undefined when recovered from `/queue`/`/history` after an ambiguous failure. */
  readonly number: number | undefined;
  /** True when the answer was lost and the prompt was found on the server instead. */
  readonly recovered: boolean;
  /** The outputs the server dropped (`droppedOutputs: "report"`), as the error `"fail"` throws. */
  readonly dropped?: ComfyValidationError;
}

/** Where a prompt is on the server right now. */
export type PromptWhereabouts =
  | { readonly where: "running" | "pending"; readonly number: number }
  | { readonly where: "history"; readonly entry: HistoryEntry }
  | { readonly where: "unknown" };

/** A file reference for `/view` and `/upload/mask`'s `original_ref`. */
export interface ViewRequest {
  readonly filename: string;
  /** `output` (default), `input` or `temp`. */
  readonly type?: string;
  readonly subfolder?: string;
  /** Re-encode: `"webp"`, `"jpeg"`, optionally with quality (`"webp;80"`). */
  readonly preview?: string;
  /** `rgba` (default), `rgb`, or `a` (alpha as an image). */
  readonly channel?: "rgba" | "rgb" | "a";
  readonly signal?: AbortSignal;
  /** The prompt the file belongs to, named in errors. */
  readonly promptId?: string;
}

export interface UploadRequest {
  /** File content. */
  readonly data: Uint8Array | Blob;
  /** The name to store the file under. */
  readonly filename: string;
  /** `input` (default), `temp` or `output`. */
  readonly type?: "input" | "temp" | "output";
  readonly subfolder?: string;
  /** Replace an existing file of that name; otherwise the server renames (`name (1).png`). */
  readonly overwrite?: boolean;
  readonly signal?: AbortSignal;
}

export interface MaskUploadRequest extends UploadRequest {
  /** The image whose alpha channel the mask replaces. */
  readonly originalRef: { readonly filename: string; readonly subfolder?: string; readonly type?: string };
}

/**
 * A client of one ComfyUI server: every HTTP endpoint, the WebSocket, and `run()`.
 *
 * ```ts
 * const client = new ComfyClient({ baseUrl: "http://127.0.0.1:8188" });
 * const result = await client.run(poster, { onProgress: (e) => log(e) });
 * result.images[0].bytes; // PNG bytes of the first image
 * await client.close();
 * ```
 */
export class ComfyClient {
  readonly options: ResolvedClientOptions;
  readonly http: HttpTransport;
  #socket: ComfySocket | undefined;

  constructor(options: ClientOptions) {
    this.options = resolveOptions(options);
    this.http = new HttpTransport(this.options);
  }

  get clientId(): string {
    return this.options.clientId;
  }

  /** The client's WebSocket (created on first use, not connected until `connect()`). */
  socket(options?: SocketOptions): ComfySocket {
    this.#socket ??= new ComfySocket(this.http, options);
    return this.#socket;
  }

  /** Runs a graph or an API prompt to completion. See {@link RunOptions} and {@link RunResult}. */
  run(input: RunInput, options: RunOptions = {}): Promise<RunResult> {
    return runJob(this, input, options);
  }

  /** Closes the WebSocket. HTTP connections belong to the dispatcher and close with it. */
  close(): void {
    this.#socket?.close();
  }

  // ---- nodes -------------------------------------------------------------------------------

  /** `GET /object_info`: every node definition, raw (normalise with the catalog module). */
  async objectInfo(options: { signal?: AbortSignal } = {}): Promise<ObjectInfo> {
    return (await this.http.json("GET", "object_info", objectInfoSchema, {
      idempotent: true,
      ...options,
    })) as ObjectInfo;
  }

  /**
   * `GET /object_info` parsed into the normalized catalog, with exact big integers (INT bounds of
   * 2^64−1 survive). Throws `CatalogError` for an answer that is not a catalog.
   */
  async catalog(options: { signal?: AbortSignal } = {}): Promise<NodeCatalog> {
    const response = await this.http.send("GET", "object_info", { idempotent: true, ...options });
    return parseCatalogText(new TextDecoder().decode(response.body));
  }

  /** `GET /object_info/{class}`: one node definition, or undefined when the server does not know it. */
  async objectInfoFor(
    classType: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Record<string, unknown> | undefined> {
    const all = await this.http.json(
      "GET",
      `object_info/${encodeURIComponent(classType)}`,
      objectInfoSchema,
      {
        idempotent: true,
        ...options,
      },
    );
    return all[classType] as Record<string, unknown> | undefined;
  }

  // ---- prompts and queue -------------------------------------------------------------------

  /**
   * `POST /prompt` with a client-chosen `prompt_id`. A 400 — and a 200 that carries `node_errors` —
   * throws `ComfyValidationError`, unless `droppedOutputs: "report"` (in the 200 case the partly queued job is cancelled first).
   *
   * A prompt runs at most once: it is sent again only when the connection was refused before any
   * byte of it was written (`resubmits` times at most). After a failure that may have reached the
   * server (a connection lost or timed out mid-request, 502/503/504, an answer that is not JSON) it
   * is looked for by its id in `/history` and `/queue` until `timeouts.submit` runs out, then
   * `ComfyOutcomeUnknownError` says it may still run. The whole call takes at most `timeouts.submit`.
   */
  async submit(prompt: ApiPrompt, options: SubmitOptions = {}): Promise<SubmitResult> {
    const promptId = options.promptId ?? randomUUID();
    const body = stringifyPrompt({
      prompt,
      client_id: options.clientId ?? this.clientId,
      prompt_id: promptId,
      ...(options.extraData ? { extra_data: options.extraData } : {}),
      ...(options.front ? { front: true } : {}),
      ...(options.number !== undefined ? { number: options.number } : {}),
      ...(options.partialExecutionTargets
        ? { partial_execution_targets: options.partialExecutionTargets }
        : {}),
    } as Record<string, unknown>);
    const resubmits = options.resubmits ?? 2;
    const deadline = startDeadline("submit", this.options.timeouts.submit);
    const signal = options.signal;
    for (let attempt = 0; ; attempt++) {
      let response: Awaited<ReturnType<HttpTransport["send"]>>;
      try {
        response = await this.http.send("POST", "prompt", {
          body,
          stage: "submit",
          deadline,
          acceptStatus: [400],
          promptId,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (neverDelivered(error)) {
          const delay = backoffDelay(attempt + 1, this.options.retry);
          if (attempt >= resubmits || delay >= msLeft(deadline)) throw error;
          this.options.logger.debug?.(
            `POST /prompt ${promptId}: refused (${(error as Error).message}); sending again`,
          );
          await sleep(delay, signal);
          continue;
        }
        if (!isAmbiguous(error)) throw error;
        this.options.logger.warn?.(
          `POST /prompt ${promptId}: no answer (${(error as Error).message}); looking for it on the server`,
        );
        return this.#findSubmitted(promptId, deadline, error, signal);
      }
      if (response.status === 400) {
        throw validationErrorFrom(prompt, parseJson(response, promptErrorBodySchema, promptId), {
          queued: false,
          promptId,
        });
      }
      let ok: ReturnType<typeof submitResponseSchema.parse>;
      try {
        ok = parseJson(response, submitResponseSchema, promptId);
      } catch (error) {
        // A 2xx answer that is not the server's (a proxy's page, a garbled body): the prompt may be there.
        if (!(error instanceof ComfyResponseError)) throw error;
        this.options.logger.warn?.(
          `POST /prompt ${promptId}: ${error.message}; looking for it on the server`,
        );
        return this.#findSubmitted(promptId, deadline, error, signal);
      }
      const nodeErrors = ok.node_errors;
      if (!Array.isArray(nodeErrors) && Object.keys(nodeErrors).length > 0) {
        const dropped = validationErrorFrom(
          prompt,
          { node_errors: nodeErrors },
          { queued: true, promptId: ok.prompt_id },
        );
        if (options.droppedOutputs === "report")
          return { promptId: ok.prompt_id, number: ok.number, recovered: false, dropped };
        // Queued with the failing outputs dropped: a partial run is not what the caller asked for.
        await this.cancel(ok.prompt_id).catch(() => undefined);
        throw dropped;
      }
      return { promptId: ok.prompt_id, number: ok.number, recovered: false };
    }
  }

  /**
   * After a `POST /prompt` that may have reached the server: looks for the prompt id in `/history`
   * and `/queue` until the submit deadline (a request held by the network may still arrive), riding
   * out failures of those reads. Never sends the prompt again.
   */
  async #findSubmitted(
    promptId: string,
    deadline: Deadline,
    cause: unknown,
    signal: AbortSignal | undefined,
  ): Promise<SubmitResult> {
    let last: unknown = cause;
    while (msLeft(deadline) > 0) {
      try {
        const found = await this.#locate(promptId, signal, deadline);
        if (found.where !== "unknown") {
          return {
            promptId,
            number: found.where === "history" ? found.entry.prompt[0] : found.number,
            recovered: true,
          };
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        // A read cut short by the submit deadline says less than the failure the search saw before it.
        if (!(error instanceof ComfyTimeoutError) || last === cause) last = error;
      }
      const pause = Math.min(this.options.pollIntervalMs, msLeft(deadline));
      if (pause > 0) await sleep(pause, signal);
    }
    const why = (cause as Error | undefined)?.message ?? String(cause);
    throw new ComfyOutcomeUnknownError(promptId, `no usable answer (${why})`, { cause: last });
  }

  /** Where the server has a prompt: running, pending, finished (history), or unknown. */
  locate(promptId: string, signal?: AbortSignal): Promise<PromptWhereabouts> {
    return this.#locate(promptId, signal, undefined);
  }

  async #locate(
    promptId: string,
    signal: AbortSignal | undefined,
    deadline: Deadline | undefined,
  ): Promise<PromptWhereabouts> {
    const opts: SendOptions = { ...(signal ? { signal } : {}), ...(deadline ? { deadline } : {}) };
    const entry = await this.#historyEntry(promptId, opts);
    if (entry) return { where: "history", entry };
    const queue = await this.http.json("GET", "queue", queueSchema, { idempotent: true, promptId, ...opts });
    const running = queue.queue_running.find((item) => item[1] === promptId);
    if (running) return { where: "running", number: running[0] };
    const pending = queue.queue_pending.find((item) => item[1] === promptId);
    if (pending) return { where: "pending", number: pending[0] };
    // It may have finished between the two reads.
    const late = await this.#historyEntry(promptId, opts);
    return late ? { where: "history", entry: late } : { where: "unknown" };
  }

  /** Stops a prompt wherever it is: removes it from the pending queue and interrupts it if running. */
  async cancel(promptId: string, signal?: AbortSignal): Promise<void> {
    const opts = signal ? { signal } : {};
    await this.deleteFromQueue([promptId], opts);
    await this.interrupt(promptId, opts);
  }

  /** `GET /prompt`: `{exec_info: {queue_remaining}}` (running + pending). */
  promptQueueInfo(options: { signal?: AbortSignal } = {}): Promise<QueueInfo> {
    return this.http.json("GET", "prompt", queueInfoSchema, { idempotent: true, ...options });
  }

  /** `GET /queue`: running and pending items as `[number, prompt_id, prompt, extra_data, outputs]`. */
  queue(options: { signal?: AbortSignal } = {}): Promise<Queue> {
    return this.http.json("GET", "queue", queueSchema, { idempotent: true, ...options });
  }

  /** `POST /queue {"delete": ids}`: removes pending items (a running job is untouched; see `interrupt`). */
  async deleteFromQueue(promptIds: readonly string[], options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.http.send("POST", "queue", {
      body: JSON.stringify({ delete: promptIds }),
      idempotent: true,
      ...options,
    });
  }

  /**
   * `POST /queue {"clear": true}`: removes every pending item. Not retried: a repeat could remove a
   * job someone queued in between.
   */
  async clearQueue(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.http.send("POST", "queue", { body: JSON.stringify({ clear: true }), ...options });
  }

  /**
   * `POST /interrupt`: with a prompt id, interrupts only that prompt if it is running (a no-op
   * otherwise; servers before 2025-09 interrupt whatever runs); without, interrupts whatever runs.
   */
  async interrupt(promptId?: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.http.send("POST", "interrupt", {
      body: promptId === undefined ? "{}" : JSON.stringify({ prompt_id: promptId }),
      // A global interrupt is not repeated: it could stop a job that started in between.
      idempotent: promptId !== undefined,
      stage: "interrupt",
      ...options,
    });
  }

  // ---- jobs (servers since 2025-12; cancel since 2026-06) ------------------------------------

  /** `GET /api/jobs`: the unified job list (pending, running and finished), newest first by default. */
  jobs(
    options: {
      status?: readonly ("pending" | "in_progress" | "completed" | "failed" | "cancelled")[];
      workflowId?: string;
      sortBy?: "created_at" | "execution_duration";
      sortOrder?: "asc" | "desc";
      limit?: number;
      offset?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<JobList> {
    return this.http.json("GET", "api/jobs", jobListSchema, {
      idempotent: true,
      query: {
        status: options.status?.join(","),
        workflow_id: options.workflowId,
        sort_by: options.sortBy,
        sort_order: options.sortOrder,
        limit: options.limit,
        offset: options.offset,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** `GET /api/jobs/{id}`: one job with its outputs, or undefined when the server does not know it. */
  async job(id: string, options: { signal?: AbortSignal } = {}): Promise<Job | undefined> {
    try {
      return await this.http.json("GET", `api/jobs/${encodeURIComponent(id)}`, jobSchema, {
        idempotent: true,
        ...options,
      });
    } catch (error) {
      if (error instanceof ComfyHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * `POST /api/jobs/{id}/cancel`: interrupts the job if running, dequeues it if pending (atomically,
   * servers since 2026-06; older ones answer 404 — use `cancel()`). Resolves to whether it cancelled.
   */
  async cancelJob(id: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    const answer = await this.http.json(
      "POST",
      `api/jobs/${encodeURIComponent(id)}/cancel`,
      cancelledSchema,
      {
        body: "{}",
        idempotent: true,
        ...options,
      },
    );
    return answer.cancelled;
  }

  // ---- history ------------------------------------------------------------------------------

  /** `GET /history`: entries oldest first; `maxItems` alone gives the last N. */
  history(options: { maxItems?: number; offset?: number; signal?: AbortSignal } = {}): Promise<History> {
    return this.http.json("GET", "history", historySchema, {
      idempotent: true,
      query: { max_items: options.maxItems, offset: options.offset },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** `GET /history/{id}`: the entry, or undefined while the prompt has not finished (or is unknown). */
  historyEntry(promptId: string, options: { signal?: AbortSignal } = {}): Promise<HistoryEntry | undefined> {
    return this.#historyEntry(promptId, options.signal ? { signal: options.signal } : {});
  }

  async #historyEntry(promptId: string, options: SendOptions): Promise<HistoryEntry | undefined> {
    const all = await this.http.json("GET", `history/${encodeURIComponent(promptId)}`, historySchema, {
      idempotent: true,
      promptId,
      ...options,
    });
    return all[promptId];
  }

  /** `POST /history {"delete": ids}`. */
  async deleteHistory(promptIds: readonly string[], options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.http.send("POST", "history", {
      body: JSON.stringify({ delete: promptIds }),
      idempotent: true,
      ...options,
    });
  }

  /** `POST /history {"clear": true}`. */
  async clearHistory(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.http.send("POST", "history", {
      body: JSON.stringify({ clear: true }),
      idempotent: true,
      ...options,
    });
  }

  // ---- files --------------------------------------------------------------------------------

  /** `GET /view`: the file's bytes (an output, input or temp image; re-encoded with `preview`). */
  async view(request: ViewRequest): Promise<Uint8Array> {
    if (!request.filename) throw new ComfyInputError("view: filename is required");
    const response = await this.http.send("GET", "view", {
      idempotent: true,
      stage: "download",
      query: {
        filename: request.filename,
        type: request.type ?? "output",
        subfolder: request.subfolder ?? "",
        preview: request.preview,
        channel: request.channel,
      },
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.promptId ? { promptId: request.promptId } : {}),
    });
    return response.body;
  }

  /** `POST /upload/image` (multipart). Use the answer's `subfolder/name` as LoadImage's `image`. */
  async uploadImage(request: UploadRequest): Promise<UploadResponse> {
    return this.upload("upload/image", request, this.form(request));
  }

  /** `POST /upload/mask`: writes the original image with its alpha replaced by the mask's alpha. */
  async uploadMask(request: MaskUploadRequest): Promise<UploadResponse> {
    const form = this.form(request);
    form.set(
      "original_ref",
      JSON.stringify({
        filename: request.originalRef.filename,
        subfolder: request.originalRef.subfolder ?? "",
        type: request.originalRef.type ?? "output",
      }),
    );
    return this.upload("upload/mask", request, form);
  }

  private form(request: UploadRequest): FormData {
    if (!request.filename) throw new ComfyInputError("upload: filename is required");
    const form = new FormData();
    const blob =
      request.data instanceof Blob ? request.data : new Blob([request.data as Uint8Array<ArrayBuffer>]);
    form.set("image", blob, request.filename);
    form.set("type", request.type ?? "input");
    if (request.subfolder) form.set("subfolder", request.subfolder);
    form.set("overwrite", request.overwrite ? "true" : "false");
    return form;
  }

  private async upload(route: string, request: UploadRequest, form: FormData): Promise<UploadResponse> {
    // Uploads are safe to repeat only with overwrite (otherwise a retry could store "name (1).png").
    return this.http.json("POST", route, uploadResponseSchema, {
      body: form,
      idempotent: request.overwrite === true,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }

  /** `GET /view_metadata/{folder}?filename=`: a safetensors file's `__metadata__`, or undefined (404). */
  async viewMetadata(
    folder: string,
    filename: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.http.json("GET", `view_metadata/${encodeURIComponent(folder)}`, viewMetadataSchema, {
        idempotent: true,
        query: { filename },
        ...options,
      });
    } catch (error) {
      if (error instanceof ComfyHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  // ---- server -------------------------------------------------------------------------------

  /** `GET /system_stats`: OS, versions, devices. */
  systemStats(options: { signal?: AbortSignal } = {}): Promise<SystemStats> {
    return this.http.json("GET", "system_stats", systemStatsSchema, { idempotent: true, ...options });
  }

  /** `GET /features`: the server's feature flags. */
  features(options: { signal?: AbortSignal } = {}): Promise<Features> {
    return this.http.json("GET", "features", featuresSchema, { idempotent: true, ...options });
  }

  /** `GET /embeddings`: embedding names. */
  embeddings(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.http.json("GET", "embeddings", stringListSchema, { idempotent: true, ...options });
  }

  /** `GET /extensions`: URLs of frontend extension scripts. */
  extensions(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.http.json("GET", "extensions", stringListSchema, { idempotent: true, ...options });
  }

  /** `GET /models`: model folder names. */
  models(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.http.json("GET", "models", stringListSchema, { idempotent: true, ...options });
  }

  /** `GET /models/{folder}`: files in a model folder (an unknown folder is an HTTP 404 error). */
  modelFiles(folder: string, options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return this.http.json("GET", `models/${encodeURIComponent(folder)}`, stringListSchema, {
      idempotent: true,
      ...options,
    });
  }

  /**
   * `POST /free`: `unloadModels` unloads models after the current job; `freeMemory` also drops the
   * node-output cache (so the next prompt re-runs every node).
   */
  async free(
    options: { unloadModels?: boolean; freeMemory?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    await this.http.send("POST", "free", {
      body: JSON.stringify({
        unload_models: options.unloadModels ?? false,
        free_memory: options.freeMemory ?? false,
      }),
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
}

/** A failure after which the server may or may not have the prompt. */
function isAmbiguous(error: unknown): boolean {
  if (neverDelivered(error)) return false;
  if (error instanceof ComfyTimeoutError) return true;
  if (error instanceof ComfyHttpError)
    return error.status === 502 || error.status === 503 || error.status === 504;
  return isConnectionFailure(error);
}

/** Errors raised before a connection existed (refused, unknown host): the server cannot have the prompt. */
const NOT_CONNECTED_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function neverDelivered(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NOT_CONNECTED_CODES.has(code)) return true;
  }
  return false;
}
