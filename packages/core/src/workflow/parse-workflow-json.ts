import { JsonSyntaxError, parseJsonLossless } from "../catalog/lossless-json.js";
import { type WorkflowErrorOptions, WorkflowJsonError } from "./errors.js";

/**
 * `parseJsonLossless` (exact big integers) with syntax errors — often a truncated download — as
 * `WorkflowJsonError` naming the file, line and column.
 */
export function parseWorkflowJson(text: string, options: WorkflowErrorOptions = {}): unknown {
  if (text.trim() === "") throw new WorkflowJsonError("the file is empty", 1, 1, options);
  try {
    return parseJsonLossless(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const native = error.cause instanceof Error ? error.cause.message : error.message;
    const truncated = error.position !== undefined && error.position.offset >= text.trimEnd().length;
    const hint = truncated ? " (the file ends early: is it truncated?)" : "";
    throw new WorkflowJsonError(`${native}${hint}`, error.position?.line ?? 0, error.position?.column ?? 0, {
      ...options,
      cause: error,
    });
  }
}
