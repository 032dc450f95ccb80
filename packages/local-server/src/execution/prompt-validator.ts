import type { ComfyErrorInfo, ComfyNodeError } from "@comfy-ts/core";
import type { QueuedPrompt } from "../queue/queue-item.js";
import type { RawNodeDefinition } from "./node-impl.js";

/** What validation decides for `POST /prompt`. */
export type ValidationOutcome =
  | {
      readonly ok: true;
      /** The prompt to queue, with literal values coerced as ComfyUI writes them back. */
      readonly prompt: QueuedPrompt;
      /** Output nodes that passed validation (`outputs_to_execute`). */
      readonly outputs: string[];
      /** Errors of outputs that failed while others passed (sent with HTTP 200). */
      readonly nodeErrors: Record<string, ComfyNodeError>;
    }
  | {
      readonly ok: false;
      readonly error: ComfyErrorInfo;
      readonly nodeErrors: Record<string, ComfyNodeError>;
    };

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
