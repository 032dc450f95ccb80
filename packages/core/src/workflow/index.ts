export {
  type ApiToUiOptions,
  apiToUi,
  COMFY_TS_PROPERTY,
  type ComfyTsNodeProperties,
  type UiNodeDocument,
  type UiWorkflowDocument,
} from "./api-to-ui.js";
export { escapeDynamicPrompt, processDynamicPrompt } from "./dynamic-prompt.js";
export {
  ImageFormatError,
  MissingLinkNodeError,
  NoWorkflowMetadataError,
  SubgraphError,
  UnknownNodeTypeError,
  UnknownWorkflowFormatError,
  UnknownWorkflowVersionError,
  WidgetValuesError,
  WorkflowError,
  type WorkflowErrorCode,
  type WorkflowErrorOptions,
  WorkflowJsonError,
  WorkflowSchemaError,
  type WorkflowSchemaIssue,
} from "./errors.js";
export { expandGroupNodes } from "./group-nodes.js";
export { type ImageMetadata, isImageBytes, readImageMetadata } from "./image-metadata.js";
export { type LayoutNode, type LayoutOptions, layoutGraph, type Placement } from "./layout.js";
export { type MergePromptOptions, mergePromptIntoUi } from "./merge-prompt-into-ui.js";
export { isApiPromptJson, type ParseApiPromptOptions, parseApiPrompt } from "./parse-api-prompt.js";
export { isUiWorkflowJson, type ParseUiWorkflowOptions, parseUiWorkflow } from "./parse-ui-workflow.js";
export { parseWorkflowJson } from "./parse-workflow-json.js";
export { type ReadWorkflowOptions, readWorkflow, type WorkflowInput } from "./read-workflow.js";
export {
  type ConversionWarning,
  type PrimitiveValueUse,
  typesCompatible,
  type UiToApiOptions,
  uiToApi,
} from "./ui-to-api.js";
export * from "./ui-workflow.js";
export { REROUTE_TYPES, VIRTUAL_NODE_TYPES } from "./virtual-nodes.js";
export {
  CONTROL_MODES,
  defaultControlMode,
  type WidgetSlot,
  widgetDefault,
  widgetSlots,
} from "./widget-layout.js";
export { type AssignedWidget, assignWidgetValues } from "./widget-values.js";
