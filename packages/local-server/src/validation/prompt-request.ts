import {
  type ApiPrompt,
  type ComfyErrorInfo,
  type ComfyNodeError,
  comfyErrors,
  JsonSyntaxError,
  type NodeCatalog,
  type PromptValidationResult,
  parseJsonLossless,
  type ValidatePromptOptions,
  validatePrompt,
} from "@comfy-ts/core";
import { comfyValidationFrames } from "./validation-traceback.js";

/** aiohttp's text body of an unhandled exception (ComfyUI answers malformed JSON and empty bodies with it). */
export const INTERNAL_SERVER_ERROR_TEXT = "500 Internal Server Error\n\nServer got itself in trouble";

/** What a ComfyUI-compatible server answers a `POST /prompt` body with, before queueing. */
export type PromptRequestOutcome =
  /** Valid enough to queue: answer 200 `{prompt_id, number, node_errors}`, queue `result.prompt` with `result.outputs`. */
  | {
      readonly status: 200;
      readonly result: PromptValidationResult;
      readonly nodeErrors: Record<string, ComfyNodeError>;
    }
  /** Answer 400 with `body` (JSON). `result` is absent for `no_prompt`. */
  | {
      readonly status: 400;
      readonly body: { error: ComfyErrorInfo; node_errors: Record<string, ComfyNodeError> };
      readonly result: PromptValidationResult | undefined;
    }
  /** ComfyUI crashes on this body: answer 500, `text/plain`, with `text`. */
  | { readonly status: 500; readonly text: string; readonly reason: string };

/**
 * The validation part of ComfyUI 0.3.65's `POST /prompt` handler (core's `validatePrompt` with
 * ComfyUI's tracebacks, and the 500s of aiohttp where Python crashes), for a server that parsed the body
 * (use `parseJsonLossless` so seeds keep their digits; malformed JSON or an empty body is a 500 with
 * `INTERNAL_SERVER_ERROR_TEXT`, as ComfyUI answers). Reads `prompt` and `partial_execution_targets`.
 *
 * @example
 * const outcome = validatePromptRequest(parseJsonLossless(text), catalog, { customValidators });
 * if (outcome.status === 400) return json(400, outcome.body);
 */
export function validatePromptRequest(
  body: unknown,
  catalog: NodeCatalog,
  options: Omit<ValidatePromptOptions, "partialExecutionTargets"> = {},
): PromptRequestOutcome {
  if (typeof body === "number" || typeof body === "boolean" || body === null) {
    return crash(
      `'${body === null ? "NoneType" : typeof body === "number" ? "int" : "bool"}' object is not iterable`,
    );
  }
  const hasPrompt = typeof body === "object" && !Array.isArray(body) && Object.hasOwn(body, "prompt");
  if (!hasPrompt)
    return { status: 400, body: { error: comfyErrors.noPrompt(), node_errors: {} }, result: undefined };
  const record = body as Record<string, unknown>;
  const prompt = record["prompt"];
  // Python iterates the prompt: a list iterates its items (nothing for []), other values crash.
  if (Array.isArray(prompt) && prompt.length > 0)
    return crash("list indices must be integers or slices, not the items");
  if (!Array.isArray(prompt) && (typeof prompt !== "object" || prompt === null)) {
    return crash(`cannot validate a prompt of type ${prompt === null ? "null" : typeof prompt}`);
  }
  for (const node of Object.values(prompt as object)) {
    if (typeof node !== "object" || node === null) return crash("a node of the prompt is not an object");
    const classType = (node as Record<string, unknown>)["class_type"];
    if (Array.isArray(classType) || (typeof classType === "object" && classType !== null))
      return crash("unhashable class_type");
  }
  const targets = record["partial_execution_targets"];
  const partialExecutionTargets = Array.isArray(targets) ? targets.map(String) : undefined;
  const result = validatePrompt(prompt as ApiPrompt, catalog, {
    frames: comfyValidationFrames(),
    ...options,
    partialExecutionTargets,
  });
  if (result.status === 400)
    return { status: 400, body: { error: result.error!, node_errors: result.nodeErrors }, result };
  return { status: 200, result, nodeErrors: result.nodeErrors };
}

function crash(reason: string): PromptRequestOutcome {
  return { status: 500, text: INTERNAL_SERVER_ERROR_TEXT, reason };
}

/**
 * `validatePromptRequest` from the raw request text: malformed JSON and an empty body are the 500
 * ComfyUI answers; big integers keep their digits.
 */
export function validatePromptRequestText(
  text: string,
  catalog: NodeCatalog,
  options: Omit<ValidatePromptOptions, "partialExecutionTargets"> = {},
): PromptRequestOutcome {
  let body: unknown;
  try {
    body = parseJsonLossless(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return crash(error.message);
    throw error;
  }
  return validatePromptRequest(body, catalog, options);
}
