import type { QueuedPrompt } from "../queue/queue-item.js";
import type { RawNodeDefinition } from "./node-impl.js";

/** ComfyUI's error object: `{type, message, details, extra_info}`. */
export interface ComfyError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** One entry of `node_errors`. */
export interface NodeErrorEntry {
  errors: ComfyError[];
  dependent_outputs: string[];
  class_type: string;
}

/** What validation decides for `POST /prompt`. */
export type ValidationOutcome =
  | {
      readonly ok: true;
      /** The prompt to queue, with literal values coerced as ComfyUI writes them back. */
      readonly prompt: QueuedPrompt;
      /** Output nodes that passed validation (`outputs_to_execute`). */
      readonly outputs: string[];
      /** Errors of outputs that failed while others passed (sent with HTTP 200). */
      readonly nodeErrors: Record<string, NodeErrorEntry>;
    }
  | { readonly ok: false; readonly error: ComfyError; readonly nodeErrors: Record<string, NodeErrorEntry> };

/** What a validator may look at. */
export interface ValidationContext {
  /** Definition of a class as `/object_info` serves it now (undefined when unknown). */
  define(classType: string): RawNodeDefinition | undefined;
}

/** Validates a submitted prompt (the `prompt` value of the POST body, any JSON). */
export type PromptValidator = (
  prompt: unknown,
  partialExecutionTargets: unknown,
  ctx: ValidationContext,
) => ValidationOutcome | Promise<ValidationOutcome>;

export function comfyError(
  type: string,
  message: string,
  details = "",
  extraInfo: Record<string, unknown> = {},
): ComfyError {
  return { type, message, details, extra_info: extraInfo };
}

/**
 * The prompt-level checks of ComfyUI 0.3.65's `validate_prompt` (missing or unknown class →
 * `invalid_prompt`, output selection, `prompt_no_outputs`). Returns the selected outputs, or the
 * error to answer with.
 */
export function checkPromptLevel(
  prompt: unknown,
  partialExecutionTargets: unknown,
  ctx: ValidationContext,
): { ok: true; prompt: QueuedPrompt; outputs: string[] } | { ok: false; error: ComfyError } {
  // Python iterates a list prompt as no nodes at all.
  const nodes: Record<string, unknown> =
    prompt !== null && typeof prompt === "object" && !Array.isArray(prompt)
      ? (prompt as Record<string, unknown>)
      : {};
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(nodes)) {
    const classType =
      node !== null && typeof node === "object" ? (node as { class_type?: unknown }).class_type : undefined;
    if (classType === undefined) {
      return {
        ok: false,
        error: comfyError(
          "invalid_prompt",
          "Cannot execute because a node is missing the class_type property.",
          `Node ID '#${id}'`,
        ),
      };
    }
    const def = typeof classType === "string" ? ctx.define(classType) : undefined;
    if (!def) {
      return {
        ok: false,
        error: comfyError(
          "invalid_prompt",
          `Cannot execute because node ${String(classType)} does not exist.`,
          `Node ID '#${id}'`,
        ),
      };
    }
    if (def.output_node === true) {
      if (partialExecutionTargets === undefined || partialExecutionTargets === null) outputs.push(id);
      else if (Array.isArray(partialExecutionTargets) && partialExecutionTargets.includes(id))
        outputs.push(id);
    }
  }
  if (outputs.length === 0) {
    return { ok: false, error: comfyError("prompt_no_outputs", "Prompt has no outputs") };
  }
  return { ok: true, prompt: nodes as QueuedPrompt, outputs };
}
