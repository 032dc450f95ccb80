import type { ApiPrompt } from "../compile/api-prompt.js";
import { nodeOrigin } from "../compile/prompt-origins.js";
import { ComfyValidationError, type ValidationIssue } from "./errors.js";
import { nodeErrorSchema, type PromptErrorBody, type ValidationErrorItem } from "./schemas.js";

/**
 * Turns a `POST /prompt` error body (400, or 200 with `node_errors`) into a `ComfyValidationError`
 * whose issues name node, class, input and — for compiled prompts — the file:line of the node.
 */
export function validationErrorFrom(
  prompt: ApiPrompt,
  body: { error?: PromptErrorBody["error"]; node_errors: unknown },
  options: { queued: boolean; promptId?: string },
): ComfyValidationError {
  const nodeErrors = (
    typeof body.node_errors === "object" && body.node_errors !== null && !Array.isArray(body.node_errors)
      ? body.node_errors
      : {}
  ) as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const [nodeId, raw] of Object.entries(nodeErrors)) {
    const parsed = nodeErrorSchema.safeParse(raw);
    const classType = parsed.success ? parsed.data.class_type : undefined;
    const errors = parsed.success ? parsed.data.errors : [];
    for (const item of errors) issues.push(issueFor(prompt, nodeId, classType, item));
  }
  // Prompt-level errors about one node (missing_node_type, or invalid_prompt before 2026-01).
  const error = body.error;
  if (error && issues.length === 0) {
    const nodeId = nodeIdOf(error);
    if (nodeId !== undefined) issues.push(issueFor(prompt, nodeId, undefined, error));
  }
  return new ComfyValidationError(
    {
      errorType: error?.type ?? "prompt_outputs_failed_validation",
      message: error?.message ?? "some outputs failed validation",
      issues,
      nodeErrors,
      queued: options.queued,
    },
    options.promptId ? { promptId: options.promptId } : undefined,
  );
}

function nodeIdOf(error: ValidationErrorItem): string | undefined {
  const fromExtra = error.extra_info["node_id"];
  if (typeof fromExtra === "string" || typeof fromExtra === "number") return String(fromExtra);
  const match = /Node ID '#([^']+)'/.exec(error.details);
  return match?.[1];
}

function issueFor(
  prompt: ApiPrompt,
  nodeId: string,
  classType: string | undefined,
  item: ValidationErrorItem,
): ValidationIssue {
  const origin = nodeOrigin(prompt, nodeId);
  const inputName = item.extra_info["input_name"];
  const node = prompt[nodeId];
  return {
    nodeId,
    classType: classType ?? node?.class_type ?? origin?.classType,
    inputName: typeof inputName === "string" ? inputName : inputFromDetails(item.details, node?.inputs),
    type: item.type,
    message: item.message,
    details: item.details,
    location: origin?.location,
    extraInfo: item.extra_info,
  };
}

// Some errors only name the input at the start of `details` ("steps" or "image, received_type(...)").
function inputFromDetails(details: string, inputs: Record<string, unknown> | undefined): string | undefined {
  if (!inputs) return undefined;
  const head = /^([A-Za-z0-9_.]+)/.exec(details)?.[1];
  return head !== undefined && Object.hasOwn(inputs, head) ? head : undefined;
}
