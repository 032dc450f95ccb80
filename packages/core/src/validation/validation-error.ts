import type { ApiPrompt } from "../compile/api-prompt.js";
import type { NodeOrigin } from "../compile/prompt-origins.js";
import { ComfyError } from "../errors.js";
import type { ComfyErrorInfo, ComfyNodeError } from "./comfy-errors.js";
import {
  formatIssue,
  issuesFromComfyBody,
  readComfyBody,
  toErrorInfo,
  type ValidationIssue,
} from "./issues.js";
import type { PromptValidationResult } from "./validate-prompt.js";

/**
 * A prompt failed validation, locally (`validatePrompt`) or on a server (a 400 answer's body).
 * The message has one line per problem:
 *
 * ```text
 * Prompt failed validation (2 problems):
 *   node 3 (KSampler) input "steps" at src/portrait.ts:12:5: Value 0 smaller than min of 1
 *   node 9 (SaveImage) input "filename_prefix" at src/portrait.ts:20:3: required input is missing
 * ```
 */
export class ValidationError extends ComfyError {
  declare readonly code: "validation_failed";
  readonly issues: readonly ValidationIssue[];
  /** ComfyUI's top-level error, when there was one. */
  readonly error: ComfyErrorInfo | undefined;
  readonly nodeErrors: Readonly<Record<string, ComfyNodeError>>;

  constructor(
    issues: readonly ValidationIssue[],
    details: { error?: ComfyErrorInfo | undefined; nodeErrors?: Record<string, ComfyNodeError> } = {},
  ) {
    super("validation_failed", formatValidationIssues(issues));
    this.issues = issues;
    this.error = details.error;
    this.nodeErrors = details.nodeErrors ?? {};
  }

  /** From a local validation result. */
  static fromResult(result: PromptValidationResult): ValidationError {
    return new ValidationError(result.issues, { error: result.error, nodeErrors: result.nodeErrors });
  }

  /**
   * From a server's validation answer (`{error, node_errors}` of a 400, or the `node_errors` of a
   * 200). Pass the prompt that was sent (or its origins) to point at the author's code.
   */
  static fromComfyBody(
    body: unknown,
    context: { prompt?: ApiPrompt; origins?: ReadonlyMap<string, NodeOrigin> } = {},
  ): ValidationError {
    const issues = issuesFromComfyBody(body, context);
    const record = readComfyBody(body);
    const error = record.error === undefined || record.error === null ? undefined : toErrorInfo(record.error);
    const nodeErrors = (
      typeof record.node_errors === "object" &&
      record.node_errors !== null &&
      !Array.isArray(record.node_errors)
        ? record.node_errors
        : {}
    ) as Record<string, ComfyNodeError>;
    return new ValidationError(issues, { error, nodeErrors });
  }
}

/** The multi-line text of `ValidationError` (a header, then one indented line per issue). */
export function formatValidationIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return "Prompt failed validation";
  const head = `Prompt failed validation (${issues.length} problem${issues.length === 1 ? "" : "s"}):`;
  return [head, ...issues.map((i) => `  ${formatIssue(i)}`)].join("\n");
}
