import type { NodeCatalog } from "../catalog/types.js";
import type { ApiPrompt } from "../compile/api-prompt.js";
import {
  type PromptValidationResult,
  type ValidatePromptOptions,
  validatePrompt,
} from "./validate-prompt.js";
import { ValidationError } from "./validation-error.js";

/**
 * `validatePrompt`, throwing a `ValidationError` with one line per problem unless the prompt is
 * entirely valid — stricter than a server, which queues a prompt when at least one output passes.
 *
 * @example
 * assertValidPrompt(compile(graph), catalog);
 * // ValidationError: Prompt failed validation (1 problem):
 * //   node 3 (KSampler) input "steps" at src/portrait.ts:12:5: Value 0 smaller than min of 1
 */
export function assertValidPrompt(
  prompt: ApiPrompt,
  catalog: NodeCatalog,
  options?: ValidatePromptOptions,
): PromptValidationResult {
  const result = validatePrompt(prompt, catalog, options);
  if (!result.valid) throw ValidationError.fromResult(result);
  return result;
}
