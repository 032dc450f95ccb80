export type { ValidationIssue } from "../validation/issues.js";
export type { Auth, ClientLogger, ClientOptions, RetryOptions, Timeouts } from "./client-options.js";
export { DEFAULT_RECONNECT, DEFAULT_RETRY, DEFAULT_TIMEOUTS, MAX_TIMEOUT_MS } from "./client-options.js";
export {
  ComfyClient,
  type DroppedOutputs,
  type MaskUploadRequest,
  type PromptWhereabouts,
  type SubmitOptions,
  type SubmitResult,
  type UploadRequest,
  type ViewRequest,
} from "./comfy-client.js";
export { ComfySocket, type SocketOptions, type SocketState } from "./comfy-socket.js";
export {
  ClientErrorCode,
  ComfyClientError,
  ComfyConnectionError,
  ComfyExecutionError,
  ComfyHttpError,
  ComfyInputError,
  ComfyInterruptedError,
  ComfyOutcomeUnknownError,
  ComfyPromptLostError,
  ComfyResponseError,
  ComfyTimeoutError,
  ComfyValidationError,
  type TimeoutStage,
} from "./errors.js";
export type { RunProgressEvent } from "./job-tracker.js";
export { backoffDelay } from "./retry.js";
export {
  type ForceExecution,
  type NodeRunStatus,
  type RunInput,
  type RunOptions,
  type RunResult,
  type RunTiming,
  toPrompt,
} from "./run.js";
export type { OutputFile, OutputText } from "./run-result.js";
export type {
  Features,
  FileRef,
  History,
  HistoryEntry,
  Job,
  JobList,
  NodeError,
  ObjectInfo,
  Queue,
  QueueInfo,
  QueueItem,
  SystemStats,
  UploadResponse,
} from "./schemas.js";
export {
  type BinaryEvent,
  type ComfyEvent,
  EventParseError,
  eventPromptId,
  type JsonEvent,
  type PreviewImageEvent,
  type ProgressTextEvent,
  parseBinaryFrame,
  parseJsonMessage,
  parseTextFrame,
  type UnknownEvent,
} from "./ws-events.js";
