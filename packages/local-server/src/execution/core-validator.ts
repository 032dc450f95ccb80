import { existsSync } from "node:fs";
import { join } from "node:path";
import { ComfyError, type CustomValidator, fileExistsValidator, type NodeDef } from "@comfy-ts/core";
import type { ServerDirs } from "../files/folders.js";
import { annotatedFilepath, isInside } from "../files/safe-path.js";
import type { QueuedPrompt } from "../queue/queue-item.js";
import { validatePromptRequest } from "../validation/prompt-request.js";
import type { DefinitionEnv } from "./node-impl.js";
import type { NodeRegistry } from "./node-registry.js";
import type { PromptValidator, ValidationOutcome } from "./prompt-validator.js";

/** ComfyUI crashed on this prompt (a 500 answer): a prompt or node that is not an object, … */
export class PromptCrashError extends ComfyError {
  constructor(reason: string) {
    super("ERR_PROMPT_CRASH", `POST /prompt: ComfyUI answers this body with 500 (${reason})`);
  }
}

const FILE_LOADERS = ["LoadImage", "LoadImageMask", "LoadImageOutput", "LoadAudio", "LoadVideo"] as const;

/** Names of the combo inputs that offer no value at all: model file lists. */
function emptyComboInputs(def: NodeDef | undefined): string[] {
  return (def?.inputs ?? []).filter((i) => i.kind === "combo" && i.values.length === 0).map((i) => i.name);
}

/**
 * Validation with `validatePromptRequest` (ComfyUI 0.3.65's answers, error types and
 * messages, coercion of literals) against the catalog this server serves (`NodeRegistry.catalog`),
 * with LoadImage's file checks done on this server's folders. Empty combos of model nodes (their file
 * lists: this server has no model files) are exempt from the list check.
 */
export function createCoreValidator(
  registry: NodeRegistry,
  env: DefinitionEnv,
  dirs: ServerDirs,
): PromptValidator {
  const exists = (annotatedName: string): boolean => {
    const { name, dir } = annotatedFilepath(annotatedName, dirs);
    const base = dir ?? dirs.input;
    const path = join(base, name);
    return isInside(base, path) && existsSync(path);
  };
  const customValidators: Record<string, CustomValidator> = {};
  for (const classType of FILE_LOADERS) {
    if (registry.has(classType)) customValidators[classType] = fileExistsValidator(classType, exists);
  }
  // Model nodes list no model files here, so their file combos (ckpt_name, …) are empty and would
  // reject every value: exempt those so that model graphs validate and fail at run time with a
  // clear message. Combos with values (sampler_name, …) are still checked.
  const startCatalog = registry.catalog(env);
  for (const classType of registry.listedOnlyClassTypes()) {
    const inputs = emptyComboInputs(startCatalog.nodes.get(classType));
    if (inputs.length > 0) customValidators[classType] = { inputs };
  }
  return (prompt, partialExecutionTargets): ValidationOutcome => {
    const body =
      partialExecutionTargets === undefined
        ? { prompt }
        : { prompt, partial_execution_targets: partialExecutionTargets };
    const outcome = validatePromptRequest(body, registry.catalog(env), { customValidators });
    if (outcome.status === 500) throw new PromptCrashError(outcome.reason);
    if (outcome.status === 400)
      return { ok: false, error: outcome.body.error, nodeErrors: outcome.body.node_errors };
    return {
      ok: true,
      prompt: outcome.result.prompt as QueuedPrompt,
      outputs: outcome.result.outputs,
      nodeErrors: outcome.nodeErrors,
    };
  };
}
