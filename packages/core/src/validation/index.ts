export { PythonException, pyBool, pyFloat, pyInt, pyStr, pyTypeName } from "../python/values.js";
export { assertValidPrompt } from "./assert-valid-prompt.js";
export {
  type ComfyErrorInfo,
  type ComfyNodeError,
  type ComfyValidationBody,
  comfyErrors,
  type InputConfig,
} from "./comfy-errors.js";
export {
  CORE_CUSTOM_VALIDATORS,
  type CustomValidationContext,
  type CustomValidator,
  fileExistsValidator,
} from "./custom-validators.js";
export { type EffectiveInput, effectiveInputs } from "./effective-inputs.js";
export { formatIssue, type IssueContext, issuesFromComfyBody, type ValidationIssue } from "./issues.js";
export { type TypeMatchRules, typesMatch } from "./type-match.js";
export {
  type PromptValidationResult,
  type ValidatePromptOptions,
  type ValidationCompat,
  type ValidationFrames,
  validatePrompt,
} from "./validate-prompt.js";
export { formatValidationIssues, ValidationError } from "./validation-error.js";
