export { InterruptedError, noModelsMessage } from "./execution/execution-errors.js";
export type { ExecutionEvents, HistoryMessage, JobResult } from "./execution/executor.js";
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
  PromptValidator,
  ValidationContext,
  ValidationOutcome,
} from "./execution/prompt-validator.js";
export type { ServerDirs } from "./files/folders.js";
export type { HistoryEntry, HistoryStatus, NodeMeta } from "./history/history-store.js";
export { COMFYUI_COMPAT_VERSION, MODEL_FOLDERS } from "./http/info-routes.js";
export {
  BOOLEAN,
  COMBO,
  type ComboSpec,
  defineNode,
  definition,
  type Execute,
  FILES,
  FileCombo,
  type FileLister,
  FLOAT,
  type FloatOptions,
  INT,
  type InputOptions,
  type InputSpec,
  type InputsOf,
  type InputValue,
  type IntOptions,
  isListed,
  listedOnly,
  MAX_RESOLUTION,
  NodeDefinitionError,
  NodeInputError,
  type NodeInputs,
  type NodeListInputs,
  type NodeSpec,
  type OutputSpec,
  out,
  type SocketSpec,
  STRING,
  T,
  U64_MAX,
  type Unlisted,
  V3COMBO,
  type V3ComboSpec,
  V3FILES,
} from "./nodes/define.js";
export type {
  Audio,
  HookGroup,
  HookKeyframe,
  HookKeyframeGroup,
  Latent,
  LatentOperation,
  NoiseObject,
  PixelSpaceVae,
  SamplerObject,
  SocketValues,
  VideoFromComponents,
  VideoFromFile,
  VideoObject,
} from "./nodes/socket-types.js";
export type { QueueTuple } from "./queue/queue-item.js";
export {
  type LocalServer,
  LocalServerOptionError,
  type LocalServerOptions,
  type ServerLogger,
  startLocalServer,
} from "./server/start-local-server.js";
export type { Tensor } from "./tensor/tensor.js";
export { ShapeError, tensor } from "./tensor/tensor.js";
export {
  INTERNAL_SERVER_ERROR_TEXT,
  type PromptRequestOutcome,
  validatePromptRequest,
  validatePromptRequestText,
} from "./validation/prompt-request.js";
export { comfyValidationFrames } from "./validation/validation-traceback.js";
export { BinaryEventType, PreviewFormat } from "./ws/binary-frames.js";
export { SERVER_FEATURES, type Target as MessageTarget } from "./ws/socket-hub.js";
