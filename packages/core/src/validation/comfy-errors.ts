/**
 * ComfyUI's validation answer, exactly as `POST /prompt` sends it, and one
 * builder per error type with the server's own wording (ComfyUI 0.3.65 `execution.py`).
 */

/** One error object: `{type, message, details, extra_info}`. */
export interface ComfyErrorInfo {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** `node_errors[id]`. */
export interface ComfyNodeError {
  errors: ComfyErrorInfo[];
  /** Output node ids whose validation failed while this node had errors. */
  dependent_outputs: string[];
  class_type: string;
}

/** The body of a 400 answer to `POST /prompt`. */
export interface ComfyValidationBody {
  error: ComfyErrorInfo | string;
  node_errors: Record<string, ComfyNodeError> | unknown[];
}

/** `[type, options]` as ComfyUI puts it in `extra_info.input_config`. */
export type InputConfig = [unknown, unknown];

export const comfyErrors = {
  noPrompt: (): ComfyErrorInfo => ({
    type: "no_prompt",
    message: "No prompt provided",
    details: "No prompt provided",
    extra_info: {},
  }),
  missingClassType: (id: string): ComfyErrorInfo => ({
    type: "invalid_prompt",
    message: "Cannot execute because a node is missing the class_type property.",
    details: `Node ID '#${id}'`,
    extra_info: {},
  }),
  unknownClass: (id: string, classType: string): ComfyErrorInfo => ({
    type: "invalid_prompt",
    message: `Cannot execute because node ${classType} does not exist.`,
    details: `Node ID '#${id}'`,
    extra_info: {},
  }),
  // Since ComfyUI 2026-01-31.
  missingClassTypeV2: (id: string, title: string | undefined): ComfyErrorInfo => ({
    type: "missing_node_type",
    message: `Node '${title ?? `ID #${id}`}' has no class_type. The workflow may be corrupted or a custom node is missing.`,
    details: `Node ID '#${id}'`,
    extra_info: { node_id: id, class_type: null, node_title: title ?? null },
  }),
  unknownClassV2: (id: string, classType: string, title: string | undefined): ComfyErrorInfo => ({
    type: "missing_node_type",
    message: `Node '${title ?? classType}' not found. The custom node may not be installed.`,
    details: `Node ID '#${id}'`,
    extra_info: { node_id: id, class_type: classType, node_title: title ?? classType },
  }),
  noOutputs: (): ComfyErrorInfo => ({
    type: "prompt_no_outputs",
    message: "Prompt has no outputs",
    details: "",
    extra_info: {},
  }),
  outputsFailed: (details: string): ComfyErrorInfo => ({
    type: "prompt_outputs_failed_validation",
    message: "Prompt outputs failed validation",
    details,
    extra_info: {},
  }),
  requiredInputMissing: (input: string): ComfyErrorInfo => ({
    type: "required_input_missing",
    message: "Required input is missing",
    details: input,
    extra_info: { input_name: input },
  }),
  badLinkedInput: (input: string, config: InputConfig, value: unknown): ComfyErrorInfo => ({
    type: "bad_linked_input",
    message: "Bad linked input, must be a length-2 list of [node_id, slot_index]",
    details: input,
    extra_info: { input_name: input, input_config: config, received_value: value },
  }),
  returnTypeMismatch: (
    input: string,
    config: InputConfig,
    received: unknown,
    receivedText: string,
    expectedText: string,
    link: unknown,
  ): ComfyErrorInfo => ({
    type: "return_type_mismatch",
    message: "Return type mismatch between linked nodes",
    details: `${input}, received_type(${receivedText}) mismatch input_type(${expectedText})`,
    extra_info: { input_name: input, input_config: config, received_type: received, linked_node: link },
  }),
  invalidInputType: (
    input: string,
    config: InputConfig,
    typeText: string,
    value: unknown,
    valueText: string,
    exception: string,
  ): ComfyErrorInfo => ({
    type: "invalid_input_type",
    message: `Failed to convert an input value to a ${typeText} value`,
    details: `${input}, ${valueText}, ${exception}`,
    extra_info: {
      input_name: input,
      input_config: config,
      received_value: value,
      exception_message: exception,
    },
  }),
  smallerThanMin: (
    input: string,
    config: InputConfig,
    value: unknown,
    valueText: string,
    minText: string,
  ): ComfyErrorInfo => ({
    type: "value_smaller_than_min",
    message: `Value ${valueText} smaller than min of ${minText}`,
    details: input,
    extra_info: { input_name: input, input_config: config, received_value: value },
  }),
  biggerThanMax: (
    input: string,
    config: InputConfig,
    value: unknown,
    valueText: string,
    maxText: string,
  ): ComfyErrorInfo => ({
    type: "value_bigger_than_max",
    message: `Value ${valueText} bigger than max of ${maxText}`,
    details: input,
    extra_info: { input_name: input, input_config: config, received_value: value },
  }),
  notInList: (
    input: string,
    config: InputConfig | null,
    value: unknown,
    valueText: string,
    listText: string,
  ): ComfyErrorInfo => ({
    type: "value_not_in_list",
    message: "Value not in list",
    details: `${input}: '${valueText}' not in ${listText}`,
    extra_info: { input_name: input, input_config: config, received_value: value },
  }),
  customValidationFailed: (input: string, reason: string | false): ComfyErrorInfo => ({
    type: "custom_validation_failed",
    message: "Custom validation failed for node",
    details: reason === false ? input : `${input} - ${reason}`,
    extra_info: { input_name: input },
  }),
  innerException: (
    input: string,
    config: InputConfig,
    link: unknown,
    type: string,
    message: string,
    traceback: string[],
  ): ComfyErrorInfo => ({
    type: "exception_during_inner_validation",
    message: "Exception when validating inner node",
    details: message,
    extra_info: {
      input_name: input,
      input_config: config,
      exception_message: message,
      exception_type: type,
      traceback,
      linked_node: link,
    },
  }),
  outerException: (type: string, message: string, traceback: string[]): ComfyErrorInfo => ({
    type: "exception_during_validation",
    message: "Exception when validating node",
    details: message,
    extra_info: { exception_type: type, traceback },
  }),
  // Since ComfyUI 2026-04-24; the message wording is inferred.
  dependencyCycle: (nodeId: string, cycle: readonly { id: string; classType: string }[]): ComfyErrorInfo => ({
    type: "dependency_cycle",
    message: "Dependency cycle detected",
    details: cycle.map((n) => `${n.id} (${n.classType})`).join(" -> "),
    extra_info: { node_id: nodeId, cycle_nodes: cycle.map((n) => n.id) },
  }),
};
