import type { ApiPrompt } from "../compile/api-prompt.js";
import { issuesFromComfyBody } from "../validation/issues.js";
import { ComfyValidationError } from "./errors.js";
import type { PromptErrorBody } from "./schemas.js";

/**
 * Turns a `POST /prompt` error body (400, or 200 with `node_errors`) into a `ComfyValidationError`
 * whose issues name node, class, input and — for compiled prompts — the file:line of the node
 * (the validation module's `issuesFromComfyBody`, so client and local validation read alike).
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
  const issues = issuesFromComfyBody({ error: body.error, node_errors: nodeErrors }, { prompt });
  return new ComfyValidationError(
    {
      errorType: body.error?.type ?? "prompt_outputs_failed_validation",
      message: body.error?.message ?? "some outputs failed validation",
      issues,
      nodeErrors,
      queued: options.queued,
    },
    options.promptId ? { promptId: options.promptId } : undefined,
  );
}
