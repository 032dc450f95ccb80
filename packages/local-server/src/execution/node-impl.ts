// The contract between the executor (src/execution/, src/queue/, src/http/) and the node
// implementations (src/nodes/).

import { ComfyError, type NodeCatalog } from "@comfy-ts/core";

/**
 * How the local server runs one node class. Implementations mirror ComfyUI's Python node functions
 * (same numerics, same errors). Inputs arrive already coerced and validated, keyed by input name;
 * linked inputs carry the upstream value (a Tensor, a latent `{ samples }`, a string, …).
 */
export interface NodeImpl {
  readonly classType: string;
  /**
   * The node's `/object_info` definition, exactly as ComfyUI 0.3.65 sends it (the Python node's
   * `INPUT_TYPES`, `RETURN_TYPES`, … written out as data). Called per request, because combo lists that
   * name files (LoadImage's `image`) reflect the server's folders at that moment.
   */
  define(env: DefinitionEnv): RawNodeDefinition;
  /**
   * `INPUT_IS_LIST`: receive every input as the whole list instead of being called once per element.
   * Defaults to false (the executor maps over list inputs, repeating the last element of shorter lists).
   */
  readonly inputIsList?: boolean;
  /**
   * ComfyUI's `IS_CHANGED` / `fingerprint_inputs`: part of the cache key. Return `NaN` to always re-run.
   * Called with literal inputs only (linked inputs are undefined).
   */
  fingerprint?(literals: Record<string, unknown>, ctx: NodeContext): unknown;
  execute(inputs: Record<string, unknown>, ctx: NodeContext): NodeResult | Promise<NodeResult>;
}

/** The wire form of one `/object_info` entry. */
export type RawNodeDefinition = Record<string, unknown>;

/** What a definition may depend on: the server's folders at request time. */
export interface DefinitionEnv {
  /** Files in the input folder (recursive, `/`-separated, sorted as ComfyUI sorts them). */
  inputFiles(): readonly string[];
  /**
   * Files of a model folder (`checkpoints`, `loras`, `controlnet`, …) for the combos of model nodes.
   * Optional: a server without model folders lists none, as ComfyUI does without models.
   */
  modelFiles?(folder: string): readonly string[];
}

/**
 * A node the server lists (so graphs validate) but cannot run: model nodes. Executing one fails
 * with an `execution_error` saying this server runs no models.
 */
export interface ListedOnlyNode {
  readonly classType: string;
  define(env: DefinitionEnv): RawNodeDefinition;
}

export interface NodeResult {
  /** One value per output slot (`RETURN_TYPES` order). For `output_is_list` slots, an array of values. */
  readonly outputs?: readonly unknown[];
  /** The `ui` dict: what `executed.output` and history `outputs[node]` carry (`{ images: [...] }`, `{ text: [...] }`). */
  readonly ui?: Record<string, unknown[]>;
}

/** What the executor gives a node while it runs. */
export interface NodeContext {
  readonly nodeId: string;
  readonly promptId: string;
  /**
   * The hidden `PROMPT`: the whole API prompt as ComfyUI holds it while the job runs — validated
   * literals, FLOAT values as Python floats (`PyFloat`), and `"is_changed"` on nodes with `IS_CHANGED`.
   * `json.dumps` of it is what ComfyUI writes into file metadata.
   */
  readonly prompt: Record<string, unknown>;
  /** The server's catalog: core's `NodeDef` of every class it serves (other nodes' input and output types). */
  readonly catalog: NodeCatalog;
  /** `extra_data.extra_pnginfo` (hidden `EXTRA_PNGINFO`). */
  readonly extraPngInfo: Record<string, unknown> | undefined;
  readonly dirs: { readonly input: string; readonly output: string; readonly temp: string };
  /** The `client_id` the job was queued with, or null. */
  readonly clientId: string | null;
  /**
   * Reports step progress (`progress_state`, then `progress`), optionally with a preview image
   * (ComfyUI's `pbar.update_absolute(value, max, ("PNG", image, None))`). Throws
   * `InterruptedError` when the job was interrupted, like ComfyUI's progress hook.
   */
  progress(value: number, max: number, preview?: PreviewImage): void;
  /** Sends a binary type-3 TEXT frame to every socket (`send_progress_text`). */
  progressText(text: string): void;
  /** Sends a binary preview image frame (type 1, or 4 with metadata) to the prompt's client, without progress. */
  previewImage(png: Uint8Array): void;
  /** Throws ComfyUI's `InterruptProcessingException` equivalent when the job was interrupted. */
  throwIfInterrupted(): void;
}

/** An encoded preview image sent over the WebSocket. */
export interface PreviewImage {
  readonly format: "PNG" | "JPEG";
  readonly bytes: Uint8Array;
}

/**
 * A node failure reported as ComfyUI reports it in `execution_error`: `exception_type` is the Python
 * exception class (e.g. `"ValueError"`, `"PIL.UnidentifiedImageError"`) and `message` its text.
 */
export class NodeExecutionError extends ComfyError {
  readonly exceptionType: string;
  constructor(exceptionType: string, message: string) {
    super("NODE_EXECUTION", message);
    this.exceptionType = exceptionType;
  }
}
