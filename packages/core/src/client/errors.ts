import { ComfyError } from "../errors.js";
import { formatLocation, type SourceLocation } from "../graph/source-location.js";
import { formatIssue, type ValidationIssue } from "../validation/issues.js";

/** Stable codes of every error the client throws. Match on `code`, not on the message. */
export const ClientErrorCode = {
  connection: "COMFY_CONNECTION",
  timeout: "COMFY_TIMEOUT",
  http: "COMFY_HTTP_STATUS",
  response: "COMFY_UNEXPECTED_RESPONSE",
  validation: "COMFY_VALIDATION",
  execution: "COMFY_EXECUTION",
  interrupted: "COMFY_INTERRUPTED",
  input: "COMFY_BAD_INPUT",
  lost: "COMFY_PROMPT_LOST",
  outcomeUnknown: "COMFY_OUTCOME_UNKNOWN",
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Base of every client error: a `ComfyError` with a client `code` and, when known, the prompt id. */
export class ComfyClientError extends ComfyError {
  declare readonly code: ClientErrorCode;
  /** The prompt this error belongs to, when it belongs to one. */
  readonly promptId: string | undefined;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown; promptId?: string }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.promptId = options?.promptId;
  }
}

/** The server could not be reached, or the connection broke before an answer. */
export class ComfyConnectionError extends ComfyClientError {
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown; promptId?: string }) {
    super(ClientErrorCode.connection, message, options);
    this.url = url;
  }
}

/** The stages of a job (and of single requests) that each have their own time bound. */
export type TimeoutStage =
  | "connect"
  | "request"
  | "submit"
  | "queue"
  | "execution"
  | "download"
  | "interrupt";

/** A bounded wait ran out. `stage` says which one; the matching option is named in the message. */
export class ComfyTimeoutError extends ComfyClientError {
  readonly stage: TimeoutStage;
  readonly timeoutMs: number;
  constructor(
    stage: TimeoutStage,
    timeoutMs: number,
    detail: string,
    options?: { cause?: unknown; promptId?: string },
  ) {
    const id = options?.promptId ? ` (prompt_id ${options.promptId})` : "";
    super(
      ClientErrorCode.timeout,
      `timed out after ${timeoutMs} ms in stage "${stage}"${id}: ${detail}. Raise timeouts.${stage} if the server is just slow.`,
      options,
    );
    this.stage = stage;
    this.timeoutMs = timeoutMs;
  }
}

/** The server answered with a non-2xx status. `body` is the response text (JSON parsed when it is JSON). */
export class ComfyHttpError extends ComfyClientError {
  readonly status: number;
  readonly method: string;
  /** URL without credentials. */
  readonly url: string;
  readonly body: unknown;
  constructor(
    method: string,
    url: string,
    status: number,
    body: unknown,
    options?: { promptId?: string; hint?: string },
  ) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const shown = text && text.length > 500 ? `${text.slice(0, 500)}…` : text;
    super(
      ClientErrorCode.http,
      `${method} ${url} answered HTTP ${status}${shown ? `: ${shown}` : ""}${options?.hint ? ` (${options.hint})` : ""}`,
      options,
    );
    this.status = status;
    this.method = method;
    this.url = url;
    this.body = body;
  }
}

/** The server answered 2xx, but not with the shape this client expects. */
export class ComfyResponseError extends ComfyClientError {
  readonly url: string;
  readonly issues: string;
  constructor(url: string, issues: string, options?: { cause?: unknown; promptId?: string }) {
    super(ClientErrorCode.response, `unexpected response from ${url}: ${issues}`, options);
    this.url = url;
    this.issues = issues;
  }
}

/** Bad arguments given to the client (not a server problem). */
export class ComfyInputError extends ComfyClientError {
  constructor(message: string, options?: { cause?: unknown; promptId?: string }) {
    super(ClientErrorCode.input, message, options);
  }
}

/**
 * ComfyUI refused the prompt (`POST /prompt` → 400), or accepted it with some outputs dropped
 * (200 with `node_errors`). `issues` (the validation module's form) has one entry per error, naming
 * node, class, input and the file:line where the node was created.
 */
export class ComfyValidationError extends ComfyClientError {
  /** Top-level `error.type`, e.g. `prompt_outputs_failed_validation`, `missing_node_type`. */
  readonly errorType: string;
  readonly issues: readonly ValidationIssue[];
  /** The raw `node_errors` object. */
  readonly nodeErrors: Record<string, unknown>;
  /** True when the server queued the prompt anyway (HTTP 200 with `node_errors`). */
  readonly queued: boolean;
  constructor(
    summary: {
      errorType: string;
      message: string;
      issues: readonly ValidationIssue[];
      nodeErrors: Record<string, unknown>;
      queued: boolean;
    },
    options?: { promptId?: string },
  ) {
    const lines = summary.issues.map((i) => `  ${formatIssue(i)} [${i.type}]`);
    super(
      ClientErrorCode.validation,
      `${summary.queued ? "the server queued the prompt but dropped outputs that failed validation" : "the server rejected the prompt"}: ${summary.message} [${summary.errorType}]${lines.length ? `\n${lines.join("\n")}` : ""}`,
      options,
    );
    this.errorType = summary.errorType;
    this.issues = summary.issues;
    this.nodeErrors = summary.nodeErrors;
    this.queued = summary.queued;
  }
}

/** A node raised while the job ran (`execution_error`). */
export class ComfyExecutionError extends ComfyClientError {
  readonly nodeId: string;
  readonly nodeType: string;
  readonly exceptionType: string;
  readonly exceptionMessage: string;
  readonly traceback: readonly string[];
  readonly location: SourceLocation | undefined;
  /** The full `execution_error` payload. */
  readonly data: Record<string, unknown>;
  constructor(info: {
    promptId: string;
    nodeId: string;
    nodeType: string;
    exceptionType: string;
    exceptionMessage: string;
    traceback: readonly string[];
    location: SourceLocation | undefined;
    data: Record<string, unknown>;
  }) {
    const where = info.location ? ` (created at ${formatLocation(info.location)})` : "";
    super(
      ClientErrorCode.execution,
      `node ${info.nodeId} (${info.nodeType})${where} failed in prompt ${info.promptId}: ${info.exceptionType}: ${info.exceptionMessage.trimEnd()}`,
      { promptId: info.promptId },
    );
    this.nodeId = info.nodeId;
    this.nodeType = info.nodeType;
    this.exceptionType = info.exceptionType;
    this.exceptionMessage = info.exceptionMessage;
    this.traceback = info.traceback;
    this.location = info.location;
    this.data = info.data;
  }
}

/** The job was interrupted (by this client's AbortSignal or by someone else). */
export class ComfyInterruptedError extends ComfyClientError {
  readonly nodeId: string | undefined;
  readonly nodeType: string | undefined;
  /** True when this client's AbortSignal stopped the job; false when someone else interrupted it. */
  readonly byUs: boolean;
  constructor(
    promptId: string,
    info: { nodeId?: string; nodeType?: string; cause?: unknown; byUs: boolean },
  ) {
    const at = info.nodeId ? ` at node ${info.nodeId}${info.nodeType ? ` (${info.nodeType})` : ""}` : "";
    super(
      ClientErrorCode.interrupted,
      `prompt ${promptId} was interrupted${at}${info.byUs ? " (aborted by the caller)" : ""}`,
      { promptId, cause: info.cause },
    );
    this.nodeId = info.nodeId;
    this.nodeType = info.nodeType;
    this.byUs = info.byUs;
  }
}

/** The server no longer knows the prompt: not queued, not running, no history (e.g. it restarted). */
export class ComfyPromptLostError extends ComfyClientError {
  constructor(promptId: string, detail: string) {
    super(ClientErrorCode.lost, `prompt ${promptId} is gone from the server: ${detail}`, { promptId });
  }
}

/**
 * `POST /prompt` may have reached the server, and it did not show the prompt within the submit
 * bound: the job may still run later. It is not sent again (it would run twice); look for
 * `promptId` in `/queue` and `/history` before submitting anew.
 */
export class ComfyOutcomeUnknownError extends ComfyClientError {
  declare readonly promptId: string;
  constructor(promptId: string, detail: string, options?: { cause?: unknown }) {
    super(
      ClientErrorCode.outcomeUnknown,
      `POST /prompt of prompt_id ${promptId}: ${detail}; the server did not show the prompt in time, ` +
        `so it may still run. It was not sent again; look for prompt_id ${promptId} in /queue and /history before submitting it anew.`,
      { promptId, ...(options?.cause === undefined ? {} : { cause: options.cause }) },
    );
  }
}
