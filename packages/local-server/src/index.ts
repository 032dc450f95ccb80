export { InterruptedError, noModelsMessage } from "./execution/execution-errors.js";
export type { ExecutionEvents, JobResult } from "./execution/executor.js";
export type {
  DefinitionEnv,
  ListedOnlyNode,
  NodeContext,
  NodeImpl,
  NodeResult,
  PreviewImage,
  RawNodeDefinition,
} from "./execution/node-impl.js";
export { NodeExecutionError } from "./execution/node-impl.js";
export { DuplicateNodeError, NodeRegistry } from "./execution/node-registry.js";
export type {
  ComfyError,
  NodeErrorEntry,
  PromptValidator,
  ValidationContext,
  ValidationOutcome,
} from "./execution/prompt-validator.js";
export type { ServerDirs } from "./files/folders.js";
export type { HistoryEntry, HistoryStatus, NodeMeta } from "./history/history-store.js";
export { COMFYUI_COMPAT_VERSION, MODEL_FOLDERS } from "./http/info-routes.js";
export type { QueueTuple } from "./queue/queue-item.js";
export {
  type LocalServer,
  type LocalServerOptions,
  type ServerLogger,
  startLocalServer,
} from "./server/start-local-server.js";
export type { Tensor } from "./tensor/tensor.js";
export { ShapeError, tensor } from "./tensor/tensor.js";
export { BinaryEventType, PreviewFormat } from "./ws/binary-frames.js";
export { SERVER_FEATURES } from "./ws/socket-hub.js";
