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
