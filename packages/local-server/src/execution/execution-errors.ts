import { ComfyError } from "@comfy-ts/core";
import { isTensor } from "../tensor/tensor.js";
import { NodeExecutionError } from "./node-impl.js";

/** ComfyUI's `InterruptProcessingException`: the job was interrupted (`POST /interrupt`). */
export class InterruptedError extends ComfyError {
  constructor() {
    super("ERR_INTERRUPTED", "Processing interrupted");
  }
}

/** The message a model node fails with on this server. */
export function noModelsMessage(classType: string): string {
  return (
    `${classType} needs model weights, and the comfy-ts local server runs no models: it executes ` +
    "ComfyUI's model-free nodes only (image, mask, latent, string and primitive nodes). " +
    "Run this graph on a real ComfyUI server (set COMFYUI_URL)."
  );
}

/** `current_inputs` values as ComfyUI formats them: primitives as they are, anything else as text. */
export function formatInputValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (isTensor(value)) return `<tensor shape=[${value.shape.join(", ")}] dtype=float32>`;
  if (typeof value === "object" && value !== null && "samples" in value && isTensor(value.samples)) {
    return `{'samples': <tensor shape=[${value.samples.shape.join(", ")}] dtype=float32>}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `exception_type` of a failure that is a bug of this server (or of a custom node), not a Python exception it reproduces. */
export const INTERNAL_ERROR_TYPE = "comfy_ts.InternalError";

/**
 * The Python exception a node failure is reported as. Only errors that reproduce one reach clients
 * with their own text: `NodeExecutionError`, and errors that name their Python class in `pythonType`
 * (e.g. a PIL decode error). Anything else (a JavaScript `TypeError`, `RangeError`, a bare `Error`, a
 * thrown non-Error) is a bug of the implementation: clients get {@link INTERNAL_ERROR_TYPE} and a
 * message saying so, never the JavaScript text, which the executor writes to the server's log.
 */
export function reportedException(
  error: unknown,
  classType: string,
): { readonly exceptionType: string; readonly message: string } {
  if (error instanceof Error) {
    const declared =
      error instanceof NodeExecutionError
        ? error.exceptionType
        : "pythonType" in error
          ? error.pythonType
          : undefined;
    if (typeof declared === "string" && declared !== "")
      return { exceptionType: declared, message: error.message };
  }
  return {
    exceptionType: INTERNAL_ERROR_TYPE,
    message:
      `The implementation of ${classType} failed with an internal error of the comfy-ts local server ` +
      "(a bug, not a problem of the prompt). The error and its stack are in the server's log.",
  };
}
